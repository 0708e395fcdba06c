// Client-side search over assets/search-index.js (a script, because fetch()
// does not work from file://) with the vendored MiniSearch.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list || !window.MiniSearch || !window.HANDOVER_SEARCH) return;

  var root = document.body.getAttribute("data-root") || "";
  var engine = new window.MiniSearch({
    fields: ["title", "text", "kind", "client"],
    storeFields: ["title", "kind", "client", "url"],
    searchOptions: { boost: { title: 3 }, prefix: true, fuzzy: 0.15, combineWith: "AND" },
    // Keep dots, dashes and digits together so hostnames, addresses and
    // phone numbers are found as written.
    tokenize: function (text) {
      return text.split(/[\s,;:()\[\]{}"'`<>|*!?]+/).filter(Boolean);
    },
    processTerm: function (term) {
      var t = term.toLowerCase().replace(/^[.\-#]+|[.\-#]+$/g, "");
      return t || null;
    }
  });
  engine.addAll(window.HANDOVER_SEARCH);

  function show(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q.trim()) {
      status.textContent = "Type a hostname, an address, a vendor, a phone number or a word from a runbook.";
      return;
    }
    var results = engine.search(q);
    if (results.length === 0) {
      // Phone numbers are written with spaces: try them joined.
      results = engine.search(q, { combineWith: "OR" });
    }
    status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d";
    results.slice(0, 50).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.url;
      a.textContent = r.title;
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = " " + r.kind + (r.client ? " \u00b7 " + r.client : "");
      li.appendChild(a);
      li.appendChild(meta);
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  show(input.value);
  input.addEventListener("input", function () { show(input.value); });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    show(input.value);
  });
})();
