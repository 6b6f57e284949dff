// allies: a year slider that scrubs the map (progressive enhancement; the page works without).
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
