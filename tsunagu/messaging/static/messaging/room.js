// Keep the newest message in view: on load, and when new ones arrive while the reader is
// already near the bottom (someone reading older messages is not pulled away).
(function () {
  "use strict";
  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 200;
  }
  function toNewest() {
    const poller = document.getElementById("poller");
    if (poller) poller.scrollIntoView({ block: "end" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.location.hash) toNewest();
  });
  let follow = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    follow = nearBottom() || (event.detail.elt && event.detail.elt.id === "composer");
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.elt;
    if (follow && target && (target.id === "poller" || target.id === "composer")) toNewest();
  });
})();
