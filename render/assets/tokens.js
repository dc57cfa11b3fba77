"use strict";
(function () {
  var META = JSON.parse(document.getElementById("as-meta").textContent);
  var PAL = META.palette;

  function bucket(v, lo, hi) {
    if (v === null || v !== v) return -1;
    var x = (v - lo) / (hi - lo);
    if (x !== x) return -1;
    var s = x * 256;
    if (s === 256) return 255;
    if (s < 0) return 0;
    if (s >= 256) return 255;
    return Math.floor(s);
  }

  function fmt(v) {
    if (v === null || v !== v) return "NaN";
    return String(Number(v.toPrecision(6)));
  }

  function dark(hex) {
    var r = parseInt(hex.substr(1, 2), 16), g = parseInt(hex.substr(3, 2), 16),
        b = parseInt(hex.substr(5, 2), 16);
    return 0.299 * r + 0.587 * g + 0.114 * b < 128;
  }

  function paintTok(span, v, lo, hi) {
    var b = bucket(v, lo, hi);
    span.style.backgroundColor = b < 0 ? "" : PAL[b];
    span.style.color = b >= 0 && dark(PAL[b]) ? "#fff" : "";
    span.setAttribute("data-value", fmt(v));
    span.title = fmt(v);
  }

  Array.prototype.forEach.call(document.querySelectorAll("section.tv"), function (sec) {
    var d = META.seqs[Number(sec.getAttribute("data-seq"))];
    var G = d.g;
    var gens = Array.prototype.slice.call(sec.querySelectorAll(".tok.g"));
    var attr = sec.querySelector(".attr"), hint = sec.querySelector(".hint");
    var src = Array.prototype.slice.call(sec.querySelectorAll(".toks.src .tok.a"));
    var tgt = Array.prototype.slice.call(sec.querySelectorAll(".toks.tgt .tok.a"));
    var infoBox = sec.querySelector(".info");
    var selected = -1;

    function select(g) {
      if (g < 0 || g >= gens.length) return;
      if (selected >= 0) gens[selected].setAttribute("aria-pressed", "false");
      selected = g;
      gens[g].setAttribute("aria-pressed", "true");
      var label = gens[g].getAttribute("data-text");
      Array.prototype.forEach.call(sec.querySelectorAll(".sel-tok"), function (e) {
        e.textContent = label;
      });
      src.forEach(function (span, i) { paintTok(span, d.src[i * G + g], d.vmin, d.vmax); });
      tgt.forEach(function (span, i) {
        var on = i < d.pos + g, next = span.nextSibling;
        span.classList.toggle("off", !on);
        if (next && next.nodeName === "BR") next.classList.toggle("off", !on);
        if (on) paintTok(span, d.tgt[i * G + g], d.vmin, d.vmax);
      });
      attr.hidden = false;
      if (hint) hint.hidden = true;
      infoBox.textContent = "Hover or tap a token to see its attribution to \u201c" + label + "\u201d.";
    }

    gens.forEach(function (span, g) {
      span.addEventListener("click", function () { select(g); });
      span.addEventListener("focus", function () { select(g); });
      span.addEventListener("keydown", function (ev) {
        var to = { ArrowRight: g + 1, ArrowLeft: g - 1, Home: 0, End: gens.length - 1 }[ev.key];
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(g); return; }
        if (to === undefined) return;
        ev.preventDefault();
        to = Math.max(0, Math.min(gens.length - 1, to));
        gens[to].focus();
      });
    });

    function show(ev) {
      var t = ev.target;
      if (!t.classList || !t.classList.contains("a") || selected < 0) return;
      var kind = t.parentNode.classList.contains("src") ? "source" : "target";
      infoBox.textContent = kind + " token " + t.getAttribute("data-i") + " \u201c" +
        t.getAttribute("data-text") + "\u201d \u2192 \u201c" + gens[selected].getAttribute("data-text") +
        "\u201d = " + t.getAttribute("data-value");
    }
    attr.addEventListener("mouseover", show);
    attr.addEventListener("click", show);
  });
})();
