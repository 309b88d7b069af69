// Progressive enhancement: each chart's build-time SVG is replaced by an interactive Vega view
// (tooltips) made from its spec, which a script beside the page holds (charts/<id>.spec.js, named by
// the figure's data-spec; a script loads from file:// too). Without JavaScript the SVG stays.
//
// The build-time SVG already shows every chart; what the interactive view adds is tooltips, for a
// reader who reaches for a chart. So the Vega bundle (assets/vega-embed.js, about 300 kB compressed,
// named by this script's data-bundle) loads only when one does: a pointer over a figure (a mouse,
// a pen, or a finger touching it) or keyboard focus inside one. A page costs this small script
// until then, and no reader waits for what they never use. Once the bundle is there, the other
// charts turn interactive as they come near the screen.
//
// The interactive view is drawn out of sight, then put in the static picture's place in one step,
// in a box at least as tall as the picture's: the page does not move.
//
// On a narrow screen a single view is redrawn to the column's width, so its text keeps its size
// instead of shrinking with the whole picture: its title is broken into lines, then its plot is
// narrowed by however much the drawn chart still overflows, and lowered so that it fits the
// picture's height. Concatenated or faceted views cannot be narrowed this way; they keep the
// static picture, scaled to fit.
(function () {
  "use strict";
  var script = document.currentScript;
  var bundleAddress = script && script.getAttribute("data-bundle");
  var bundle = null; // the promise of the bundle, once asked for

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

  // Wrapped titles make the redrawn chart taller than the scaled-down picture: a plot of a fixed
  // height is lowered by as much (not below 120 px), so the chart takes the picture's place without
  // moving the page. (A plot whose height comes from its bands, {"step": ...}, is left as it is, and
  // so is one whose drawing would no longer fit its frame.)
  function fitHeight(result, target, height, passes) {
    var drawn = target.querySelector("svg");
    var excess = drawn ? drawn.getBoundingClientRect().height - height : 0;
    var view = result.view, before = view.height();
    if (!(excess > 0.5) || passes === 0 || before <= 120) return result;
    return view.height(Math.max(before - Math.ceil(excess), 120)).runAsync().then(function () {
      var svg = target.querySelector("svg"), frame = svg.getBoundingClientRect(), box = svg.getBBox();
      if (box.y < -0.5 || box.y + box.height > frame.height + 0.5) {
        return view.height(before).runAsync().then(function () { return result; });
      }
      return fitHeight(result, target, height, passes - 1);
    });
  }

  // As the build-time SVG is (charts.inline_svg): one image named by the chart's description. Vega's
  // SVG has no name, and its inner roles, though moot under role="img", read as unnamed images.
  function nameAsOneImage(svg, label) {
    Array.prototype.forEach.call(svg.querySelectorAll("[role], [aria-roledescription], [aria-label]"), function (element) {
      // A described mark's item keeps its name, as the build-time picture does, for tables.js to link it with its row.
      // (Vega names every other item by its fields, "Region: Tuva; ...", which is no name.)
      var name = element.getAttribute("aria-label");
      if (/ mark$/.test(element.getAttribute("aria-roledescription") || "") && name && name.indexOf(":") < 0) {
        element.setAttribute("data-name", name);
      }
      element.removeAttribute("role");
      element.removeAttribute("aria-roledescription");
      element.removeAttribute("aria-label");
    });
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  }

  // The bundle, as one classic script added to the page once; resolves when window.vegaEmbed is there.
  function loadBundle() {
    if (bundle) return bundle;
    bundle = new Promise(function (resolve, reject) {
      if (typeof window.vegaEmbed === "function") return resolve();
      if (!bundleAddress) return reject(new Error("charts.js has no data-bundle"));
      var element = document.createElement("script");
      element.src = bundleAddress;
      element.onload = function () {
        if (typeof window.vegaEmbed === "function") resolve();
        else reject(new Error("the Vega bundle did not define vegaEmbed"));
      };
      element.onerror = function () { reject(new Error("the Vega bundle did not load: " + bundleAddress)); };
      document.head.appendChild(element);
    });
    return bundle;
  }

  function staysStatic(figure, target, error) {
    target.hidden = true;
    target.removeAttribute("style");
    figure.removeAttribute("data-chart-upgrading");
    figure.classList.add("stays-static");
    // The static chart is still there; say why the interactive one is not.
    if (error) console.warn("chart " + figure.getAttribute("data-chart") + " stays static:", error);
  }

  // A chart drawn in two layouts (the build's wide and narrow pictures) shows the one the stylesheet
  // shows for the width: the interactive view is drawn from that layout's spec. The narrow spec leaves
  // out the rows it shares with the wide one, which are taken from there.
  function shownPicture(still) {
    var pictures = still.querySelectorAll("svg");
    for (var i = 0; i < pictures.length; i++) if (pictures[i].getBoundingClientRect().width > 0) return pictures[i];
    return pictures[0];
  }

  // The specs come in a script of their own (charts/<id>.spec.js, which loads from file:// too), asked
  // for when a reader reaches for the chart; each call gets copies, as the view is drawn from them.
  var specs = (self.factsiteSpecs = self.factsiteSpecs || {});
  function loadSpecs(figure) {
    var id = figure.getAttribute("data-chart");
    if (specs[id]) return Promise.resolve(JSON.parse(JSON.stringify(specs[id])));
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = figure.getAttribute("data-spec");
      script.onload = function () {
        if (specs[id]) resolve(JSON.parse(JSON.stringify(specs[id])));
        else reject(new Error(script.src + " holds no spec for " + id));
      };
      script.onerror = function () { reject(new Error("could not load " + script.src)); };
      document.head.appendChild(script);
    });
  }

  function shownSpec(loaded, still) {
    var spec = loaded[0];
    var narrow = loaded[1];
    var narrowPicture = still.querySelector(".chart-narrow svg");
    if (!narrow || !narrowPicture || shownPicture(still) !== narrowPicture) return spec;
    // Rows named "factsite-shared-<n>" are the wide spec's n-th inline rows (render_html.without_shared_data).
    var shared = {};
    inlineRows(spec, []).forEach(function (values, n) { shared["factsite-shared-" + n] = values; });
    narrow.datasets = Object.assign(shared, spec.datasets || {}, narrow.datasets || {});
    // Top-level parts the same in both layouts are written once, in the wide spec.
    (narrow["factsite-same"] || []).forEach(function (key) { narrow[key] = spec[key]; });
    delete narrow["factsite-same"];
    return narrow;
  }

  function inlineRows(node, found) {
    if (Array.isArray(node)) node.forEach(function (child) { inlineRows(child, found); });
    else if (node && typeof node === "object") {
      if (node.data && typeof node.data === "object" && "values" in node.data) found.push(node.data.values);
      Object.keys(node).forEach(function (key) { inlineRows(node[key], found); });
    }
    return found;
  }

  // Draw the figure's interactive view out of sight, then swap it in for the picture in one step.
  function upgrade(figure) {
    if (figure.hasAttribute("data-chart-upgrading") || figure.matches(".is-interactive, .stays-static")) return;
    figure.setAttribute("data-chart-upgrading", "");
    var target = figure.querySelector(".chart-interactive");
    var still = figure.querySelector(".chart-static");
    loadSpecs(figure).then(
      function (loaded) { draw(figure, target, still, shownSpec(loaded, still)); },
      function (error) { staysStatic(figure, target, error); }
    );
  }

  function draw(figure, target, still, spec) {
    var columnWidth = figure.clientWidth;
    var picture = shownPicture(still);
    var tooWide = picture && parseFloat(picture.getAttribute("width")) > columnWidth;
    if (tooWide && !isSingleView(spec)) {
      staysStatic(figure, target); // a combined view wider than the column: the picture stays, whole
      return;
    }
    var height = still.getBoundingClientRect().height; // the box the picture takes, kept for the view
    if (tooWide) spec = capLabels(wrapAxisTitles(wrapTitle(spec, columnWidth), columnWidth), columnWidth);
    figure.style.position = "relative";
    target.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;width:" + columnWidth + "px";
    target.hidden = false; // laid out (unseen) before drawing, so the drawn size can be measured
    window
      .vegaEmbed(target, spec, embedOptions(spec))
      .then(function (result) { return tooWide ? narrowToColumn(result, target, columnWidth, 4) : result; })
      .then(function (result) { return tooWide && typeof spec.height === "number" ? fitHeight(result, target, height, 2) : result; })
      .then(function () {
        var svg = target.querySelector("svg");
        var named = still.querySelector("svg[aria-label]");
        if (svg && named) nameAsOneImage(svg, named.getAttribute("aria-label"));
        // One step, so the page shows either the picture or the view, in a box of the same height.
        target.style.cssText = "min-height:" + height + "px";
        figure.style.position = "";
        still.hidden = true;
        figure.removeAttribute("data-chart-upgrading");
        figure.classList.add("is-interactive");
        figure.dispatchEvent(new CustomEvent("chartinteractive")); // for tables.js, which links marks with rows
      })
      .catch(function (error) {
        figure.style.position = "";
        staysStatic(figure, target, error);
      });
  }

  // Once the bundle is there, the other charts turn interactive as they come near the screen.
  function upgradeNearScreen(figures) {
    if (!("IntersectionObserver" in window)) return figures.forEach(upgrade);
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watcher.unobserve(entry.target);
        upgrade(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    figures.forEach(function (figure) { watcher.observe(figure); });
  }

  var figures = Array.prototype.filter.call(document.querySelectorAll("figure[data-chart][data-spec]"), function (figure) {
    return figure.querySelector(".chart-interactive") && figure.querySelector(".chart-static");
  });

  var watching = false; // whether charts near the screen are being made interactive (once the bundle is there)

  function reachedFor(event) {
    var figure = event.currentTarget;
    figure.removeEventListener("pointerover", reachedFor);
    figure.removeEventListener("focusin", reachedFor);
    loadBundle().then(
      function () {
        upgrade(figure);
        if (!watching) {
          watching = true;
          upgradeNearScreen(figures);
        }
      },
      function (error) {
        figures.forEach(function (each) {
          if (!each.matches(".is-interactive, .stays-static")) staysStatic(each, each.querySelector(".chart-interactive"), error);
        });
      }
    );
  }

  figures.forEach(function (figure) {
    figure.addEventListener("pointerover", reachedFor);
    figure.addEventListener("focusin", reachedFor);
  });
})();
