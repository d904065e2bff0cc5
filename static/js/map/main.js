/*
 * The public map: vector tiles of every asset kind, filters, search, popups, basemaps.
 * This module wires the others together and starts the map; the page loads it as
 * <script type="module"> (no inline script, no build step).
 *
 *   config.js    the page's configuration (#map-config) and what is looked up in it
 *   dom.js       small DOM helpers (text only, never HTML)
 *   view.js      the Leaflet map
 *   state.js     what the map shows, and the query string that holds it
 *   basemaps.js  the basemaps, Gaode's shifted from GCJ-02
 *   tiles.js     the assets' vector tiles: styles, clusters, data version
 *   popups.js    an asset's popup
 *   panel.js     filters and legend (a bottom sheet on phones)
 *   search.js    search by name or address
 *   inview.js    the assets in view as a list of buttons (the keyboard's way to a popup)
 *   projects.js  the "renovation projects" layer and its phase filter
 *   safety.js    the safety risks the streets publish (safety app), when any does
 *   routes.js    the "check-in routes" layer (routes' walking lines)
 *
 * Needs the classic scripts Leaflet 1.9 (global L), Leaflet.VectorGrid 1.3.0 + vectorgrid-compat.js,
 * and gcj02.js (global gcj02), loaded before it.
 */
import { narrowScreen } from "./config.js";
import { setBasemap } from "./basemaps.js";
import { refreshInView, setUpInView } from "./inview.js";
import { fitArea, isExpanded, panel, setExpanded, setUpPanel, showState, toggle } from "./panel.js";
import { setUpPopups } from "./popups.js";
import { setUpProjects } from "./projects.js";
import { setUpSafety } from "./safety.js";
import { setUpRoutes } from "./routes.js";
import { leaveResults, resultsShown, setUpSearch } from "./search.js";
import { readUrl, state, writeUrl } from "./state.js";
import { assetsLoaded, dataVersion, reloadAssets, watchDataVersion } from "./tiles.js";
import { map } from "./view.js";

var initialView = readUrl();

setUpPopups();
setUpPanel();
setUpSearch();
setUpInView();
document.getElementById("map-filters").addEventListener("change", refreshInView);
document.getElementById("map-filters").addEventListener("reset", refreshInView);
setUpProjects();
setUpSafety();
setUpRoutes();

// Esc: closes the popup first, then the search results, then (on a phone) the panel.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" && event.key !== "Esc") { return; }
  if (map._popup && map.hasLayer(map._popup)) {
    event.preventDefault();
    map.closePopup();
  } else if (resultsShown() && panel.contains(document.activeElement)) {
    event.preventDefault();
    leaveResults();
  } else if (narrowScreen.matches && isExpanded() && panel.contains(document.activeElement)) {
    event.preventDefault();
    setExpanded(false);
    toggle.focus();
  }
}, true);

watchDataVersion();

// ---------------------------------------------------------------- start

showState();
setExpanded(!narrowScreen.matches);
if (initialView) { map.setView(initialView.center, initialView.zoom, { animate: false }); } else { fitArea(); }
setBasemap(state.base);
reloadAssets();
map.on("moveend", writeUrl);
writeUrl();

var moving = false;
map.on("movestart zoomstart", function () { moving = true; });
map.on("moveend", function () { moving = false; });

// For people and tests at the console: the map and whether it has settled.
window.registryMap = {
  map: map,
  latLngToContainerPoint: function (lat, lon) {
    var point = map.latLngToContainerPoint([lat, lon]);
    return { x: point.x, y: point.y };
  },
  isIdle: function () {
    return !moving && assetsLoaded();
  },
  version: dataVersion
};
