"use strict";
(function () {
  var META = JSON.parse(document.getElementById("as-meta").textContent);
  var PAL = META.palette;
  var B64 = new Uint8Array(128);
  (function () {
    var a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (var i = 0; i < 64; i++) B64[a.charCodeAt(i)] = i;
  })();

  function b64decode(s) {
    var n = s.length;
    while (n > 0 && s.charCodeAt(n - 1) === 61) n--;
    var out = new Uint8Array(Math.floor(n * 3 / 4)), o = 0, i = 0, v;
    for (; i + 4 <= n; i += 4) {
      v = B64[s.charCodeAt(i)] << 18 | B64[s.charCodeAt(i + 1)] << 12 |
          B64[s.charCodeAt(i + 2)] << 6 | B64[s.charCodeAt(i + 3)];
      out[o++] = v >> 16; out[o++] = v >> 8 & 255; out[o++] = v & 255;
    }
    if (n - i >= 2) {
      v = B64[s.charCodeAt(i)] << 18 | B64[s.charCodeAt(i + 1)] << 12 |
          (n - i === 3 ? B64[s.charCodeAt(i + 2)] << 6 : 0);
      out[o++] = v >> 16;
      if (n - i === 3) out[o++] = v >> 8 & 255;
    }
    return out;
  }

  var HALF = null;
  function halfTable() {
    if (HALF) return HALF;
    HALF = new Float32Array(65536);
    for (var h = 0; h < 65536; h++) {
      var s = h & 0x8000 ? -1 : 1, e = h >> 10 & 31, m = h & 1023;
      HALF[h] = e === 0 ? s * m * Math.pow(2, -24) :
                e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * Math.pow(2, e - 15);
    }
    return HALF;
  }

  function values(m) {
    if (m.values) return m.values;
    var bytes = b64decode(document.getElementById(m.blob).textContent);
    if (m.f16) {
      var u = new Uint16Array(bytes.buffer, 0, bytes.length >> 1), t = halfTable();
      var f = new Float32Array(u.length);
      for (var i = 0; i < u.length; i++) f[i] = t[u[i]];
      m.values = f;
    } else {
      m.values = new Float32Array(bytes.buffer, 0, bytes.length >> 2);
    }
    return m.values;
  }

  function bucket(v, lo, hi) {
    if (v !== v) return -1;
    var x = (v - lo) / (hi - lo);
    if (x !== x) return -1;
    var s = x * 256;
    if (s === 256) return 255;
    if (s < 0) return 0;
    if (s >= 256) return 255;
    return Math.floor(s);
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(v) {
    if (v !== v) return "NaN";
    return String(Number(v.toPrecision(6)));
  }

  function strides(shape) {
    var st = new Array(shape.length), acc = 1;
    for (var d = shape.length - 1; d >= 0; d--) { st[d] = acc; acc *= shape[d]; }
    return st;
  }

  var showValues = false;

  function showDim(g) {
    for (var i = 0; i < g.dims.length; i++) if (g.dims[i].role === "show") return g.dims[i];
    return null;
  }

  function paint(m, g) {
    var data = values(m), sh = m.shape, st = strides(sh), base = 0;
    g.dims.forEach(function (d) { if (d.role === "slider") base += g.sel[d.dim] * st[d.dim]; });
    var sd = showDim(g), k = sd ? sh[sd.dim] : 1, sst = sd ? st[sd.dim] : 0;
    var R = sh[0], C = sh[1], tds = m.tds, t = 0;
    m.table.classList.toggle("vals", showValues);
    for (var r = 0; r < R; r++) {
      for (var c = 0; c < C; c++) {
        var off = base + r * st[0] + c * st[1];
        for (var s = 0; s < k; s++, t++) {
          var v = data[off + s * sst], b = bucket(v, m.vmin, m.vmax), td = tds[t];
          td.style.backgroundColor = b < 0 ? "" : PAL[b];
          td.style.color = b >= 0 && (b < 40 || b > 215) ? "#fff" : "";
          td.textContent = showValues && v === v ? String(Math.round(v * 1000) / 1000) : "";
        }
      }
    }
    if (m.cur) info(m, g, m.cur.r, m.cur.col);
  }

  function info(m, g, r, col) {
    var sh = m.shape, st = strides(sh), sd = showDim(g), k = sd ? sh[sd.dim] : 1;
    var c = Math.floor(col / k), s = col % k, off = r * st[0] + c * st[1];
    var parts = [];
    g.dims.forEach(function (d) {
      var i = d.role === "show" ? s : g.sel[d.dim];
      off += i * st[d.dim];
      parts.push(d.name + " " + (d.offset + i));
    });
    var v = values(m)[off];
    var box = m.info;
    box.textContent = "";
    box.appendChild(el("span", "i-row", "row " + r + " " + JSON.stringify(m.rows[r])));
    box.appendChild(document.createTextNode(" \u2192 "));
    box.appendChild(el("span", "i-col", "column " + c + " " + JSON.stringify(m.cols[c])));
    if (parts.length) box.appendChild(el("span", "i-dims", " \u00b7 " + parts.join(" \u00b7 ")));
    box.appendChild(document.createTextNode(" = "));
    box.appendChild(el("span", "val", fmt(v)));
  }

  function setCursor(m, g, r, col) {
    var sd = showDim(g), k = sd ? m.shape[sd.dim] : 1, ncol = m.shape[1] * k;
    r = Math.max(0, Math.min(m.shape[0] - 1, r));
    col = Math.max(0, Math.min(ncol - 1, col));
    if (m.cur) m.tds[m.cur.r * ncol + m.cur.col].classList.remove("cur");
    m.cur = { r: r, col: col };
    var td = m.tds[r * ncol + col];
    td.classList.add("cur");
    info(m, g, r, col);
    return td;
  }

  function legend(m) {
    var stops = [];
    for (var i = 0; i <= 8; i++) stops.push(PAL[Math.min(255, Math.round(i * 255 / 8))]);
    var lg = el("span", "legend");
    lg.appendChild(el("span", "", fmt(m.vmin)));
    var bar = el("span", "bar");
    bar.style.background = "linear-gradient(to right," + stops.join(",") + ")";
    lg.appendChild(bar);
    lg.appendChild(el("span", "", fmt(m.vmax)));
    return lg;
  }

  function buildMap(m, g) {
    var sh = m.shape, sd = showDim(g), k = sd ? sh[sd.dim] : 1, C = sh[1], R = sh[0];
    var box = el("div", "map");
    var head = el("div", "maphead");
    head.appendChild(el("h2", "", m.label + " Saliency Heatmap"));
    head.appendChild(el("span", "dimno", "(" + sh.join(" \u00d7 ") + ")"));
    head.appendChild(legend(m));
    box.appendChild(head);
    m.info = el("div", "info", "Hover or tap a cell to see its value; arrow keys move in the table.");
    m.info.setAttribute("aria-live", "polite");
    box.appendChild(m.info);
    var h = ["<thead><tr class=\"r-idx\"><th class=\"c0\"></th><th class=\"c1\"></th>"];
    var cs = k > 1 ? " colspan=\"" + k + "\"" : "", c, s, r;
    for (c = 0; c < C; c++) h.push("<th" + cs + ">" + c + "</th>");
    h.push("</tr><tr class=\"r-tok\"><th class=\"c0\"></th><th class=\"c1\"></th>");
    for (c = 0; c < C; c++) h.push("<th" + cs + ">" + esc(m.cols[c]) + "</th>");
    h.push("</tr>");
    if (sd) {
      h.push("<tr class=\"r-sub\"><th class=\"c0\"></th><th class=\"c1\">" + esc(sd.name) + "</th>");
      for (c = 0; c < C; c++) for (s = 0; s < k; s++) h.push("<th>" + (sd.offset + s) + "</th>");
      h.push("</tr>");
    }
    h.push("</thead><tbody>");
    var cells = "";
    for (c = 0; c < C; c++) for (s = 0; s < k; s++) cells += s === 0 && k > 1 ? "<td class=\"g0\"></td>" : "<td></td>";
    for (r = 0; r < R; r++)
      h.push("<tr><th class=\"c0\">" + r + "</th><th class=\"c1\">" + esc(m.rows[r]) + "</th>" + cells + "</tr>");
    h.push("</tbody>");
    var sc = el("div", "scroll");
    sc.tabIndex = 0;
    sc.setAttribute("aria-label", m.label + " heatmap; arrow keys move between cells");
    var table = el("table", "gm");
    table.innerHTML = h.join("");
    sc.appendChild(table);
    box.appendChild(sc);
    m.table = table;
    m.tds = Array.prototype.slice.call(table.tBodies[0].getElementsByTagName("td"));
    m.cur = null;
    function pick(ev) {
      var td = ev.target.closest ? ev.target.closest("td") : null;
      if (!td || !table.contains(td)) return;
      setCursor(m, g, td.parentNode.sectionRowIndex, td.cellIndex - 2);
    }
    table.addEventListener("mouseover", pick);
    table.addEventListener("click", pick);
    sc.addEventListener("keydown", function (ev) {
      var d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[ev.key];
      if (!d) return;
      ev.preventDefault();
      var cur = m.cur || { r: 0, col: 0 };
      var td = setCursor(m, g, cur.r + (m.cur ? d[0] : 0), cur.col + (m.cur ? d[1] : 0));
      if (td.scrollIntoView) td.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
    paint(m, g);
    return box;
  }

  function buildGroup(g) {
    var box = el("section", "group");
    g.sel = {};
    var ctl = el("div", "controls");
    g.dims.forEach(function (d) {
      if (d.role !== "slider") return;
      g.sel[d.dim] = 0;
      var lab = el("label", "slider");
      lab.appendChild(el("span", "", d.name));
      lab.appendChild(el("span", "dimno", "(dim " + d.dim + ")"));
      var inp = document.createElement("input");
      inp.type = "range"; inp.min = "0"; inp.max = String(d.size - 1); inp.step = "1"; inp.value = "0";
      inp.setAttribute("data-dim", String(d.dim));
      inp.setAttribute("aria-label", d.name + " (dim " + d.dim + ")");
      var out = el("output", "", String(d.offset));
      inp.addEventListener("input", function () {
        g.sel[d.dim] = Number(inp.value);
        out.textContent = String(d.offset + g.sel[d.dim]);
        g.maps.forEach(function (m) { paint(m, g); });
      });
      lab.appendChild(inp);
      lab.appendChild(out);
      ctl.appendChild(lab);
    });
    if (ctl.childNodes.length) box.appendChild(ctl);
    g.maps.forEach(function (m) { box.appendChild(buildMap(m, g)); });
    return box;
  }

  var view = document.getElementById("view");
  var current = -1;
  function renderSeq(i) {
    current = i;
    view.textContent = "";
    META.seqs[i].groups.forEach(function (g) { view.appendChild(buildGroup(g)); });
  }

  var sel = document.getElementById("seq");
  if (META.seqs.length > 1) {
    META.seqs.forEach(function (s, i) {
      var o = el("option", "", s.title);
      o.value = String(i);
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { renderSeq(Number(sel.value)); });
  } else {
    sel.parentNode.style.display = "none";
  }
  document.getElementById("vals").addEventListener("change", function (ev) {
    showValues = ev.target.checked;
    if (current >= 0) META.seqs[current].groups.forEach(function (g) {
      g.maps.forEach(function (m) { paint(m, g); });
    });
  });
  if (META.seqs.length) renderSeq(0);
  else view.textContent = "No attributions to show.";
})();
