/*
 * The "check-in routes" layer: the published routes' walking lines (GeoJSON from /routes.geojson,
 * routes.views.routes_geojson), shown when its box is ticked. A click on a line opens a small popup
 * with the route's name, length and a link to its page. Built from text nodes only, never HTML.
 */
import { map } from "./view.js";

var form = document.getElementById("map-routes");
var layer = null;

function popupContent(properties) {
  var box = document.createElement("div");
  box.className = "route-popup";
  var link = document.createElement("a");
  link.href = properties.url;
  link.textContent = properties.name;
  var facts = document.createElement("p");
  facts.textContent = properties.summary;
  box.appendChild(link);
  box.appendChild(facts);
  return box;
}

function show(data) {
  layer = L.geoJSON(data, {
    pane: "routes",
    style: function () { return { color: "#b5452b", weight: 5, opacity: 0.85, dashArray: "8 6" }; },
    onEachFeature: function (feature, line) { line.bindPopup(function () { return popupContent(feature.properties); }); }
  }).addTo(map);
  form.setAttribute("data-routes", "loaded");
}

function reload() {
  if (layer) { map.removeLayer(layer); }
  layer = null;
  form.setAttribute("data-routes", "off");
  if (!form.elements.routes.checked) { return; }
  fetch(form.getAttribute("data-url"), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data && form.elements.routes.checked) { show(data); } })
    .catch(function () { /* offline: no routes */ });
}

/** Wire the layer's box. */
export function setUpRoutes() {
  if (!form) { return; }
  var pane = map.createPane("routes");
  pane.style.zIndex = 440;  // under the assets (450): a stop's popup wins over the line's
  form.addEventListener("change", reload);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  reload();
}
