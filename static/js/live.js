// Progressive enhancement: when a reply arrives in this thread, say so politely and offer a link.
// The page works fully without this script; it never inserts post text, only a notice.
(function () {
  "use strict";
  var region = document.getElementById("live-region");
  if (!region || !("WebSocket" in window)) { return; }
  var threadId = region.getAttribute("data-thread-id");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var count = 0;
  var retry = 1000;
  function connect() {
    var socket = new WebSocket(scheme + window.location.host + "/ws/threads/" + threadId + "/");
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type !== "post.published") { return; }
      count += 1;
      region.textContent = "";
      var link = document.createElement("a");
      link.href = "/p/" + data.post_id + "/";
      link.textContent = count === 1 ? "1 new reply. Show it" : count + " new replies. Show the latest";
      region.appendChild(link);
    };
    socket.onopen = function () {
      retry = 1000;
      if (!count) { region.textContent = ""; }
    };
    socket.onclose = function (event) {
      // 4404: this thread is not (or no longer) open to this reader. Stop calmly, no retries.
      if (event.code === 4404) {
        region.textContent = "Live updates have stopped for this thread.";
        return;
      }
      // The live link is down (Redis or the server restarting): say so calmly, keep retrying.
      if (!count) { region.textContent = "Live updates are paused for now. Reload the page to see new replies."; }
      retry = Math.min(retry * 2, 60000);
      window.setTimeout(connect, retry);
    };
  }
  connect();
})();
