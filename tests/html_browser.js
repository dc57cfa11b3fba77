// html_browser.js - opens the HTML pages in headless Chromium and drives them
// like a person would (mouse, keyboard), checking through the DOM that the
// values shown are the right numbers and that no console error is raised.
//
//   node html_browser.js CHROMIUM PAGES_DIR OUT_DIR
//
// No npm dependency: Chromium is driven over its DevTools protocol on a pipe
// (--remote-debugging-pipe: JSON messages separated by NUL bytes, fds 3/4).
// The pages come from `bench_html pages`, whose values follow bench_value().
"use strict";
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const [chromePath, pagesDir, outDir] = process.argv.slice(2);
if (!chromePath || !pagesDir || !outDir) {
  console.error("usage: node html_browser.js CHROMIUM PAGES_DIR OUT_DIR");
  process.exit(2);
}

// The synthetic values of bench_html.c.
function benchValue(i, j, k) {
  return Math.fround(Math.sin(i * 0.37 + j * 0.91 + k * 0.13) * (1 + (k % 5)) / 3);
}
const WORDS = ["\u2581The", "\u2581caf\u00e9", "<img src=x onerror=alert(1)>", "\u2581in",
  "\u0120Paris", "&amp;", "\u2581\"quoted\"", "</script>", "\u2581serves", "."];
function bucket(v, lo, hi) {
  if (v !== v) return -1;
  const x = (v - lo) / (hi - lo);
  if (x !== x) return -1;
  const s = x * 256;
  if (s === 256) return 255;
  if (s < 0) return 0;
  if (s >= 256) return 255;
  return Math.floor(s);
}
function hexToRgb(h) {
  return `rgb(${parseInt(h.substr(1, 2), 16)}, ${parseInt(h.substr(3, 2), 16)}, ${parseInt(h.substr(5, 2), 16)})`;
}

let checks = 0;
function check(cond, what) {
  checks++;
  if (!cond) throw new Error("check failed: " + what);
}
function near(got, want, what) {
  const g = Number(got);
  const ok = (Number.isNaN(want) && got === "NaN") ||
    (Number.isFinite(g) && Math.abs(g - want) <= 1e-5 * Math.max(1, Math.abs(want)));
  check(ok, `${what}: got ${got}, expected ${want}`);
}

class CDP {
  constructor(proc) {
    this.proc = proc;
    this.id = 0;
    this.pending = new Map();
    this.handlers = new Set();
    this.buf = Buffer.alloc(0);
    proc.stdio[4].on("data", (chunk) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      let i;
      while ((i = this.buf.indexOf(0)) >= 0) {
        const msg = JSON.parse(this.buf.subarray(0, i).toString("utf8"));
        this.buf = this.buf.subarray(i + 1);
        this.dispatch(msg);
      }
    });
  }
  dispatch(msg) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
      else p.resolve(msg.result);
    } else {
      for (const h of [...this.handlers]) h(msg);
    }
  }
  send(method, params = {}, sessionId) {
    const id = ++this.id;
    const m = { id, method, params };
    if (sessionId) m.sessionId = sessionId;
    this.proc.stdio[3].write(JSON.stringify(m) + "\0");
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
  }
  waitEvent(method, sessionId, ms = 20000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.handlers.delete(h); reject(new Error("timeout waiting for " + method)); }, ms);
      const h = (msg) => {
        if (msg.method === method && msg.sessionId === sessionId) {
          clearTimeout(timer);
          this.handlers.delete(h);
          resolve(msg.params);
        }
      };
      this.handlers.add(h);
    });
  }
}

