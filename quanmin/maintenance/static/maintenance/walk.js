// walk.js: moved out of maintenance/inspections/walk.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  var status = document.getElementById("geo-status");
  function set(lon, lat) {
    document.querySelectorAll(".walk-form input[name=lon]").forEach(function (i) { i.value = lon; });
    document.querySelectorAll(".walk-form input[name=lat]").forEach(function (i) { i.value = lat; });
  }
  if (!("geolocation" in navigator)) { status.textContent = status.dataset.unavailable; return; }
  navigator.geolocation.watchPosition(function (p) {
    set(p.coords.longitude.toFixed(6), p.coords.latitude.toFixed(6));
    status.textContent = status.dataset.position + ": " + p.coords.latitude.toFixed(5) + ", " + p.coords.longitude.toFixed(5) + " (±" + Math.round(p.coords.accuracy) + " m)";
  }, function () {
    status.textContent = status.dataset.unavailable;
  }, {enableHighAccuracy: true, maximumAge: 30000, timeout: 20000});
  var err = document.querySelector(".piece-card .err");
  if (err) { err.scrollIntoView({block: "center"}); }
})();
