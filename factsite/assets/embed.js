// A chart's own page in another site's iframe (factsite/embeds.py): tells the page around it how tall
// this page is, whenever that changes (the frame's width, the data table opened, the interactive view
// drawn), so that the embed snippet's script makes the iframe as tall and no scrollbar shows inside.
// The message goes to any origin ("*"): this page cannot know which site embeds it, and the height of
// a public chart is no secret. The snippet's script takes it only from its own iframe's window.
(function () {
  "use strict";
  var figure = document.querySelector("figure[data-chart]");
  if (!figure || window.parent === window) return;
  var chart = figure.getAttribute("data-chart");
  var posted = 0;

  function postHeight() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === posted) return;
    posted = height;
    window.parent.postMessage({ type: "factsite:embed-height", chart: chart, height: height }, "*");
  }

  if (typeof ResizeObserver === "function") new ResizeObserver(postHeight).observe(document.documentElement);
  window.addEventListener("resize", postHeight);
  window.addEventListener("load", postHeight);
  postHeight();
})();
