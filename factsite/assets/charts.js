// Progressive enhancement: each chart's build-time SVG is replaced by an interactive Vega view
// (tooltips) made from the spec inlined in the page. Without JavaScript the SVG stays.
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") return;
  var figures = document.querySelectorAll("figure[data-chart]");
  Array.prototype.forEach.call(figures, function (figure) {
    var specElement = figure.querySelector("script.chart-spec");
    var target = figure.querySelector(".chart-interactive");
    var still = figure.querySelector(".chart-static");
    if (!specElement || !target || !still) return;
    var spec = JSON.parse(specElement.textContent);
    window
      .vegaEmbed(target, spec, { actions: false, renderer: "svg", tooltip: { theme: "custom" } })
      .then(function () {
        // Vega's SVG has no accessible name; give it the static chart's: one image named by the description.
        var svg = target.querySelector("svg");
        var label = still.querySelector("svg[aria-label]");
        if (svg && label) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", label.getAttribute("aria-label"));
        }
        target.hidden = false;
        still.hidden = true;
        figure.classList.add("is-interactive");
      })
      .catch(function (error) {
        // The static chart is still there; say why the interactive one is not.
        console.warn("chart " + figure.getAttribute("data-chart") + " stays static:", error);
      });
  });
})();
