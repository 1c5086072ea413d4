// Booking pages: a countdown to a hold's expiry, and forms that send once (a double tap books once;
// the server's client key makes even a retried request safe).
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  document.querySelectorAll("[data-countdown]").forEach(function (el) {
    var end = Number(el.getAttribute("data-expires")) * 1000;
    var out = el.querySelector("[data-left]");
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      if (out) { out.textContent = Math.floor(left / 60) + ":" + pad(left % 60); }
      if (left > 0) { setTimeout(tick, 1000); return; }
      el.classList.add("expired");
      var note = el.querySelector("[data-expired]");
      if (note) { note.hidden = false; }
      document.querySelectorAll("[data-hold-action]").forEach(function (b) {
        if (b.tagName === "A") { b.setAttribute("aria-disabled", "true"); b.removeAttribute("href"); } else { b.disabled = true; }
      });
    }
    if (end) { tick(); }
  });

  // The chosen day may sit far along the strip of days: bring it into view, without moving the page.
  var day = document.querySelector(".days .day.current");
  if (day && day.parentNode.scrollWidth > day.parentNode.clientWidth) {
    day.parentNode.scrollLeft = day.offsetLeft - day.parentNode.offsetLeft - day.parentNode.clientWidth / 2 + day.offsetWidth / 2;
  }

  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      // Disable after the submit has been taken, so the button's own value still goes with it.
      setTimeout(function () { form.querySelectorAll("button").forEach(function (b) { b.disabled = true; }); }, 0);
    });
  });
  // Coming back through the browser's history restores the page as it was: let the form work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      form.removeAttribute("data-sent");
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });
})();