async function openPage(cdp, file, metrics) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const s = (m, p) => cdp.send(m, p, sessionId);
  const errors = [];
  cdp.handlers.add((msg) => {
    if (msg.sessionId !== sessionId) return;
    if (msg.method === "Runtime.exceptionThrown") {
      const d = msg.params.exceptionDetails;
      errors.push("exception: " + ((d.exception && d.exception.description) || d.text));
    } else if (msg.method === "Runtime.consoleAPICalled" &&
               (msg.params.type === "error" || msg.params.type === "assert" || msg.params.type === "warning")) {
      errors.push("console." + msg.params.type + ": " + msg.params.args.map((a) => a.value || a.description).join(" "));
    } else if (msg.method === "Log.entryAdded" && msg.params.entry.level === "error") {
      errors.push("log: " + msg.params.entry.text);
    }
  });
  await s("Runtime.enable");
  await s("Log.enable");
  await s("Page.enable");
  await s("Emulation.setDeviceMetricsOverride", metrics ||
    { width: 1000, height: 800, deviceScaleFactor: 1, mobile: false });
  const loaded = cdp.waitEvent("Page.loadEventFired", sessionId);
  const t0 = Date.now();
  await s("Page.navigate", { url: "file://" + path.resolve(pagesDir, file) });
  await loaded;
  const page = {
    s, errors, targetId,
    async eval(expr) {
      const r = await s("Runtime.evaluate", { expression: expr, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error("evaluate failed: " + (r.exceptionDetails.exception ? r.exceptionDetails.exception.description : r.exceptionDetails.text) + "\n  in: " + expr);
      return r.result.value;
    },
    // Centre of an element (scrolled into view) from a JS expression.
    async point(expr) {
      return page.eval(`(() => { const e = ${expr}; if (!e) throw new Error("no element: " + ${JSON.stringify(expr)});
        e.scrollIntoView({ block: "center", inline: "center" }); const r = e.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; })()`);
    },
    async hover(expr) {
      const [x, y] = await page.point(expr);
      await s("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
    },
    async click(expr) {
      const [x, y] = await page.point(expr);
      await s("Input.dispatchMouseEvent", { type: "mouseMoved", x, y });
      await s("Input.dispatchMouseEvent", { type: "mousePressed", x, y, button: "left", clickCount: 1 });
      await s("Input.dispatchMouseEvent", { type: "mouseReleased", x, y, button: "left", clickCount: 1 });
    },
    async key(name, times = 1) {
      const codes = { ArrowRight: 39, ArrowLeft: 37, ArrowUp: 38, ArrowDown: 40, Enter: 13 };
      for (let i = 0; i < times; i++) {
        for (const type of ["rawKeyDown", "keyUp"])
          await s("Input.dispatchKeyEvent", { type, key: name, code: name, windowsVirtualKeyCode: codes[name] });
      }
    },
    async screenshot(name) {
      const { data } = await s("Page.captureScreenshot", { format: "png" });
      fs.writeFileSync(path.join(outDir, name), Buffer.from(data, "base64"));
    },
    async close() { await cdp.send("Target.closeTarget", { targetId }); },
  };
  page.loadMs = Date.now() - t0;
  return page;
}

function noErrors(page, what) {
  check(page.errors.length === 0, `${what}: console errors: ${page.errors.join(" | ")}`);
}

async function testGranular(cdp) {
  const p = await openPage(cdp, "granular.html");
  const meta = await p.eval(`JSON.parse(document.getElementById("as-meta").textContent)`);
  const pal = meta.palette;
  check((await p.eval(`document.querySelectorAll("img").length`)) === 0, "granular: no <img> element");
  const rowTok = await p.eval(`document.querySelector("table.gm tbody tr:nth-child(3) th.c1").textContent`);
  check(rowTok === WORDS[2], `granular: row token is shown as text (${rowTok})`);
  const colTok = await p.eval(`document.querySelectorAll("table.gm thead tr.r-tok th")[2 + 4].textContent`);
  check(colTok === WORDS[7], `granular: column token (${colTok})`);

  // Sequence 0: (6, 5, 24) source and (5, 5, 24) target, embedding slider.
  const slider = `document.querySelector('input[type=range][data-dim="2"]')`;
  await p.eval(`${slider}.focus()`);
  await p.key("ArrowRight", 3);
  check((await p.eval(`${slider}.value`)) === "3", "granular: slider moved to 3 by keyboard");
  check((await p.eval(`${slider}.nextElementSibling.textContent`)) === "3", "granular: slider output");
  const src = meta.seqs[0].groups[0].maps[0];
  const cell = (map, r, c) => `document.querySelectorAll("table.gm")[${map}].tBodies[0].rows[${r}].cells[${2 + c}]`;
  await p.hover(cell(0, 2, 1));
  const v = benchValue(2, 1, 3);
  near(await p.eval(`document.querySelectorAll(".info")[0].querySelector(".val").textContent`), v,
    "granular: hovered source value at embedding 3");
  const dims = await p.eval(`document.querySelectorAll(".info")[0].querySelector(".i-dims").textContent`);
  check(dims.includes("Embedding Dimension 3"), `granular: info names the dim (${dims})`);
  const row = await p.eval(`document.querySelectorAll(".info")[0].querySelector(".i-row").textContent`);
  check(row.includes(JSON.stringify(WORDS[2])), `granular: info shows the row token (${row})`);
  const bg = await p.eval(`getComputedStyle(${cell(0, 2, 1)}).backgroundColor`);
  check(bg === hexToRgb(pal[bucket(v, src.vmin, src.vmax)]), `granular: cell color ${bg}`);
  // Every source cell has the color of its value at embedding 3.
  const bgs = await p.eval(`Array.from(document.querySelectorAll("table.gm")[0].tBodies[0].getElementsByTagName("td")).map(t => getComputedStyle(t).backgroundColor)`);
  check(bgs.length === 6 * 5, "granular: 30 source cells");
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 5; j++)
      check(bgs[i * 5 + j] === hexToRgb(pal[bucket(benchValue(i, j, 3), src.vmin, src.vmax)]),
        `granular: source cell ${i},${j} color`);
  // A NaN cell of the target (causal mask).
  await p.hover(cell(1, 3, 1));
  check((await p.eval(`document.querySelectorAll(".info")[1].querySelector(".val").textContent`)) === "NaN",
    "granular: masked target cell shows NaN");
  // Keyboard navigation in the table: from the hovered cell (2, 1).
  await p.eval(`document.querySelectorAll(".scroll")[0].focus()`);
  await p.key("ArrowDown");
  await p.key("ArrowRight");
  near(await p.eval(`document.querySelectorAll(".info")[0].querySelector(".val").textContent`),
    benchValue(3, 2, 3), "granular: arrow keys move the cursor");
  // Values toggle.
  await p.click(`document.getElementById("vals")`);
  const txt = await p.eval(`${cell(0, 4, 2)}.textContent`);
  check(txt === String(Math.round(benchValue(4, 2, 3) * 1000) / 1000), `granular: value text ${txt}`);
  await p.screenshot("granular.png");

  // Sequence 1: decoder-only (9, 5, 4 layers, 6 heads): layers as sub-columns.
  await p.eval(`(() => { const s = document.getElementById("seq"); s.value = "1"; s.dispatchEvent(new Event("change")); })()`);
  const nsub = await p.eval(`document.querySelectorAll("table.gm thead tr.r-sub th").length`);
  check(nsub === 2 + 5 * 4, `granular: 4 layer sub-columns per token (${nsub})`);
  const heads = `document.querySelector('input[type=range][data-dim="3"]')`;
  check((await p.eval(`${heads}.max`)) === "5", "granular: head slider has 6 positions");
  check((await p.eval(`document.querySelector('input[type=range][data-dim="2"]')`)) === null,
    "granular: no layer slider when layers are columns");
  await p.eval(`${heads}.focus()`);
  await p.key("ArrowRight", 2);
  // Row 6, generated column 3, layer 1 -> cell 3 * 4 + 1; flat extra index 1 * 6 + 2.
  await p.hover(cell(0, 6, 3 * 4 + 1));
  near(await p.eval(`document.querySelector(".info .val").textContent`), benchValue(6, 3, 8),
    "granular: multi-dimensional value at layer 1 head 2");
  const dims2 = await p.eval(`document.querySelector(".info .i-dims").textContent`);
  check(dims2.includes("Model Layer 1") && dims2.includes("Attention Head 2"), `granular: info dims (${dims2})`);
  await p.screenshot("granular-multidim.png");
  noErrors(p, "granular");
  await p.close();
}

async function testGranularF16(cdp) {
  const p = await openPage(cdp, "granular_f16.html");
  const slider = `document.querySelector('input[type=range][data-dim="2"]')`;
  await p.eval(`${slider}.focus()`);
  await p.key("ArrowRight", 7);
  await p.hover(`document.querySelector("table.gm").tBodies[0].rows[4].cells[2 + 3]`);
  const got = Number(await p.eval(`document.querySelector(".info .val").textContent`));
  const want = benchValue(4, 3, 7);
  check(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want)), `f16: value ${got}, expected about ${want}`);
  noErrors(p, "granular float16");
  await p.close();
}

