/* The finder's map and the site page's small map (Leaflet, local files; the base map from
   basemap.js). Coordinates arrive already in the tile server's datum; the server converts a
   picked point back to WGS-84. */
(function () {
  "use strict";
  if (!window.L) return;

  var Q = window.QuanminMap;
  if (!Q) return;
  var settings = Q.settings, text = Q.text;

  function popup(name, url, label) {
    var box = document.createElement("div");
    var strong = document.createElement("strong");
    strong.textContent = name;
    var link = document.createElement("a");
    link.href = url;
    link.textContent = label;
    box.appendChild(strong);
    box.appendChild(document.createElement("br"));
    box.appendChild(link);
    return box;
  }

  // --- the finder ------------------------------------------------------------------------
  function initFinder(el) {
    var conf = settings("finder-map-settings");
    var form = document.getElementById("finder-form");
    var map = Q.base(el, conf);
    var outlineLayer = L.layerGroup().addTo(map);
    var pointLayer = L.layerGroup().addTo(map);
    var originLayer = L.layerGroup().addTo(map);
    var siteUrl = el.dataset.siteUrl;
    var fitted = false, pending = null, lastKey = "", shown = null;
    map.setView([36.45, 115.98], 9);
    // aria-busy: true from a change of the search until the map has drawn and framed its answer.
    function refit() { fitted = false; el.setAttribute("aria-busy", "true"); }
    refit();

    function field(id) { return document.getElementById(id); }
    function params(withBox) {
      var q = new URLSearchParams(new FormData(form));
      q.delete("page");
      q.set("level", map.getZoom() >= 11 ? "township" : "county");
      q.set("grid", String(Math.max(4, Math.min(40, Math.round(el.clientWidth / 56)))));
      if (withBox) {
        var b = map.getBounds();
        q.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
      }
      return q;
    }
    function hasOrigin() { return field("f-lat").value !== "" && field("f-lon").value !== ""; }

    function draw(data) {
      outlineLayer.clearLayers(); pointLayer.clearLayers(); originLayer.clearLayers();
      Q.drawOutlines(outlineLayer, data.outlines, Q.offline(conf));
      var bounds = L.latLngBounds([]);
      data.points.forEach(function (p) {
        var m = L.circleMarker([p[1], p[2]], { radius: 7, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.9 });
        m.bindPopup(popup(p[3], siteUrl.replace("/0/", "/" + p[0] + "/"), el.dataset.openLabel));
        m.addTo(pointLayer);
        bounds.extend(m.getLatLng());
      });
      data.clusters.forEach(function (c) {
        var size = Math.round(20 + Math.min(16, Math.log(c[2]) * 3));
        var icon = L.divIcon({ className: "cluster", html: "<span>" + c[2] + "</span>", iconSize: [size, size] });
        var m = L.marker([c[0], c[1]], { icon: icon, title: el.dataset.zoomLabel, keyboard: true });
        m.on("click", function () { map.setView(m.getLatLng(), Math.min(map.getZoom() + 2, 18)); });
        m.addTo(pointLayer);
        bounds.extend(m.getLatLng());
      });
      if (data.origin) {
        var circle = L.circle(data.origin, { radius: data.radius, color: "#1d2330", weight: 1, fillOpacity: 0.04 }).addTo(originLayer);
        L.circleMarker(data.origin, { radius: 6, color: "#1d2330", fillColor: "#fff", fillOpacity: 1, weight: 3 }).addTo(originLayer);
        bounds = circle.getBounds();
      }
      if (!fitted) {
        if (!bounds.isValid()) {
          data.outlines.forEach(function (o) { bounds.extend(o.ring); });
        }
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], maxZoom: 16, animate: false });
        fitted = true;
        el.setAttribute("aria-busy", "false");
        // Now that the view is known: the right outline level and, without a point, the points in view.
        setTimeout(function () { load(true); }, 0);
      }
    }

    function load(withBox) {
      var q = params(withBox && !hasOrigin()).toString();
      if (q === lastKey) {
        // The same question again (a filter changed and back): frame what is drawn, if it came.
        if (!fitted && shown) draw(shown);
        return;
      }
      lastKey = q;
      shown = null;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(el.dataset.mapUrl + "?" + q, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { shown = data; draw(data); } })
        .catch(function () { /* aborted or offline: keep what is drawn */ });
    }

    var timer = null;
    map.on("moveend", function () {
      if (!fitted) return;
      clearTimeout(timer);
      timer = setTimeout(function () { load(true); }, 250);
    });

    function setPoint(lat, lon, src) {
      field("f-lat").value = lat === "" ? "" : lat.toFixed(6);
      field("f-lon").value = lon === "" ? "" : lon.toFixed(6);
      field("f-src").value = src;
      field("clear-point").hidden = lat === "";
      refit();
      htmx.trigger(form, "submit");
    }

    Q.pickPoint(map, el, field("pick"), function (at) { setPoint(at.lat, at.lng, "map"); });
    field("clear-point").addEventListener("click", function () { setPoint("", "", ""); });
    // Browsers report WGS-84: sent as is, no conversion.
    Q.locate(field("locate"), field("geo-msg"), function (lat, lon) { setPoint(lat, lon, "me"); });
    document.body.addEventListener("htmx:afterSettle", function (e) {
      if (e.detail.target && e.detail.target.id === "finder-results") { refit(); load(false); }
    });
    form.addEventListener("change", refit);
    document.querySelectorAll(".js-only").forEach(function (b) { b.classList.add("ready"); });
    load(false);
  }

  // --- the site page's small map --------------------------------------------------------
  function initSiteMap(el) {
    var conf = settings("site-map-settings");
    var map = Q.base(el, conf);
    Q.drawOutlines(map, conf.outlines, Q.offline(conf));
    L.circleMarker(conf.point, { radius: 9, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.95 })
      .bindTooltip(text(conf.name)).addTo(map);
    map.setView(conf.point, Q.offline(conf) && !conf.streets ? 13 : 16);
  }

  var finderEl = document.getElementById("finder-map");
  if (finderEl) initFinder(finderEl);
  var siteEl = document.getElementById("site-map");
  if (siteEl) initSiteMap(siteEl);
})();
