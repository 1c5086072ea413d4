// "Near me" on the residents' page of suitable places: the phone's position into the form, then search.
(function () {
  var button = document.getElementById("near-locate");
  var msg = document.getElementById("near-msg");
  if (!button) { return; }
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { msg.textContent = msg.dataset.fail; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("near-lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("near-lon").value = pos.coords.longitude.toFixed(6);
      document.getElementById("near-form").submit();
    }, function () { msg.textContent = msg.dataset.fail; }, {timeout: 10000, maximumAge: 60000});
  });
})();