async function testTokens(cdp) {
  const p = await openPage(cdp, "tokens.html");
  const meta = await p.eval(`JSON.parse(document.getElementById("as-meta").textContent)`);
  const pal = meta.palette, d0 = meta.seqs[0];
  check((await p.eval(`document.querySelectorAll("img").length`)) === 0, "tokens: no <img> element");
  const sec = `document.querySelectorAll("section.tv")[0]`;
  check((await p.eval(`${sec}.querySelector('.toks.src .tok[data-i="2"]').textContent`)) === WORDS[2],
    "tokens: source token shown as text");
  check((await p.eval(`${sec}.querySelector('.tok.g[data-i="0"]').getAttribute("data-text")`)) === " in",
    "tokens: replace_char turned \u2581 into a space");
  check((await p.eval(`${sec}.querySelectorAll(".gen br").length`)) === 2, "tokens: wrap_after 4 breaks 9 tokens twice");
  check((await p.eval(`${sec}.querySelector('.tok.g[data-i="0"]').style.backgroundColor`)) !== "",
    "tokens: step score highlight colors generated tokens");
  check(await p.eval(`${sec}.querySelector(".attr").hidden`), "tokens: nothing selected at first");
  await p.click(`${sec}.querySelector('.tok.g[data-i="3"]')`);
  check((await p.eval(`${sec}.querySelector('.tok.g[data-i="3"]').getAttribute("aria-pressed")`)) === "true",
    "tokens: click selects the token");
  const src = await p.eval(`Array.from(${sec}.querySelectorAll(".toks.src .tok")).map(t => [t.getAttribute("data-value"), getComputedStyle(t).backgroundColor])`);
  check(src.length === 7, "tokens: 7 source tokens");
  src.forEach(([val, bg], i) => {
    const want = benchValue(i, 3, 0);
    near(val, want, `tokens: source ${i} attribution to generated 3`);
    check(bg === hexToRgb(pal[bucket(want, d0.vmin, d0.vmax)]), `tokens: source ${i} color ${bg}`);
  });
  const tgt = await p.eval(`Array.from(${sec}.querySelectorAll(".toks.tgt .tok")).map(t => [getComputedStyle(t).display, t.getAttribute("data-value")])`);
  tgt.forEach(([disp, val], i) => {
    check((disp !== "none") === (i < 3), `tokens: target prefix token ${i} visibility (${disp})`);
    if (i < 3) near(val, benchValue(i, 3, 0), `tokens: target ${i} attribution`);
  });
  const title = await p.eval(`${sec}.querySelector(".sel-tok").textContent`);
  check(title === WORDS[(3 + 3) % 10].replace("\u2581", " "), `tokens: title names the token (${title})`);
  await p.hover(`${sec}.querySelector('.toks.src .tok[data-i="1"]')`);
  const info = await p.eval(`${sec}.querySelector(".info").textContent`);
  check(info.includes("source token 1"), `tokens: hover info (${info})`);
  // Keyboard: the focused token moves right and gets selected.
  await p.key("ArrowRight");
  await p.eval(`${sec}.querySelector('.tok.g[data-i="3"]').focus()`);
  await p.key("ArrowRight");
  check((await p.eval(`${sec}.querySelector('.tok.g[data-i="4"]').getAttribute("aria-pressed")`)) === "true",
    "tokens: arrow key selects the next token");
  near(await p.eval(`${sec}.querySelector('.toks.src .tok[data-i="0"]').getAttribute("data-value")`),
    benchValue(0, 4, 0), "tokens: values follow the keyboard selection");
  // Decoder-only sequence: only the target prefix.
  const sec1 = `document.querySelectorAll("section.tv")[1]`;
  check((await p.eval(`${sec1}.querySelectorAll(".toks.src").length`)) === 0, "tokens: no source part for decoder-only");
  await p.click(`${sec1}.querySelector('.tok.g[data-i="2"]')`);
  const vis = await p.eval(`Array.from(${sec1}.querySelectorAll(".toks.tgt .tok")).filter(t => getComputedStyle(t).display !== "none").length`);
  check(vis === 4 + 2, `tokens: decoder-only prefix is prompt + 2 generated (${vis})`);
  await p.screenshot("tokens.png");
  noErrors(p, "tokens");
  await p.close();
}

