// Where keyboard focus should start when a page loads:
// - after a refused submit, on the error summary (so it is in view on a phone and read first);
// - after a redirect to "#post-123" (a new post, a permalink), on that post, so the next Tab
//   continues from what the member just wrote.
// Without this script the page still scrolls to the post; only focus stays at the top.
(function () {
  "use strict";
  function focusOn(element) {
    if (!element.hasAttribute("tabindex")) { element.setAttribute("tabindex", "-1"); }
    element.focus();
  }
  var problem = document.getElementById("form-problem");
  if (problem) { focusOn(problem); return; }
  var id = window.location.hash.slice(1);
  var target = id && document.getElementById(id);
  if (target) { focusOn(target); }
})();
