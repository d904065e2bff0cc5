/* The staff map's risk layer (templates/safety/register.html): the open risks of the worker's area,
 * a symbol per severity (a shape as well as a colour: triangle high, square medium, circle low),
 * each linking to its risk page. Module scripts run after the deferred Leaflet script. */
const LIWAN = [23.125, 113.245];
const SHAPES = { high: "▲", medium: "■", low: "●" };

/* The symbol's colour comes from the stylesheet (.safety-symbol-high …): no inline style (CSP). */
function icon(severity) {
  const span = document.createElement("span");
  span.className = `safety-symbol safety-symbol-${SHAPES[severity] ? severity : "low"}`;
  span.textContent = SHAPES[severity] || SHAPES.low;
  span.setAttribute("aria-hidden", "true");
  return L.divIcon({ className: "safety-marker", html: span, iconSize: [22, 22] });
}

function popup(properties) {
  const link = document.createElement("a");
  link.href = properties.url;
  link.textContent = `${properties.category_label} · ${properties.severity_label} · ${properties.status_label}`;
  return link;
}

async function drawRisks(container) {
  const map = L.map(container, { scrollWheelZoom: false });
  if (window.registryBasemap) window.registryBasemap(map, container);
  const response = await fetch(container.dataset.layer, { credentials: "same-origin" });
  const data = response.ok ? await response.json() : { features: [] };
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) => L.marker(latlng, {
      icon: icon(feature.properties.severity), title: feature.properties.category_label,
    }),
    onEachFeature: (feature, marker) => marker.bindPopup(() => popup(feature.properties)),
  }).addTo(map);
  if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17 });
  else map.setView(LIWAN, 14);
  container.dataset.risks = String(data.features.length);
}

document.querySelectorAll("[data-safety-map]").forEach((container) => {
  if (window.L) drawRisks(container);
});
