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
    fields: ["title", "keys", "text", "kind", "client"],
    storeFields: ["title", "kind", "client", "url"],
    searchOptions: { boost: { keys: 6, title: 3 }, prefix: true, fuzzy: 0.15, combineWith: "AND" },
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

  // People and vendors first: a number is usually looked up to call it.
  var PHONE_RANK = { Contact: 0, Vendor: 1 };

  function byPhone(digits) {
    return window.HANDOVER_SEARCH.filter(function (doc) {
      return (doc.phones || "").split(" ").some(function (p) {
        return p.length >= 7 && digits.length >= 7 && (p.slice(-digits.length) === digits || digits.slice(-p.length) === p);
      });
    }).sort(function (a, b) {
      var ra = a.kind in PHONE_RANK ? PHONE_RANK[a.kind] : 2, rb = b.kind in PHONE_RANK ? PHONE_RANK[b.kind] : 2;
      return ra - rb || a.id - b.id;
    });
  }

  function show(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!q.trim()) {
      status.textContent = "Type a hostname, an address, a vendor, a phone number or a word from a runbook.";
      return;
    }
    var results;
    // A phone number is matched on its digits, however it was written: the
    // last digits decide, so "0161 496 0342" finds "+44 161 496 0342".
    if (/^[+\d\s()./-]{7,}$/.test(q.trim())) {
      results = byPhone(q.replace(/\D/g, "").replace(/^0+/, ""));
    } else {
      results = engine.search(q);
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
