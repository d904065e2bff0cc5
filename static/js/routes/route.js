/* A route's map: its walking line and its numbered stops, read from the page's JSON
 * (<script type="application/json" id=data-route-data>, a GeoJSON FeatureCollection).
 * Leaflet and the basemap helper are classic deferred scripts that run before this module. */

const LINE_STYLE = { color: "#b5452b", weight: 4, opacity: 0.85 };

function readData(container) {
  const source = document.getElementById(container.dataset.routeData || "");
  if (!source) return null;
  try { return JSON.parse(source.textContent); } catch (error) { return null; }
}

function stopIcon(number) {
  return window.L.divIcon({ className: "route-stop-marker", html: String(Number(number)), iconSize: [26, 26] });
}

function drawRoute(container) {
  const L = window.L;
  const data = readData(container);
  if (!L || !data) return;
  container.textContent = "";
  const map = L.map(container, { scrollWheelZoom: false });
  window.registryBasemap(map, container);
  const layer = L.geoJSON(data, {
    style: () => LINE_STYLE,
    pointToLayer: (feature, latlng) => L.marker(latlng, {
      icon: stopIcon(feature.properties.number), title: `${feature.properties.number}. ${feature.properties.name}`,
      alt: `${feature.properties.number}. ${feature.properties.name}`,
    }),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 18, padding: [24, 24] });
  container.dataset.drawn = "true";
}

document.querySelectorAll("[data-route-map]").forEach(drawRoute);
