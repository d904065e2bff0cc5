/*
 * What the map shows, and the page's query string that holds it. The view and filters live in
 * the query string, kept current with history.replaceState, so a view can be shared and reloaded:
 *   ?z=16&lat=23.12500&lon=113.24000   zoom and centre (WGS-84)
 *   &street=W&community=W1             street / community codes
 *   &status=in_use,planned             statuses shown (absent: all; present and empty: none)
 *   &layers=garden,mural               kinds shown (absent: all; present and empty: none)
 *   &looking=1                         only assets looking for an adopter
 *   &checkin=1                         only check-in spots (routes.models.CheckInSpot)
 *   &base=gaode                        basemap (absent: the first, OpenStreetMap; "none": none)
 */
import { allKinds, allStatuses, basemaps, communities, config, defaultBase, streets } from "./config.js";
import { map } from "./view.js";

export const state = {
  layers: allKinds.slice(), statuses: allStatuses.slice(), street: "", community: "", looking: false, checkin: false,
  base: defaultBase
};

function listParam(params, name, known) {
  if (!params.has(name)) { return null; }
  return params.get(name).split(",").filter(function (value) { return known.indexOf(value) >= 0; });
}

/**
 * The state in the page's query string; unknown or malformed values are ignored.
 * Returns the view it names ({center, zoom}), or null.
 */
export function readUrl() {
  var params = new URLSearchParams(window.location.search);
  var layers = listParam(params, "layers", allKinds);
  var statuses = listParam(params, "status", allStatuses);
  if (layers) { state.layers = layers; }
  if (statuses) { state.statuses = statuses; }
  var community = communities[params.get("community")];
  var street = streets[params.get("street")];
  if (community) {
    state.community = community.code;
    state.street = community.street;
  } else if (street) {
    state.street = street.code;
  }
  state.looking = params.get("looking") === "1";
  state.checkin = params.get("checkin") === "1";
  var base = params.get("base");
  if (base && (basemaps[base] || base === "none")) { state.base = base; }
  var z = parseFloat(params.get("z")), lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon"));
  if (isFinite(z) && isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
    return { center: L.latLng(lat, lon), zoom: Math.max(config.view.minZoom, Math.min(config.view.maxZoom, z)) };
  }
  return null;
}

export function sameSet(a, b) {
  return a.length === b.length && a.every(function (value) { return b.indexOf(value) >= 0; });
}

/** The filters as query parameters, for the page's URL ("layers=…") and the tiles' ("kind=…"). */
export function filterParams(kindParam) {
  var params = [];
  if (state.street) { params.push("street=" + encodeURIComponent(state.street)); }
  if (state.community) { params.push("community=" + encodeURIComponent(state.community)); }
  if (!sameSet(state.statuses, allStatuses)) { params.push("status=" + state.statuses.join(",")); }
  if (!sameSet(state.layers, allKinds)) { params.push(kindParam + "=" + state.layers.join(",")); }
  if (state.looking) { params.push("looking=1"); }
  if (state.checkin) { params.push("checkin=1"); }
  return params;
}

function stateQuery() {
  var center = map.getCenter();
  var params = ["z=" + map.getZoom(), "lat=" + center.lat.toFixed(5), "lon=" + center.lng.toFixed(5)]
    .concat(filterParams("layers"));
  if (state.base !== defaultBase) { params.push("base=" + encodeURIComponent(state.base)); }
  return params.join("&");
}

export function writeUrl() {
  var query = stateQuery();
  var url = window.location.pathname + (query ? "?" + query : "");
  window.history.replaceState(null, "", url + window.location.hash);
  // Switching language keeps the view: the language form returns to this URL.
  var next = document.querySelector('.language-switch input[name="next"]');
  if (next) { next.value = url; }
}
