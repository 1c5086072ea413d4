// The stations of the list as markers on a map (Leaflet, served locally). The list is the page:
// without JavaScript or tiles it works the same.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("station-map");
    if (!el || !window.L || !window.QuanminMap) return;
    var items = Array.prototype.slice.call(document.querySelectorAll("#station-list li[data-lat]"));
    if (!items.length) return;
    el.hidden = false;
    // The platform's base map (facilities/basemap.js): its tiles, credit and zoom titles. The
    // points arrive in the tiles' datum.
    var map = window.QuanminMap.base(el, window.QuanminMap.settings("station-map-settings"));
    var bounds = [];
    items.forEach(function (li) {
      var at = [parseFloat(li.dataset.lat), parseFloat(li.dataset.lon)];
      var link = document.createElement("a");
      link.href = li.dataset.url;
      link.textContent = li.dataset.name;
      L.circleMarker(at, { radius: 7 }).addTo(map).bindPopup(link);
      bounds.push(at);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
