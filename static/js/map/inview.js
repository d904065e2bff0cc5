/*
 * "Assets in view": the features on the map as a list of buttons, for keyboards and screen
 * readers (canvas-drawn features cannot take focus). A button opens the very popup a click on the
 * map opens, and the focus comes back to it when the popup closes. The list is fetched from
 * in-view.json (the view's box and the map's filters) while it is open, after each move.
 */
import { S, config, kinds } from "./config.js";
import { byId, el, fmt, paintSwatch } from "./dom.js";
import { openAssetPopup } from "./popups.js";
import { filterParams } from "./state.js";
import { map } from "./view.js";

var box = byId("map-in-view");
var list = byId("map-in-view-list");
var status = byId("map-in-view-status");
var pending = null;  // the request in flight, aborted by the next one
var timer = null;

function viewBox() {
  var bounds = map.getBounds();
  var clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
  return [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90), clamp(bounds.getEast(), 180),
          clamp(bounds.getNorth(), 90)].map(function (value) { return value.toFixed(6); }).join(",");
}

function item(asset) {
  var button = el("button", "in-view-item");
  button.type = "button";
  var kind = kinds[asset.kind];
  if (kind) {
    var swatch = el("span", "swatch swatch-" + kind.geometry);
    swatch.setAttribute("aria-hidden", "true");
    swatch.setAttribute("data-kind", kind.id);
    paintSwatch(swatch, kind, 14);
    button.appendChild(swatch);
  }
  button.appendChild(el("span", "in-view-name", asset.name));
  button.appendChild(el("span", "in-view-kind", asset.kind_label));
  button.addEventListener("click", function () {
    openAssetPopup(asset.id, L.latLng(asset.lat, asset.lon), button);
  });
  var row = el("li");
  row.appendChild(button);
  return row;
}

function show(data) {
  list.textContent = "";
  data.results.forEach(function (asset) { list.appendChild(item(asset)); });
  if (!data.results.length) {
    status.textContent = S.inViewNone;
  } else {
    status.textContent = fmt(data.more ? S.inViewMore : S.inViewCount, { count: data.results.length });
  }
}

function load() {
  if (!box.open) { return; }
  if (pending) { pending.abort(); }
  pending = new AbortController();
  var query = ["bbox=" + viewBox()].concat(filterParams("kind")).join("&");
  fetch(config.inViewUrl + "?" + query, { signal: pending.signal, credentials: "same-origin",
                                          headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(show)
    .catch(function (error) {
      if (error.name !== "AbortError") { list.textContent = ""; status.textContent = S.inViewError; }
    });
}

/** Refresh the list (if open) a moment after the view or the filters change. */
export function refreshInView() {
  window.clearTimeout(timer);
  timer = window.setTimeout(load, 250);
}

export function setUpInView() {
  if (!box) { return; }
  box.addEventListener("toggle", function () { if (box.open) { load(); } });
  map.on("moveend", refreshInView);
}
