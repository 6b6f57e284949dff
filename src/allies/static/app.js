// allies: a year slider that scrubs the map, and zoom, pan and tap on the map (progressive
// enhancement; the page works without: every country is a link).
(function () {
  "use strict";
  var scrub = document.getElementById("scrub");
  var form = document.getElementById("dateform");
  var input = document.getElementById("on");
  var map = document.getElementById("map");
  if (!scrub || !form || !input || !map || !window.fetch) { return; }
  var first = parseInt(scrub.dataset.first, 10);
  var last = parseInt(scrub.dataset.last, 10);
  var year = parseInt(scrub.dataset.year, 10);
  var label = document.createElement("label");
  label.htmlFor = "year";
  label.textContent = "Year";
  var range = document.createElement("input");
  range.type = "range";
  range.id = "year";
  range.min = String(first);
  range.max = String(last);
  range.value = String(year);
  var out = document.createElement("output");
  out.htmlFor = "year";
  out.textContent = String(year);
  scrub.appendChild(label);
  scrub.appendChild(range);
  scrub.appendChild(out);
  scrub.hidden = false;

  var labels = {};
  var shapes = map.querySelectorAll("[data-iso3]");  // the country shapes (not the marks)
  var pending = 0;

  function dayFor(y) {
    var md = (input.value || "").slice(4) || "-12-31";
    if (md === "-02-29") { md = "-02-28"; }
    return String(y).padStart(4, "0") + md;
  }

  var SVGNS = "http://www.w3.org/2000/svg";

  // The secondary mark (stripes: also MNNA; dots: MNNA intent announced) drawn over a shape.
  function setMark(el, mark) {
    var old = document.getElementById("m-" + el.dataset.iso3);
    el.dataset.mark = mark || "";
    if (!mark) {
      if (old) { old.parentNode.removeChild(old); }
      return;
    }
    var ov = old;
    if (!ov) {
      ov = document.createElementNS(SVGNS, el.tagName === "circle" ? "circle" : "path");
      if (el.tagName === "circle") {
        ov.setAttribute("cx", el.getAttribute("cx"));
        ov.setAttribute("cy", el.getAttribute("cy"));
        ov.setAttribute("r", "5");
      } else {
        ov.setAttribute("d", el.getAttribute("d"));
      }
      ov.id = "m-" + el.dataset.iso3;
      ov.dataset.markFor = el.dataset.iso3;
      el.parentNode.insertBefore(ov, el.nextSibling);
    }
    ov.setAttribute("class", "mk " + (el.tagName === "circle" ? "ring " : "") + "mk-" + mark);
  }

  function paint(data) {
    var rows = {};
    data.countries.forEach(function (r) { rows[r.iso3] = r; });
    data.categories.forEach(function (c) {
      labels[c.id] = c.label;
      var el = document.querySelector('[data-count="' + c.id + '"]');
      if (el) { el.textContent = String(c.count); }
      var col = document.querySelector('[data-coloured="' + c.id + '"]');
      if (col && c.coloured !== undefined) { col.textContent = String(c.coloured); }
    });
    (data.marks || []).forEach(function (m) {
      var el = document.querySelector('[data-mark-count="' + m.id + '"]');
      if (el) { el.textContent = String(m.count); }
    });
    var iso = document.getElementById("on-iso");
    if (iso) { iso.textContent = data.on; }
    var notes = document.getElementById("mapnotes");
    if (notes) {
      while (notes.firstChild) { notes.removeChild(notes.firstChild); }
      (data.notes || []).forEach(function (n) {
        var li = document.createElement("li");
        li.className = "note";
        li.textContent = n + ".";
        notes.appendChild(li);
      });
    }
    map.querySelectorAll("[data-marker-for]").forEach(function (el) {
      var r = rows[el.dataset.markerFor];
      var cat = r ? r.category : "none";
      el.setAttribute("class", "dot marker s-" + cat);
      el.dataset.category = cat;
    });
    shapes.forEach(function (el) {
      var r = rows[el.dataset.iso3];
      var cat = r ? r.category : "none";
      el.setAttribute("class", (el.tagName === "circle" ? "dot " : "") + "s-" + cat);
      el.dataset.category = cat;
      el.dataset.statuses = r ? r.statuses.map(function (s) {
        return s.framework + ":" + s.state;
      }).join(" ") : "";
      setMark(el, r ? r.mark : null);
    });
  }

  range.addEventListener("input", function () {
    var day = dayFor(range.value);
    out.textContent = range.value;
    input.value = day;
    var ticket = ++pending;
    fetch("/index.json?on=" + encodeURIComponent(day))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && ticket === pending) { paint(data); } })
      .catch(function () { /* keep the current map */ });
  });
  range.addEventListener("change", function () { form.submit(); });
})();

