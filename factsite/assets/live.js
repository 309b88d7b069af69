// Live preview, added to pages only by `build.py serve`: reload when a new build is ready,
// show a failed build's error over the page (the last good build stays underneath).
(function () {
  "use strict";
  var script = document.currentScript;
  var shownBuild = script.getAttribute("data-build");
  var panel = document.getElementById("factsite-build-error");
  if (!panel || typeof window.EventSource !== "function") return;
  var events = new EventSource(script.src.replace(/live\.js$/, "events"));
  events.addEventListener("build", function (message) {
    var state = JSON.parse(message.data);
    if (state.error) {
      panel.querySelector("pre").textContent = state.error;
      panel.hidden = false;
    } else if (state.build !== shownBuild) {
      events.close();
      window.location.reload();
    } else {
      panel.hidden = true;
    }
  });
})();
