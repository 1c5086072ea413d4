/* The site page's "navigate there" links and the copyable address (no inline script). A link's href
   is the map's web URI; with JavaScript the app's own URI scheme is tried first, and the web page
   opens only when the page is still in front a moment later (no app took over). */
(function () {
  "use strict";
  var iOS = /iPhone|iPad|iPod/.test(navigator.userAgent);
  var mobile = /Android|iPhone|iPad|iPod|Mobile/.test(navigator.userAgent);

  document.querySelectorAll("a.nav-app").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var app = (iOS && a.dataset.ios) || a.dataset.app;
      if (!mobile || !app) return; // a desktop has no map app: the web page it is
      e.preventDefault();
      var fallback = setTimeout(function () { if (!document.hidden) window.location.href = a.href; }, 1500);
      document.addEventListener("visibilitychange", function gone() {
        if (document.hidden) { clearTimeout(fallback); document.removeEventListener("visibilitychange", gone); }
      });
      window.location.href = app;
    });
  });

  var copy = document.getElementById("copy-address");
  if (copy) {
    var status = document.getElementById("copy-status");
    copy.classList.add("ready");
    copy.addEventListener("click", function () {
      var done = function () { status.textContent = copy.dataset.done; };
      var fail = function () {
        // Select the address so that the phone's own copy menu takes it.
        var range = document.createRange();
        range.selectNodeContents(document.getElementById("site-address"));
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        status.textContent = copy.dataset.fail;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(copy.dataset.copy).then(done, fail);
      } else {
        fail();
      }
    });
  }
})();
