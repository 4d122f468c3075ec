// Progressive enhancement for thanks and "me too": without this script each button is a form
// that posts and comes back to the post; with it the button toggles in place.
(function () {
  "use strict";
  if (!("fetch" in window)) { return; }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("reaction-form")) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      button.setAttribute("aria-pressed", data.on ? "true" : "false");
      button.classList.toggle("reaction-on", data.on);
      var count = button.querySelector("[data-reaction-count]");
      if (count) { count.textContent = String(data.count); }
      var hint = button.querySelector(".visually-hidden");
      if (hint) { hint.textContent = data.on ? " (yours; press to take it back)" : " (press to add yours)"; }
    }).catch(function () {
      form.submit();  // fall back to the plain form post
    }).then(function () {
      button.disabled = false;
    });
  });
})();
