// The few behaviours every page shares, bound by data attributes instead of inline handlers, so that
// the pages run under a Content-Security-Policy without 'unsafe-inline' for scripts (issue 15, item 10):
//   .menu-toggle             opens and closes the main menu on a phone
//   select[data-autosubmit]  sends its form when the choice changes
//   form[data-confirm]       asks before sending (the attribute holds the question)
//   [data-print]             prints the page
//   input[data-select-on-click] selects its text when clicked (a link to copy)
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var toggle = target.closest(".menu-toggle");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls") || "mainnav");
      if (nav) toggle.setAttribute("aria-expanded", String(nav.classList.toggle("open")));
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    if (target.matches("input[data-select-on-click]")) target.select();
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