async function testHeatmap(cdp) {
  const p = await openPage(cdp, "heatmap.html", { width: 500, height: 200, deviceScaleFactor: 1, mobile: true });
  check((await p.eval(`document.querySelectorAll("img").length`)) === 0, "heatmap: no <img> element");
  check((await p.eval(`document.querySelector("table.hm tbody tr:nth-child(3) th.c1").textContent`)) === WORDS[2],
    "heatmap: token shown as text");
  check((await p.eval(`document.documentElement.scrollWidth`)) <= 500, "heatmap: the page does not scroll sideways at 500 px");
  // Scroll the table inside its container: header row and token column stay.
  const r = await p.eval(`(() => {
    const sc = document.querySelector(".scroll"); sc.scrollIntoView();
    sc.scrollLeft = 250; sc.scrollTop = 60;
    const box = sc.getBoundingClientRect();
    const head = document.querySelector("table.hm thead tr.r-tok th:nth-child(6)").getBoundingClientRect();
    const tok = document.querySelector("table.hm tbody tr:nth-child(5) th.c1").getBoundingClientRect();
    const idx = document.querySelector("table.hm tbody tr:nth-child(5) th.c0").getBoundingClientRect();
    return { scrolled: [sc.scrollLeft, sc.scrollTop], box: [box.left, box.top], head: head.top, tok: tok.left, idx: idx.left, idxw: idx.width };
  })()`);
  check(r.scrolled[0] > 0 && r.scrolled[1] > 0, `heatmap: the table scrolls inside its box (${r.scrolled})`);
  check(Math.abs(r.idx - r.box[0]) <= 2, `heatmap: index column sticks left (${r.idx} vs ${r.box[0]})`);
  check(Math.abs(r.tok - (r.box[0] + r.idxw)) <= 2, `heatmap: token column sticks next to it (${r.tok})`);
  check(r.head >= r.box[1] && r.head <= r.box[1] + 40, `heatmap: header rows stick to the top (${r.head} vs ${r.box[1]})`);
  await p.screenshot("heatmap-500x200.png");
  noErrors(p, "heatmap");
  await p.close();
}

