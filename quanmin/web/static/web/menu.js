// The menu's groups: one open at a time; a click elsewhere or Escape closes it.
(function () {
  function groups() { return document.querySelectorAll("#mainnav .nav-group details"); }
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("#mainnav .nav-group details") || !opened.open) return;
    groups().forEach(function (d) { if (d !== opened) d.open = false; });
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#mainnav .nav-group")) return;
    groups().forEach(function (d) { d.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") groups().forEach(function (d) { d.open = false; });
  });
})();
