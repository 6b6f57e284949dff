// allies, every page: country suggestions in the search box, and the chosen date in ISO form
// beside each date input. Progressive enhancement: the form and inputs work without it.
(function () {
  "use strict";
  // ISO date beside each date input (the browser may show mm/dd/yyyy).
  document.querySelectorAll("output.iso-date").forEach(function (out) {
    var input = document.getElementById(out.htmlFor.value || out.getAttribute("for"));
    if (!input) { return; }
    var show = function () { out.textContent = input.value || "(no date)"; };
    input.addEventListener("input", show);
    input.addEventListener("change", show);
  });

  // Country suggestions from /search.json, as a datalist.
  var q = document.getElementById("q");
  var list = document.getElementById("q-list");
  if (!q || !list || !window.fetch) { return; }
  var ticket = 0;
  var timer = null;
  function fill(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (s) {
      var opt = document.createElement("option");
      opt.value = s.name;
      opt.label = s.match !== s.name ? s.name + " (" + s.match + ", " + s.iso3 + ")" : s.name + " (" + s.iso3 + ")";
      list.appendChild(opt);
    });
  }
  q.addEventListener("input", function () {
    var value = q.value.trim();
    if (timer) { clearTimeout(timer); }
    if (!value) { fill([]); return; }
    timer = setTimeout(function () {
      var mine = ++ticket;
      fetch("/search.json?q=" + encodeURIComponent(value))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && mine === ticket) { fill(data.suggestions); } })
        .catch(function () { /* no suggestions; the form still works */ });
    }, 120);
  });
})();
