/* Groups near me: the map of the found groups and the "near me" button (Leaflet, local files).
   Points arrive in the tile server's datum; the server converts the position sent back. */
(function () {
  "use strict";

  function settings(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var locate = document.getElementById("groups-locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      var msg = document.getElementById("groups-geo-msg");
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("g-lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("g-lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("groups-form").submit();
      }, function () {
        if (msg) msg.textContent = msg.dataset.fail;
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
    });
  }

  var el = document.getElementById("groups-map");
  if (!el || !window.L) return;
  var conf = settings("groups-map-settings");
  if (!conf || !conf.points.length) { el.hidden = true; return; }
  var map = L.map(el, { minZoom: 6, maxZoom: 18, zoomControl: false });
  L.control.zoom({ zoomInTitle: conf.zoom_in || "+", zoomOutTitle: conf.zoom_out || "−" }).addTo(map);
  map.attributionControl.setPrefix(conf.prefix || false);
  (conf.layers || []).forEach(function (layer) {
    L.tileLayer(layer.url, { attribution: layer.attribution || "", subdomains: layer.subdomains || "abc", maxZoom: 18 })
      .addTo(map);
  });
  if (!(conf.layers || []).length) el.classList.add("no-tiles");
  var bounds = [];
  conf.points.forEach(function (p) {
    var marker = L.circleMarker(p.point, { radius: 8, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9 });
    var span = document.createElement("span");
    span.textContent = p.name;  // text, never markup
    marker.bindTooltip(span).addTo(map);
    if (p.url) marker.on("click", function () { window.location.href = el.dataset.base + p.url + "/"; });
    bounds.push(p.point);
  });
  if (bounds.length === 1) map.setView(bounds[0], 15); else map.fitBounds(bounds, { padding: [20, 20] });
})();
