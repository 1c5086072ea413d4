// The division picker (accounts/_division_picker.html): choosing a division in one list sets the
// hidden input and opens a list of the divisions below it; "all" keeps the one above.
(function () {
  function wire(picker) {
    if (picker.dataset.wired) return;
    picker.dataset.wired = "1";
    var hidden = picker.querySelector("input[type=hidden]");
    picker.addEventListener("change", function (event) {
      var select = event.target;
      if (select.tagName !== "SELECT") return;
      var selects = Array.prototype.slice.call(picker.querySelectorAll("select"));
      var at = selects.indexOf(select);
      selects.slice(at + 1).forEach(function (s) { s.remove(); });
      var above = at > 0 ? selects[at - 1].value : "";
      hidden.value = select.value || above;
      if (!select.value) return;
      fetch(picker.dataset.options + "?parent=" + encodeURIComponent(select.value))
        .then(function (r) { return r.text(); })
        .then(function (html) {
          // Still the choice (not changed meanwhile), and a level below exists.
          if (select.value !== hidden.value || !/value="\d{12}"/.test(html)) return;
          var next = document.createElement("select");
          next.setAttribute("aria-label", select.getAttribute("aria-label"));
          next.innerHTML = html;
          next.options[0].textContent = picker.dataset.allBelow || next.options[0].textContent;
          select.after(next);
        });
    }, true);
  }
  function all() { document.querySelectorAll("[data-division-picker]").forEach(wire); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all); else all();
  document.addEventListener("htmx:afterSettle", all);
})();
