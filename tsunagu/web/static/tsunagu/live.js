// Live updates (LIVE_UPDATES=websocket). The page opens the WebSocket named by the body's
// data-live-socket; the server says only what changed (a room entry, an unread count) and the page
// fetches it with the same htmx requests it polls with, so what a viewer sees is rendered in one
// place. While the socket is open the periodic polls are skipped (but one a minute, in case an
// event was lost); when it closes they run again at once, and the page reconnects with backoff.
// A socket refused five times in a row (not a member, WebSockets blocked) is left closed: the page
// then simply polls as it does without live updates.
(function () {
  "use strict";
  const SAFETY_POLL_MS = 60000;
  const MAX_FAILURES = 5;
  let open = false;
  let openedAt = 0;
  let failures = 0;
  const lastPoll = {};

  function setState(state) {
    document.body.dataset.live = state;
  }

  function fire(id) {
    const elt = document.getElementById(id);
    if (elt && window.htmx) window.htmx.trigger(elt, "live");
  }

  // A badge without data-count is still loading its count: that request answers already.
  function refresh(id, count) {
    const elt = document.getElementById(id);
    if (elt && elt.dataset.count !== undefined && elt.dataset.count !== String(count)) fire(id);
  }

  function onMessage(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (data.type === "room.changed") fire("poller");
    else if (data.type === "messages.unread") refresh("nav-messages", data.count);
    else if (data.type === "notifications.unread") refresh("nav-notifications", data.count);
  }

  function connect(path) {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + path);
    let opened = false;
    socket.addEventListener("open", function () {
      opened = true;
      open = true;
      openedAt = Date.now();
      failures = 0;
      setState("open");
      // Anything said between the page's rendering and now.
      fire("poller");
    });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function () {
      open = false;
      if (!opened) failures += 1;
      if (failures >= MAX_FAILURES) {
        setState("off");
        return;
      }
      setState("closed");
      if (opened) fire("poller");
      const wait = Math.min(30000, 1000 * Math.pow(2, failures));
      window.setTimeout(function () {
        connect(path);
      }, wait);
    });
  }

  // Skip a periodic poll (one with no triggering event) while the socket is open.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (!open || !elt || !elt.hasAttribute("data-live-poll")) return;
    const config = event.detail.requestConfig;
    if (config && config.triggeringEvent) return;
    const now = Date.now();
    if (now - (lastPoll[elt.id] || openedAt) >= SAFETY_POLL_MS) {
      lastPoll[elt.id] = now;
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    const path = document.body.dataset.liveSocket;
    if (path && "WebSocket" in window) connect(path);
  });
})();
