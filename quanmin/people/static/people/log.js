// "Add my position" on the service log form: the phone's position into the hidden lon/lat fields.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("log-position");
    var form = document.getElementById("log-form");
    if (!button || !form || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lon.value = pos.coords.longitude.toFixed(6);
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        document.getElementById("log-position-done").hidden = false;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
