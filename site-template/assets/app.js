// handover site behaviour. Loaded with <script src defer>: the site's
// Content-Security-Policy allows no inline script. Everything here is an
// enhancement; every page reads fine without JavaScript.
(function () {
  "use strict";

  // Mark deadlines relative to the day the page is read, not the day it was
  // built: a static site stays right for months.
  var DAY = 24 * 60 * 60 * 1000;
  var today = new Date();
  today = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  var SOON = 30 * DAY;

  function parseDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  document.querySelectorAll("[data-expiry]").forEach(function (row) {
    var when = parseDate(row.getAttribute("data-expiry"));
    if (isNaN(when)) return;
    var days = Math.round((when - today) / DAY);
    var status = row.querySelector(".expiry-status");
    if (days < 0) {
      row.classList.add("is-expired");
      if (status) status.textContent = "expired " + -days + " days ago";
    } else if (when - today <= SOON) {
      row.classList.add("is-soon");
      if (status) status.textContent = days === 0 ? "today" : "in " + days + " days";
    }
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
