// Progressive enhancement: each chart's build-time SVG is replaced by an interactive Vega view
// (tooltips) made from the spec inlined in the page. Without JavaScript the SVG stays.
//
// On a narrow screen a single view is redrawn to the column's width, so its text keeps its size
// instead of shrinking with the whole picture: its title is broken into lines, then its plot is
// narrowed by however much the drawn chart still overflows. Concatenated or faceted views cannot
// be narrowed this way; they keep the static picture, scaled to fit.
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function") return;

  function wrap(text, width) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    return line ? lines.concat([line]) : lines;
  }

  // Numbers and dates in the page's language: the build puts d3's formats for it in the spec's usermeta.
  function embedOptions(spec) {
    var options = { actions: false, renderer: "svg", tooltip: { theme: "custom" } };
    var meta = spec.usermeta || {};
    if (meta.formatLocale) options.formatLocale = meta.formatLocale;
    if (meta.timeFormatLocale) options.timeFormatLocale = meta.timeFormatLocale;
    return options;
  }

  function isSingleView(spec) {
    return !(spec.vconcat || spec.hconcat || spec.concat || spec.facet || spec.repeat);
  }

  // A title given as lines (for the wide picture) is one text to break again for the column.
  function asText(title) {
    return Array.isArray(title) ? title.join(" ") : title;
  }

  function wrapTitle(spec, columnWidth) {
    var chars = Math.max(20, Math.floor(columnWidth / 10));
    var title = asText(spec.title);
    if (typeof title === "string") spec.title = { text: wrap(title, chars) };
    else if (spec.title && typeof asText(spec.title.text) === "string") spec.title.text = wrap(asText(spec.title.text), chars);
    return spec;
  }

  // Axis titles do not shrink with the plot either, and a long one centred under a narrow plot
  // widens the chart: each x title is broken into lines of about half the column. (A y title
  // runs up the side, along the chart's height.)
  function wrapAxisTitles(node, columnWidth) {
    if (!node || typeof node !== "object") return node;
    var chars = Math.max(12, Math.floor(columnWidth / 14));
    if (node.encoding) {
      ["x", "x2"].forEach(function (channel) {
        var definition = node.encoding[channel];
        if (!definition) return;
        if (typeof asText(definition.title) === "string") definition.title = wrap(asText(definition.title), chars);
        if (definition.axis && typeof asText(definition.axis.title) === "string") {
          definition.axis.title = wrap(asText(definition.axis.title), chars);
        }
      });
    }
    Object.keys(node).forEach(function (key) { wrapAxisTitles(node[key], columnWidth); });
    return node;
  }

  // Long labels (region names, legend entries) keep their room however narrow the plot: on a narrow
  // column each label is cut to at most about a third of it (Vega ends a cut label with "…"; the data table
  // below the chart has every name whole).
  function capLabels(node, columnWidth) {
    if (!node || typeof node !== "object") return node;
    var most = Math.floor(columnWidth * 0.38);
    if (typeof node.labelLimit === "number" && node.labelLimit > most) node.labelLimit = most;
    if (node.mark === "text") node.mark = { type: "text" };
    if (node.mark && node.mark.type === "text") node.mark.limit = Math.min(node.mark.limit || Infinity, columnWidth - 24);
    Object.keys(node).forEach(function (key) { capLabels(node[key], columnWidth); });
    return node;
  }

  // Labels and legends do not shrink with the plot, so narrowing may take a few passes.
  function narrowToColumn(result, target, columnWidth, passes) {
    var drawn = target.querySelector("svg");
    var excess = drawn ? drawn.getBoundingClientRect().width - columnWidth : 0;
    var view = result.view;
    if (!(excess > 0) || passes === 0 || view.width() <= 100) return result;
    return view.width(Math.max(view.width() - excess - 4, 100)).runAsync().then(function () {
      return narrowToColumn(result, target, columnWidth, passes - 1);
    });
  }

  // As the build-time SVG is (charts.inline_svg): one image named by the chart's description. Vega's
  // SVG has no name, and its inner roles, though moot under role="img", read as unnamed images.
  function nameAsOneImage(svg, label) {
    Array.prototype.forEach.call(svg.querySelectorAll("[role], [aria-roledescription], [aria-label]"), function (element) {
      element.removeAttribute("role");
      element.removeAttribute("aria-roledescription");
      element.removeAttribute("aria-label");
    });
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  }

  var figures = document.querySelectorAll("figure[data-chart]");
  Array.prototype.forEach.call(figures, function (figure) {
    var specElement = figure.querySelector("script.chart-spec");
    var target = figure.querySelector(".chart-interactive");
    var still = figure.querySelector(".chart-static");
    if (!specElement || !target || !still) return;
    var spec = JSON.parse(specElement.textContent);
    var picture = still.querySelector("svg");
    var columnWidth = figure.clientWidth;
    var tooWide = picture && parseFloat(picture.getAttribute("width")) > columnWidth;
    if (tooWide && !isSingleView(spec)) {
      figure.classList.add("stays-static"); // said, so readers' tools and tests know the script is done
      return;
    }
    if (tooWide) spec = capLabels(wrapAxisTitles(wrapTitle(spec, columnWidth), columnWidth), columnWidth);
    target.hidden = false; // shown before drawing, so the drawn width can be measured
    window
      .vegaEmbed(target, spec, embedOptions(spec))
      .then(function (result) { return tooWide ? narrowToColumn(result, target, columnWidth, 4) : result; })
      .then(function () {
        var svg = target.querySelector("svg");
        var named = still.querySelector("svg[aria-label]");
        if (svg && named) nameAsOneImage(svg, named.getAttribute("aria-label"));
        still.hidden = true;
        figure.classList.add("is-interactive");
      })
      .catch(function (error) {
        target.hidden = true;
        figure.classList.add("stays-static");
        // The static chart is still there; say why the interactive one is not.
        console.warn("chart " + figure.getAttribute("data-chart") + " stays static:", error);
      });
  });
})();