// Zoom and pan (buttons, pinch, drag when zoomed) by changing the map's viewBox; a tap names
// the country (a second tap on it, or the link in the note, opens its page).
(function () {
  "use strict";
  var map = document.getElementById("map");
  var bar = document.getElementById("zoombar");
  var info = document.getElementById("mapinfo");
  if (!map || !bar || !map.viewBox || !map.viewBox.baseVal) { return; }
  var b = map.viewBox.baseVal;
  var full = { x: b.x, y: b.y, w: b.width, h: b.height };
  var view = { x: full.x, y: full.y, w: full.w, h: full.h };
  var MAX = 16;
  bar.hidden = false;
  map.classList.add("zoomable");

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function unitsPerPx() { return view.w / (map.getBoundingClientRect().width || full.w); }

  function sizeDots() {
    var upp = unitsPerPx();
    var r = clamp(4 * upp, 0.8, 6);
    map.querySelectorAll("circle.dot").forEach(function (c) { c.setAttribute("r", r.toFixed(2)); });
    map.querySelectorAll("circle.ring").forEach(function (c) {
      c.setAttribute("r", (r + 2 * upp).toFixed(2));
    });
  }

  function apply() {
    view.x = clamp(view.x, full.x, full.x + full.w - view.w);
    view.y = clamp(view.y, full.y, full.y + full.h - view.h);
    map.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) {
      return v.toFixed(2);
    }).join(" "));
    map.dataset.zoom = (full.w / view.w).toFixed(2);
    map.classList.toggle("zoomed", view.w < full.w - 0.01);
    sizeDots();
  }

  function zoomAt(factor, cx, cy) {
    var w = clamp(view.w / factor, full.w / MAX, full.w);
    var h = w * full.h / full.w;
    view.x = cx - (cx - view.x) * (w / view.w);
    view.y = cy - (cy - view.y) * (h / view.h);
    view.w = w;
    view.h = h;
    apply();
  }

  function toMap(px, py) {
    var r = map.getBoundingClientRect();
    return { x: view.x + (px - r.left) / r.width * view.w, y: view.y + (py - r.top) / r.height * view.h };
  }

  function centre() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }
  document.getElementById("zoom-in").addEventListener("click", function () {
    var c = centre(); zoomAt(2, c.x, c.y);
  });
  document.getElementById("zoom-out").addEventListener("click", function () {
    var c = centre(); zoomAt(0.5, c.x, c.y);
  });
  document.getElementById("zoom-reset").addEventListener("click", function () {
    view = { x: full.x, y: full.y, w: full.w, h: full.h }; apply();
  });
  map.addEventListener("wheel", function (e) {
    if (!e.ctrlKey) { return; }  // ctrl + wheel (and trackpad pinch) zoom; plain wheel scrolls
    e.preventDefault();
    var p = toMap(e.clientX, e.clientY);
    zoomAt(e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  }, { passive: false });

  // pointers: one drags (when zoomed), two pinch
  var pts = {};
  var start = null;
  var dragged = false;
  function count() { return Object.keys(pts).length; }
  function snapshot() {
    var ids = Object.keys(pts);
    var a = pts[ids[0]], c = ids.length > 1 ? pts[ids[1]] : a;
    return {
      view: { x: view.x, y: view.y, w: view.w, h: view.h },
      mid: { x: (a.x + c.x) / 2, y: (a.y + c.y) / 2 },
      dist: Math.hypot(a.x - c.x, a.y - c.y) || 1,
      n: ids.length
    };
  }
  map.addEventListener("pointerdown", function (e) {
    pts[e.pointerId] = { x: e.clientX, y: e.clientY };
    start = snapshot();
    if (count() === 1) { dragged = false; }
  });
  map.addEventListener("pointermove", function (e) {
    if (!pts[e.pointerId] || !start) { return; }
    pts[e.pointerId] = { x: e.clientX, y: e.clientY };
    var now = snapshot();
    if (now.n !== start.n) { start = now; return; }
    var r = map.getBoundingClientRect();
    if (now.n >= 2) {
      dragged = true;
      var f = now.dist / start.dist;
      var w = clamp(start.view.w / f, full.w / MAX, full.w);
      var h = w * full.h / full.w;
      var mx = start.view.x + (start.mid.x - r.left) / r.width * start.view.w;
      var my = start.view.y + (start.mid.y - r.top) / r.height * start.view.h;
      view.w = w;
      view.h = h;
      view.x = mx - (now.mid.x - r.left) / r.width * w;
      view.y = my - (now.mid.y - r.top) / r.height * h;
      apply();
      e.preventDefault();
    } else if (start.view.w < full.w - 0.01) {
      var dx = now.mid.x - start.mid.x, dy = now.mid.y - start.mid.y;
      if (!dragged && Math.hypot(dx, dy) < 5) { return; }
      dragged = true;
      view.x = start.view.x - dx / r.width * start.view.w;
      view.y = start.view.y - dy / r.height * start.view.h;
      apply();
      e.preventDefault();
    }
  });
  function up(e) { delete pts[e.pointerId]; start = count() ? snapshot() : null; }
  map.addEventListener("pointerup", up);
  map.addEventListener("pointercancel", up);

  // tap (or click) on a country: name it; the same tap again, or the note's link, opens it
  var named = null;
  map.addEventListener("click", function (e) {
    if (dragged) { e.preventDefault(); dragged = false; return; }
    var a = e.target.closest ? e.target.closest("a") : null;
    if (!a || !info || e.detail === 0) { return; }  // keyboard: follow the link
    var href = a.getAttribute("href");
    if (named === href) { return; }
    e.preventDefault();
    named = href;
    var t = a.querySelector("title");
    var shape = a.querySelector("[data-iso3],[data-marker-for]");
    var text = t ? t.textContent : (shape ? shape.getAttribute("data-iso3") : href);
    while (info.firstChild) { info.removeChild(info.firstChild); }
    var strong = document.createElement("strong");
    strong.textContent = text;
    var link = document.createElement("a");
    link.href = href;
    link.id = "mapinfo-link";
    link.textContent = "Open this country’s record";
    info.appendChild(strong);
    info.appendChild(document.createTextNode(" · "));
    info.appendChild(link);
    info.hidden = false;
  });
  window.addEventListener("resize", sizeDots);
  apply();
})();
