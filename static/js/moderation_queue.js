// Progressive enhancement for the review queue: hear new items, claims and resolutions live.
// Only ids, kind and priority travel; the page says "N new items, reload" rather than fetching
// text over the socket. Without this script the queue works with a reload.
(function () {
  "use strict";
  var notice = document.getElementById("queue-live");
  var alertBox = document.getElementById("queue-alert");
  if (!notice || !("WebSocket" in window)) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var retry = 1000;
  var fresh = 0;
  var urgent = 0;
  function itemRow(id) { return document.querySelector('[data-item-id="' + id + '"]'); }
  function showNotice() {
    notice.textContent = "";
    if (!fresh) { notice.hidden = true; return; }
    notice.appendChild(document.createTextNode(fresh + (fresh === 1 ? " new item. " : " new items. ")));
    var link = document.createElement("a");
    link.href = window.location.href;
    link.textContent = "Reload the queue";
    notice.appendChild(link);
    notice.hidden = false;
  }
  function showAlert() {
    if (!alertBox || !urgent) { return; }
    alertBox.textContent = urgent === 1
      ? "A high-risk item has just arrived. Please look at it first."
      : urgent + " high-risk items have just arrived. Please look at them first.";
    alertBox.hidden = false;
    document.title = "(" + urgent + " urgent) " + document.title.replace(/^\(\d+ urgent\) /, "");
  }
  function mark(id, text) {
    var row = itemRow(id);
    if (!row) { return; }
    var meta = row.querySelector(".queue-status-live");
    if (!meta) {
      meta = document.createElement("p");
      meta.className = "meta queue-status-live";
      row.appendChild(meta);
    }
    meta.textContent = text;
  }
  function connect() {
    var socket = new WebSocket(scheme + window.location.host + notice.getAttribute("data-queue-socket"));
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type !== "queue.event") { return; }
      if (data.event === "opened" && !itemRow(data.item_id)) {
        fresh += 1;
        if (data.priority >= 3) { urgent += 1; showAlert(); }
        showNotice();
      } else if (data.event === "claimed") {
        mark(data.item_id, "Just claimed by a moderator.");
      } else if (data.event === "resolved") {
        mark(data.item_id, "Just resolved.");
        var row = itemRow(data.item_id);
        if (row) { row.classList.add("queue-item-done"); }
      } else if (data.event === "released") {
        mark(data.item_id, "Released: open again.");
      }
    };
    socket.onopen = function () {
      retry = 1000;
      showNotice();
    };
    socket.onclose = function (event) {
      if (event.code === 4404) { return; }  // not (or no longer) a moderator: stop, no retries
      if (event.code === 4403) {  // the second step is needed again: reloading asks for it
        notice.textContent = "Live updates need you to confirm it's you. Reload the queue to do that.";
        notice.hidden = false;
        return;
      }
      // The live link is down (Redis or the server restarting): say so calmly, keep retrying.
      if (!fresh) {
        notice.textContent = "Live updates are paused for now. Reload the queue to see new items.";
        notice.hidden = false;
      }
      retry = Math.min(retry * 2, 60000);
      window.setTimeout(connect, retry);
    };
  }
  connect();
})();
