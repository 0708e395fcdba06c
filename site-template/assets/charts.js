// Draws the charts of a page with the vendored ECharts. Each chart's
// options are JSON in a <script type="application/json"> beside its
// container (the CSP allows no inline script); a click on a node opens its
// page. The same information is always on the page as text.
(function () {
  "use strict";
  if (!window.echarts) return;
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var data = document.getElementById(el.getAttribute("data-chart"));
    if (!data) return;
    var spec = JSON.parse(data.textContent);
    var chart = window.echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    if (dark) spec.option.backgroundColor = "transparent";
    chart.setOption(spec.option);
    chart.on("click", function (params) {
      var url = spec.links[params.name];
      if (url) window.location.href = url;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
