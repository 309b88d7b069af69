// Progressive enhancement: each chart's build-time SVG is replaced by an interactive Vega view
// (tooltips) made from the spec inlined in the page. Without JavaScript the SVG stays.
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") return;
  // A single view wider than the column is redrawn at the column's width, so its text keeps its
  // size on a phone instead of shrinking with the whole picture; its title is broken into lines.
  // Concatenated and faceted views cannot do this: they keep the static picture, scaled to fit.
  function wrap(text, width) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    return line ? lines.concat([line]) : lines;
  }
  function fitToColumn(spec, columnWidth) {
    if (typeof spec.width !== "number" || spec.width + 160 <= columnWidth) return spec;
    spec.width = "container";
    var chars = Math.max(20, Math.floor(columnWidth / 8.5));
    if (typeof spec.title === "string") spec.title = { text: wrap(spec.title, chars) };
    else if (spec.title && typeof spec.title.text === "string") spec.title.text = wrap(spec.title.text, chars);
    return spec;
  }
  function isSingleView(spec) {
    return !(spec.vconcat || spec.hconcat || spec.concat || spec.facet || spec.repeat);
  }
  var figures = document.querySelectorAll("figure[data-chart]");
  Array.prototype.forEach.call(figures, function (figure) {
    var specElement = figure.querySelector("script.chart-spec");
    var target = figure.querySelector(".chart-interactive");
    var still = figure.querySelector(".chart-static");
    if (!specElement || !target || !still) return;
    var spec = JSON.parse(specElement.textContent);
    if (!isSingleView(spec)) return;
    spec = fitToColumn(spec, figure.clientWidth);
    target.hidden = false; // shown before drawing: a "container" width is measured from it
    window
      .vegaEmbed(target, spec, { actions: false, renderer: "svg", tooltip: { theme: "custom" } })
      .then(function () {
        still.hidden = true;
        figure.classList.add("is-interactive");
      })
      .catch(function (error) {
        target.hidden = true;
        // The static chart is still there; say why the interactive one is not.
        console.warn("chart " + figure.getAttribute("data-chart") + " stays static:", error);
      });
  });
})();
