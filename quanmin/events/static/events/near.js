/* Events near me (events/public/near.html): the finder's base map (facilities/basemap.js) with a
   point per event at its venue, the search circle, and two ways to set the point the list is sorted
   from: the browser's location (WGS-84, sent as is) or a point picked on the map (the tiles' datum;
   the server converts it back). Setting a point submits the filters. */
(function () {
  "use strict";
  var Q = window.QuanminMap, el = document.getElementById("near-map");
  if (!window.L || !Q || !el) return;
  var conf = Q.settings("near-map-settings");
  var data = JSON.parse(document.getElementById("near-points").textContent);
  var form = document.getElementById("ev-filters");
  var map = Q.base(el, conf);
  var bounds = L.latLngBounds([]);

  function popup(p) {
    var box = document.createElement("div"), strong = document.createElement("strong"), link = document.createElement("a");
    strong.textContent = p.name;
    link.href = p.url;
    link.textContent = el.dataset.openLabel;
    box.appendChild(strong);
    box.appendChild(document.createElement("br"));
    box.appendChild(Q.text(p.venue));
    box.appendChild(document.createElement("br"));
    box.appendChild(link);
    return box;
  }
  data.points.forEach(function (p) {
    var m = L.circleMarker(p.at, { radius: 8, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9, className: "ev-point" });
    m.bindPopup(popup(p)).addTo(map);
    bounds.extend(p.at);
  });
  if (data.origin) {
    // The circle's own bounds need a view first: the box of the radius instead.
    bounds = L.latLng(data.origin).toBounds(data.radius * 2);
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 15, animate: false });
  else map.setView([36.45, 115.98], 9);
  if (data.origin) {
    L.circle(data.origin, { radius: data.radius, color: "#1d2330", weight: 1, fillOpacity: 0.04, interactive: false }).addTo(map);
    L.circleMarker(data.origin, { radius: 6, color: "#1d2330", fillColor: "#fff", fillOpacity: 1, weight: 3, className: "ev-origin" }).addTo(map);
  }

  function field(id) { return document.getElementById(id); }
  function setPoint(lat, lon, src) {
    field("ev-lat").value = lat === "" ? "" : lat.toFixed(6);
    field("ev-lon").value = lon === "" ? "" : lon.toFixed(6);
    field("ev-src").value = src;
    form.submit();
  }
  Q.pickPoint(map, el, field("ev-pick"), function (at) { setPoint(at.lat, at.lng, "map"); });
  var clear = field("ev-clear");
  if (clear) clear.addEventListener("click", function () { setPoint("", "", ""); });
  Q.locate(field("ev-locate"), field("ev-geo-msg"), function (lat, lon) { setPoint(lat, lon, "me"); });
  document.querySelectorAll(".js-only").forEach(function (b) { b.classList.add("ready"); });
  el.dataset.ready = "1";
})();