// Real inseq files (attention: layers as sub-columns, heads slider; integrated
// gradients: embedding slider): every cell drawn, every sequence selectable.
async function testFixtures(cdp) {
  for (const file of ["fixture_multidim.html", "fixture_granular.html"]) {
    const p = await openPage(cdp, file);
    const meta = await p.eval(`JSON.parse(document.getElementById("as-meta").textContent)`);
    for (let si = 0; si < meta.seqs.length; si++) {
      await p.eval(`(() => { const s = document.getElementById("seq"); if (s.options.length) { s.value = "${si}"; s.dispatchEvent(new Event("change")); } })()`);
      const maps = meta.seqs[si].groups.flatMap((g) => g.maps.map((m) => [m, g]));
      const counts = await p.eval(`Array.from(document.querySelectorAll("table.gm")).map(t => t.tBodies[0].getElementsByTagName("td").length)`);
      check(counts.length === maps.length, `${file} seq ${si}: ${maps.length} tables`);
      maps.forEach(([m, g], k) => {
        const show = g.dims.find((d) => d.role === "show");
        const want = m.shape[0] * m.shape[1] * (show ? m.shape[show.dim] : 1);
        check(counts[k] === want, `${file} seq ${si} map ${k}: ${counts[k]} cells, expected ${want}`);
      });
      const colored = await p.eval(`Array.from(document.querySelectorAll("table.gm td")).filter(t => t.style.backgroundColor).length`);
      check(colored > 0, `${file} seq ${si}: cells are colored`);
    }
    await p.screenshot(file.replace(".html", ".png"));
    noErrors(p, file);
    await p.close();
  }
}

