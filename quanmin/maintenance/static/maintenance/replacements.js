// replacements.js: moved out of maintenance/work_orders/replacements.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("#replace-form input.piece").forEach(function (box) { box.checked = all.checked; });
  });
})();
