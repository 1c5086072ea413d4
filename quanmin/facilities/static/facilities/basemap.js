/* The base map under every map of the platform (settings from quanmin/facilities/basemap.py):
   the configured tile layers, or offline a plain background with division outlines named.
   Leaflet's credit without its flag. Points arrive already in the tiles' datum. */
(function () {
  "use strict";
  if (!window.L) return;

  function settings(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : { layers: [], crs: "wgs84", prefix: "" };
  }

  // Names go in as text, never as HTML (Leaflet's setContent takes a string as markup).
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function base(el, conf, options) {
    var opts = { zoomControl: true, minZoom: 6, maxZoom: 18, zoomSnap: 0.5 };
    Object.keys(options || {}).forEach(function (k) { opts[k] = options[k]; });
    var zoom = opts.zoomControl;
    opts.zoomControl = false;  // Leaflet's own has English titles: ours has the page's language
    var map = L.map(el, opts);
    if (zoom) zoomControl(conf).addTo(map);
    map.attributionControl.setPrefix(conf.prefix || false);
    (conf.layers || []).forEach(function (layer) {
      L.tileLayer(layer.url, { attribution: layer.attribution || "", subdomains: layer.subdomains || "abc", maxZoom: 18 }).addTo(map);
    });
    if (!(conf.layers || []).length) el.classList.add("no-tiles");
    if (conf.streets) drawStreets(map, conf);
    return map;
  }

  function zoomControl(conf) {
    return L.control.zoom({ zoomInTitle: conf.zoom_in || "+", zoomOutTitle: conf.zoom_out || "−" });
  }

  // Offline, the loaded streets of the walking network: fetched for the view once zoomed in,
  // each street's name once, along its longest stretch in view.
  var MAJOR = { motorway: 1, trunk: 1, primary: 1, secondary: 1, tertiary: 1 };
  var STREET_ZOOM = 14, LABEL_ZOOM = 15;
  function drawStreets(map, conf) {
    var layer = L.layerGroup().addTo(map);
    var renderer = L.svg({ padding: 0.2 });
    var pending = null, lastKey = "";
    map.attributionControl.addAttribution(conf.streets_credit || "");
    function draw(rows) {
      layer.clearLayers();
      var longest = {};
      rows.forEach(function (row) {
        var name = row[0], major = MAJOR[row[1]] === 1, line = row[2];
        L.polyline(line, { renderer: renderer, color: "#c3c9d2", weight: major ? 7 : 4, interactive: false, className: "street-casing" }).addTo(layer);
        L.polyline(line, { renderer: renderer, color: major ? "#fff6d8" : "#ffffff", weight: major ? 5 : 2.5, interactive: false, className: "street" }).addTo(layer);
        if (name && line.length > 1) {
          var n = line.length;
          if (!longest[name] || n > longest[name].length) longest[name] = line;
        }
      });
      if (map.getZoom() < LABEL_ZOOM) return;
      Object.keys(longest).slice(0, 60).forEach(function (name) {
        var line = longest[name], mid = line[Math.floor(line.length / 2)];
        L.tooltip({ permanent: true, direction: "center", className: "street-label", interactive: false })
          .setLatLng(mid).setContent(text(name)).addTo(layer);
      });
    }
    function load() {
      if (map.getZoom() < STREET_ZOOM) { layer.clearLayers(); lastKey = ""; return; }
      var b = map.getBounds();
      var key = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(4); }).join(",");
      if (key === lastKey) return;
      lastKey = key;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(conf.streets + "?bbox=" + key, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) draw(data.streets); })
        .catch(function () { /* aborted or offline: keep what is drawn */ });
    }
    map.on("moveend", load);
    map.whenReady(load);
  }

  function offline(conf) { return !(conf.layers || []).length; }

  // Division outlines; named on the offline map (tiles carry their own names).
  function drawOutlines(layer, outlines, named) {
    (outlines || []).forEach(function (o) {
      var poly = L.polygon(o.ring, {
        color: "#5b6475", weight: 1.5, dashArray: "6 5", fillColor: "#8fa39a", fillOpacity: 0.06, interactive: false
      }).addTo(layer);
      if (named) {
        L.tooltip({ permanent: true, direction: "center", className: "outline-label", interactive: false })
          .setLatLng(poly.getBounds().getCenter()).setContent(text(o.name)).addTo(layer);
      }
    });
  }

  // A toggle button to pick a point on the map (a crosshair meanwhile): onPick(latlng), in the
  // tiles' datum. The finder and the map of events near me.
  function pickPoint(map, el, button, onPick) {
    var picking = false;
    function set(on) {
      picking = on;
      button.setAttribute("aria-pressed", String(on));
      el.classList.toggle("picking", on);
    }
    button.addEventListener("click", function () { set(!picking); });
    map.on("click", function (e) {
      if (!picking) return;
      set(false);
      onPick(e.latlng);
    });
  }

  // A button for the browser's location: onFound(lat, lon) in WGS-84 as browsers report it, or
  // the status element's data-fail text where there is none.
  function locate(button, msg, onFound) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { msg.textContent = msg.dataset.fail; return; }
      msg.textContent = "…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        msg.textContent = "";
        onFound(pos.coords.latitude, pos.coords.longitude);
      }, function () { msg.textContent = msg.dataset.fail; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }

  window.QuanminMap = { settings: settings, text: text, base: base, offline: offline, drawOutlines: drawOutlines,
                        pickPoint: pickPoint, locate: locate };
})();
