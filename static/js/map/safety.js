/*
 * The "safety risks" layer of the public map: the open risks of the streets that publish them
 * (/safety/risks.geojson, safety.views.published_risks) — category, severity and place only. Shown
 * when its box is ticked; the box exists only when some street publishes. A symbol per severity,
 * a shape as well as a colour (triangle high, square medium, circle low); the popup is text nodes.
 */
import { map } from "./view.js";

var SHAPES = { high: "▲", medium: "■", low: "●" };
var form = document.getElementById("map-safety");
var layer = null;

/* The colour comes from the stylesheet (.safety-symbol-high …), not an inline style. */
function icon(severity) {
  var span = document.createElement("span");
  span.className = "safety-symbol safety-symbol-" + (SHAPES[severity] ? severity : "low");
  span.textContent = SHAPES[severity] || SHAPES.low;
  span.setAttribute("aria-hidden", "true");
  return L.divIcon({ className: "safety-marker", html: span, iconSize: [22, 22] });
}

function popup(properties) {
  var text = document.createElement("p");
  text.textContent = properties.category_label + " · " + properties.severity_label;
  return text;
}

function reload() {
  if (layer) { map.removeLayer(layer); }
  layer = null;
  form.setAttribute("data-risks", "off");
  if (!form.elements.risks.checked) { return; }
  fetch(form.getAttribute("data-url"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : { features: [] }; })
    .then(function (data) {
      if (!form.elements.risks.checked) { return; }
      layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, { icon: icon(feature.properties.severity), title: feature.properties.category_label });
        },
        onEachFeature: function (feature, marker) { marker.bindPopup(function () { return popup(feature.properties); }); }
      }).addTo(map);
      form.setAttribute("data-risks", String(data.features.length));
    })
    .catch(function () { /* offline: no layer */ });
}

/** Wire the layer's box (when the page has it). */
export function setUpSafety() {
  if (!form) { return; }
  form.addEventListener("change", reload);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  reload();
}
