/* The finder's map and the site page's small map (Leaflet, local files). Coordinates arrive
   already in the tile server's datum; the server converts a picked point back to WGS-84. */
(function () {
  "use strict";
  if (!window.L) return;

  function settings(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function baseMap(el, conf) {
    var map = L.map(el, { zoomControl: true, attributionControl: !!conf.tiles, minZoom: 6, maxZoom: 18, zoomSnap: 0.5 });
    if (conf.tiles) {
      L.tileLayer(conf.tiles, { attribution: conf.attribution || "", maxZoom: 18 }).addTo(map);
    }
    return map;
  }

  // Names go in as text, never as HTML (Leaflet's setContent takes a string as markup).
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function drawOutlines(layer, outlines, labels) {
    outlines.forEach(function (o) {
      var poly = L.polygon(o.ring, {
        color: "#5b6475", weight: 1.5, dashArray: "6 5", fillColor: "#8fa39a", fillOpacity: 0.06, interactive: false
      }).addTo(layer);
      if (labels) {
        L.tooltip({ permanent: true, direction: "center", className: "outline-label", interactive: false })
          .setLatLng(poly.getBounds().getCenter()).setContent(text(o.name)).addTo(layer);
      }
    });
  }

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
    var map = baseMap(el, conf);
    var outlineLayer = L.layerGroup().addTo(map);
    var pointLayer = L.layerGroup().addTo(map);
    var originLayer = L.layerGroup().addTo(map);
    var siteUrl = el.dataset.siteUrl;
    var picking = false, fitted = false, pending = null, lastKey = "";
    map.setView([36.45, 115.98], 9);

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
      drawOutlines(outlineLayer, data.outlines, !conf.tiles);
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
        // Now that the view is known: the right outline level and, without a point, the points in view.
        setTimeout(function () { load(true); }, 0);
      }
    }

    function load(withBox) {
      var q = params(withBox && !hasOrigin()).toString();
      if (q === lastKey) return;
      lastKey = q;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(el.dataset.mapUrl + "?" + q, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) draw(data); })
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
      fitted = false;
      htmx.trigger(form, "submit");
    }

    var pick = field("pick");
    pick.addEventListener("click", function () {
      picking = !picking;
      pick.setAttribute("aria-pressed", String(picking));
      el.classList.toggle("picking", picking);
    });
    map.on("click", function (e) {
      if (!picking) return;
      picking = false;
      pick.setAttribute("aria-pressed", "false");
      el.classList.remove("picking");
      setPoint(e.latlng.lat, e.latlng.lng, "map");
    });
    field("clear-point").addEventListener("click", function () { setPoint("", "", ""); });
    field("locate").addEventListener("click", function () {
      var msg = field("geo-msg");
      if (!navigator.geolocation) { msg.textContent = msg.dataset.fail; return; }
      msg.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        msg.textContent = "";
        // Browsers report WGS-84: sent as is, no conversion.
        setPoint(pos.coords.latitude, pos.coords.longitude, "me");
      }, function () { msg.textContent = msg.dataset.fail; }, { enableHighAccuracy: true, timeout: 10000 });
    });
    document.body.addEventListener("htmx:afterSettle", function (e) {
      if (e.detail.target && e.detail.target.id === "finder-results") { fitted = false; load(false); }
    });
    form.addEventListener("change", function () { fitted = false; });
    document.querySelectorAll(".js-only").forEach(function (b) { b.classList.add("ready"); });
    load(false);
  }

  // --- the site page's small map --------------------------------------------------------
  function initSiteMap(el) {
    var conf = settings("site-map-settings");
    var map = baseMap(el, conf);
    drawOutlines(map, conf.outlines, !conf.tiles);
    L.circleMarker(conf.point, { radius: 9, color: "#fff", weight: 2, fillColor: "#c8102e", fillOpacity: 0.95 })
      .bindTooltip(text(conf.name)).addTo(map);
    map.setView(conf.point, conf.tiles ? 16 : 13);
  }

  var finderEl = document.getElementById("finder-map");
  if (finderEl) initFinder(finderEl);
  var siteEl = document.getElementById("site-map");
  if (siteEl) initSiteMap(siteEl);
})();
