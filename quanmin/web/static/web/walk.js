// The inspector's round on a phone (maintenance/inspections/walk.html): a card saved in place leaves
// the pieces still to check for the folded list of checked ones, the new card's form gets the
// position the page already has, and the next piece to check comes into view.
(function () {
  function position() {
    var lon = Array.prototype.find.call(document.querySelectorAll(".walk-form input[name=lon]"),
                                        function (i) { return i.value; });
    if (!lon) return;
    var lat = lon.form.querySelector("input[name=lat]").value;
    document.querySelectorAll(".walk-form").forEach(function (form) {
      if (!form.querySelector("input[name=lon]").value) {
        form.querySelector("input[name=lon]").value = lon.value;
        form.querySelector("input[name=lat]").value = lat;
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function () {
    var todo = document.getElementById("todo");
    var done = document.getElementById("checked-cards");
    if (!todo || !done) return;
    position();
    var moved = false;
    todo.querySelectorAll("article.piece-card[data-checked]").forEach(function (card) {
      if (card.querySelector(".err")) return;  // an error stays where the inspector is
      done.prepend(card);
      moved = true;
    });
    if (!moved) return;
    var count = document.getElementById("checked-count");
    if (count) count.textContent = String(done.querySelectorAll("article.piece-card").length);
    var next = todo.querySelector("article.piece-card");
    if (next) {
      next.classList.add("current");
      next.scrollIntoView({block: "start"});
    }
  });
})();