async function testBig(cdp) {
  // A (100, 50, 768) tensor: 20 MB of base64; must be usable within 2 s.
  const t0 = Date.now();
  const p = await openPage(cdp, "big.html");
  const n = await p.eval(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>
    r(document.querySelectorAll("table.gm td").length))))`);
  const ms = Date.now() - t0;
  check(n === 100 * 50, `big: 5000 cells (${n})`);
  console.log(`big granular page (100, 50, 768): load ${p.loadMs} ms, drawn ${ms} ms`);
  check(ms < 2000, `big: opened in ${ms} ms (limit 2000)`);
  await p.hover(`document.querySelector("table.gm").tBodies[0].rows[42].cells[2 + 17]`);
  near(await p.eval(`document.querySelector(".info .val").textContent`), benchValue(42, 17, 0), "big: hovered value");
  await p.screenshot("big.png");
  noErrors(p, "big");
  await p.close();
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "attrscope-chromium-"));
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--allow-file-access-from-files",
    "--user-data-dir=" + profile, "--remote-debugging-pipe", "about:blank"];
  // Its own process group, so that every Chromium process it starts can be
  // ended together by the group id.
  const proc = spawn(chromePath, args, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
  const exited = new Promise((r) => proc.on("exit", r));
  const killGroup = () => { try { process.kill(-proc.pid, "SIGKILL"); } catch (e) { /* gone */ } };
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; if (stderr.length > 20000) stderr = stderr.slice(-10000); });
  const watchdog = setTimeout(() => {
    console.error("browser test took over 90 s; giving up\n" + stderr.slice(-2000));
    killGroup();
    process.exit(1);
  }, 90000);
  const cdp = new CDP(proc);
  let failed = false;
  try {
    await cdp.send("Browser.getVersion").then((v) => console.log("browser: " + v.product));
    for (const t of [testHeatmap, testGranular, testGranularF16, testTokens, testFixtures, testBig]) {
      const t0 = Date.now();
      await t(cdp);
      console.log(`${t.name}: ok (${Date.now() - t0} ms)`);
    }
  } catch (e) {
    failed = true;
    console.error(e.stack || String(e));
  }
  try {
    await Promise.race([cdp.send("Browser.close"), new Promise((r) => setTimeout(r, 3000))]);
  } catch (e) { /* closing */ }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  killGroup();
  clearTimeout(watchdog);
  fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  console.log(`${checks} checks, ${failed ? "FAILED" : "all passed"}; screenshots in ${outDir}`);
  process.exit(failed ? 1 : 0);
}

main();
