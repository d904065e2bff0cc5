/*
 * The "renovation projects" layer: the projects' vector tiles (/tiles/projects/…, public.tiles.projects),
 * one dot per project coloured by its phase, shown when its box is ticked, filtered by phase.
 *
 * The dots are drawn in a pane of their own above the assets' but let clicks through (a canvas on
 * top would take every click, and the assets' popups with them). A click the assets' layer does not
 * take reaches the map: the projects within a few pixels are then asked of the OGC API's projects
 * collection (bbox), and the nearest of the chosen phase gets a small popup linking to its page.
 * Built from text nodes only, never HTML.
 */
import { dataVersion } from "./tiles.js";
import { map } from "./view.js";

/* From proposal (light) to in use (dark green): the further along, the darker. */
var PHASE_COLOURS = {
  proposal: "#c9d7cf", consultation: "#a9c7b4", design: "#86b497", approval: "#5f9f79",
  construction: "#e39a26", acceptance: "#3a8a5c", in_use: "#1b5e3a"
};

var form = document.getElementById("map-projects");
var layer = null;

function phaseLabel(value) {
  var option = form.querySelector("select[name=phase] option[value='" + value + "']");
  return option ? option.textContent : value;
}

function tileUrl() {
  var phase = form.elements.phase.value;
  return form.getAttribute("data-tile-url") + "?v=" + encodeURIComponent(dataVersion()) +
    (phase ? "&phase=" + encodeURIComponent(phase) : "");
}

function style(properties) {
  var colour = PHASE_COLOURS[properties.phase] || "#1b5e3a";
  return [{ radius: 9, weight: 7, color: "#ffffff", opacity: 0.95, fill: false },
          { radius: 9, weight: 3, color: "#7a2522", opacity: 1, fill: true, fillColor: colour, fillOpacity: 1 }];
}

function popupContent(id, properties) {
  var box = document.createElement("div");
  box.className = "project-popup";
  var link = document.createElement("a");
  link.href = "/projects/" + encodeURIComponent(id) + "/";
  link.textContent = (document.documentElement.lang.indexOf("en") === 0 && properties.name_en) || properties.name_zh;
  var facts = document.createElement("p");
  facts.textContent = phaseLabel(properties.phase) + " · " + Math.round(properties.progress) + "%";
  box.appendChild(link);
  box.appendChild(facts);
  return box;
}

function reload() {
  if (layer) { map.removeLayer(layer); }
  layer = null;
  form.setAttribute("data-projects", "off");
  if (!form.elements.projects.checked) { return; }
  layer = L.vectorGrid.protobuf(tileUrl(), {
    pane: "projects",
    rendererFactory: L.canvas.tile,
    interactive: false,
    vectorTileLayerStyles: { projects: style },
    fetchOptions: { credentials: "same-origin" }
  });
  layer.on("load", function () { form.setAttribute("data-projects", "loaded"); });
  layer.addTo(map);
}

/* A point of a GeoJSON geometry (a site's first vertex, or the point itself), to find the nearest. */
function anchor(geometry) {
  var coordinates = geometry.coordinates;
  while (Array.isArray(coordinates[0])) { coordinates = coordinates[0]; }
  return L.latLng(coordinates[1], coordinates[0]);
}

function onMapClick(event) {
  if (!layer) { return; }
  var tolerance = L.Browser.mobile ? 14 : 8;
  var at = map.latLngToContainerPoint(event.latlng);
  var sw = map.containerPointToLatLng([at.x - tolerance, at.y + tolerance]);
  var ne = map.containerPointToLatLng([at.x + tolerance, at.y - tolerance]);
  var bbox = [sw.lng, sw.lat, ne.lng, ne.lat].map(function (value) { return value.toFixed(6); }).join(",");
  var phase = form.elements.phase.value;
  fetch(form.getAttribute("data-items-url") + "?limit=50&bbox=" + bbox, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      var found = (data && data.features || []).filter(function (feature) {
        return !phase || feature.properties.phase === phase;
      });
      if (!found.length) { return; }
      found.sort(function (a, b) {
        return event.latlng.distanceTo(anchor(a.geometry)) - event.latlng.distanceTo(anchor(b.geometry));
      });
      L.popup().setLatLng(event.latlng).setContent(popupContent(found[0].id, found[0].properties)).openOn(map);
    })
    .catch(function () { /* offline: no popup */ });
}

/** Wire the layer's box and phase filter. */
export function setUpProjects() {
  if (!form) { return; }
  var pane = map.createPane("projects");
  pane.style.zIndex = 460;           // above the assets (450), below popups (700)
  pane.style.pointerEvents = "none"; // clicks go through to the assets and the map
  form.addEventListener("change", reload);
  map.on("click", onMapClick);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  reload();
}
