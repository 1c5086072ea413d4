/* The report form's map (/r/new/): pick the place, a site's marker (sent as site) or any point (sent
   as lat/lon in the map's datum). The base map comes from facilities/basemap.js. */
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  var Q = window.QuanminMap;
  if (!window.L || !Q || !el) return;
  var conf = Q.settings("report-map-settings");
  var site = document.getElementById("id_site"), lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
  var chosen = document.getElementById("pick-chosen");
  var map = Q.base(el, conf);
  var sites = L.layerGroup().addTo(map), mark = L.layerGroup().addTo(map);
  var fitted = false, pending = null;
  map.setView([36.45, 115.98], 10);

  function say(prefix, name) {
    chosen.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = prefix;
    chosen.appendChild(strong);
    if (name) chosen.appendChild(document.createTextNode(" " + name));
  }
  function pickSite(p) {
    site.value = p[0]; lat.value = ""; lon.value = "";
    mark.clearLayers();
    L.circleMarker([p[1], p[2]], { radius: 11, color: "#1d2330", weight: 3, fillOpacity: 0 }).addTo(mark);
    say(el.dataset.siteLabel, p[3]);
  }
  function pickPoint(ll) {
    site.value = ""; lat.value = ll.lat.toFixed(6); lon.value = ll.lng.toFixed(6);
    mark.clearLayers();
    L.circleMarker(ll, { radius: 7, color: "#1d2330", fillColor: "#fff", fillOpacity: 1, weight: 3 }).addTo(mark);
    say(el.dataset.pointLabel, "");
  }
  function draw(data) {
    sites.clearLayers();
    var bounds = L.latLngBounds([]);
    Q.drawOutlines(sites, data.outlines, Q.offline(conf));
    (data.points || []).forEach(function (p) {
      var m = L.circleMarker([p[1], p[2]], { radius: 8, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9 });
      var name = document.createElement("span");
      name.textContent = p[3];
      m.bindTooltip(name);
      m.on("click", function (e) { L.DomEvent.stopPropagation(e); pickSite(p); });
      m.addTo(sites);
      bounds.extend(m.getLatLng());
    });
    (data.clusters || []).forEach(function (c) {
      var size = Math.round(20 + Math.min(16, Math.log(c[2]) * 3));
      var m = L.marker([c[0], c[1]], { icon: L.divIcon({ className: "cluster", html: "<span>" + c[2] + "</span>", iconSize: [size, size] }) });
      m.on("click", function (e) { L.DomEvent.stopPropagation(e); map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
      m.addTo(sites);
      bounds.extend(m.getLatLng());
    });
    if (!fitted) {
      fitted = true;
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], maxZoom: 16, animate: false });
    }
  }
  function load() {
    var q = new URLSearchParams({ level: "county", grid: "12" });
    if (fitted) {
      var b = map.getBounds();
      q.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
    }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(el.dataset.mapUrl + "?" + q.toString(), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) draw(data); })
      .catch(function () { /* offline or aborted: keep what is drawn */ });
  }
  var timer = null;
  map.on("moveend", function () { if (!fitted) return; clearTimeout(timer); timer = setTimeout(load, 250); });
  map.on("click", function (e) { pickPoint(e.latlng); });
  if (lat.value && lon.value) pickPoint(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
  var locate = document.getElementById("locate");
  if (navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        fitted = true;
        map.setView([pos.coords.latitude, pos.coords.longitude], 16);
      }, function () { locate.hidden = true; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
  load();
})();
