// Progressive enhancement: keep the header's unread count current while a page is open.
// Only the count travels over the socket; without this script the count is right on each page load.
(function () {
  "use strict";
  var holder = document.getElementById("notification-count");
  if (!holder || !("WebSocket" in window)) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var retry = 1000;
  function show(unread) {
    holder.textContent = "";
    if (!unread) { return; }
    holder.appendChild(document.createTextNode(" "));
    var badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = String(unread);
    holder.appendChild(badge);
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = " unread";
    holder.appendChild(label);
  }
  function connect() {
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "notifications.count") { show(data.unread); }
    };
    socket.onopen = function () { retry = 1000; };
    socket.onclose = function (event) {
      if (event.code === 4401) { return; }  // signed out: stop, no retries
      retry = Math.min(retry * 2, 60000);
      window.setTimeout(connect, retry);
    };
  }
  connect();
})();
