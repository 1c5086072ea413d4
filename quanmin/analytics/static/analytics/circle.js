// The fitness-circle map: residents coloured by walking time, suggested sites as stars; the base map
// (tiles, or offline outlines and streets) from facilities/basemap.js.
(function () {
  const el = document.getElementById("circle-map");
  const Q = window.QuanminMap;
  if (!el || !window.L || !Q) return;
  const map = Q.base(el, Q.settings("circle-map-settings"), { preferCanvas: true });
  fetch(el.dataset.layer, { credentials: "same-origin" }).then((r) => r.json()).then((data) => {
    const keys = Object.keys((data.residents.features[0] || { properties: {} }).properties).filter((k) => k.startsWith("covered_"));
    const colour = (p) => (keys.length && p[keys[0]] ? "#1a7f37" : keys.length > 1 && p[keys[keys.length - 1]] ? "#e08a00" : "#c62828");
    const layer = L.geoJSON(data.residents, {
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 3, weight: 0, fillOpacity: 0.7, fillColor: colour(f.properties) }),
    }).addTo(map);
    data.suggestions.forEach((s) => L.marker([s.lat, s.lon], { title: "#" + s.rank }).addTo(map).bindPopup("#" + s.rank + " +" + Math.round(s.added_population)));
    const b = layer.getBounds();
    if (b.isValid()) map.fitBounds(b); else map.setView([36.45, 115.98], 10);
  });
})();
