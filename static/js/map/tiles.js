/*
 * The assets' vector tiles: one Leaflet.VectorGrid layer (patched by vectorgrid-compat.js) with
 * every kind, its styles and clusters, reloaded when the filters or the data version change.
 */
import { S, config, reduceMotion } from "./config.js";
import { announce, localUrl } from "./dom.js";
import { openAssetPopup } from "./popups.js";
import { markerIcon } from "./symbols.js";
import { filterParams, state } from "./state.js";
import { map, mapElement } from "./view.js";

var version = config.tiles.version;
var tileTemplate = config.tiles.url;
var blocks = null;

/*
 * Each tile's URL carries the tile's own version, so that a write leaves the URL (and the browser's
 * and proxies' copy) of every tile it does not touch as it was. It is the newest version of the blocks
 * (zoom blocks.zoom) under the tile and blocks.margin of a tile around it, the block (-1, -1) counting
 * everywhere: the same computation as registry.map_version.tile_version on the server.
 */
function setBlocks(data) {
  var index = {}, base = 0;
  data.blocks.forEach(function (b) {
    if (b[0] === -1 && b[1] === -1) { base = b[2]; } else { index[b[0] + "/" + b[1]] = b[2]; }
  });
  blocks = { zoom: data.zoom, margin: data.margin, suffix: data.suffix, list: data.blocks, index: index,
             base: base, memo: {} };
}
setBlocks(config.tiles.blocks);

function tileVersion(z, x, y) {
  var key = z + "/" + x + "/" + y;
  if (blocks.memo[key] !== undefined) { return blocks.memo[key]; }
  var scale = Math.pow(2, blocks.zoom - z), m = blocks.margin;
  var x0 = Math.floor((x - m) * scale), x1 = Math.ceil((x + 1 + m) * scale) - 1;
  var y0 = Math.floor((y - m) * scale), y1 = Math.ceil((y + 1 + m) * scale) - 1;
  var newest = blocks.base, i, j, v;
  if ((x1 - x0 + 1) * (y1 - y0 + 1) <= blocks.list.length) {
    for (i = x0; i <= x1; i++) {
      for (j = y0; j <= y1; j++) { v = blocks.index[i + "/" + j]; if (v > newest) { newest = v; } }
    }
  } else {
    blocks.list.forEach(function (b) {
      if (b[0] >= x0 && b[0] <= x1 && b[1] >= y0 && b[1] <= y1 && b[2] > newest) { newest = b[2]; }
    });
  }
  blocks.memo[key] = newest + blocks.suffix;
  return blocks.memo[key];
}

function tileUrl() {
  return tileTemplate + "?" + ["v={v}"].concat(filterParams("kind")).join("&");
}

function isLight(hex) {
  var n = parseInt(hex.slice(1), 16);
  return 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255) > 160;
}

/*
 * A cluster is a point with a count. VectorGrid's canvas can draw an icon but no text, so the
 * icon is a small canvas of its own (drawImage takes a canvas as well as an image), cached per
 * kind and count. VectorGrid caches icons by iconUrl, hence the made-up key there.
 */
var fontFamily = window.getComputedStyle(document.body).fontFamily;
var CountIcon = L.Icon.extend({
  createIcon: function () {
    var options = this.options, size = options.iconSize[0], ratio = window.devicePixelRatio || 1;
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = Math.round(size * ratio);
    var ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.beginPath();
    ctx.arc(size / 2, size / 2, size / 2 - 1.5, 0, 2 * Math.PI);
    ctx.fillStyle = options.colour;
    ctx.fill();
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    ctx.fillStyle = isLight(options.colour) ? "#1f2a24" : "#ffffff";
    ctx.font = "bold " + (size > 36 ? 13 : 14) + "px " + fontFamily;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(options.label, size / 2, size / 2 + 0.5);
    canvas.complete = true;  // VectorGrid draws an icon at once when it is "complete"
    return canvas;
  }
});
var countIcons = {};
function countIcon(kind, count) {
  var key = kind.id + ":" + count;
  if (!countIcons[key]) {
    var size = count < 10 ? 30 : count < 100 ? 36 : 42;
    countIcons[key] = new CountIcon({
      iconUrl: "registry-cluster:" + key, iconSize: [size, size], colour: kind.colour,
      label: count > 999 ? "999+" : String(count)
    });
  }
  return countIcons[key];
}

/*
 * Styles per kind. VectorGrid hands a style function the feature's properties and the zoom, not
 * its geometry type, so one style must suit every shape a kind's layer may hold:
 * - points and lines get two passes (VectorGrid draws each style of an array in turn): a white
 *   casing, then the kind's colour — a ringed dot for a point, a cased line for a mural drawn as
 *   a wall line — legible on any basemap;
 * - polygons (detail zooms) are filled; while they are still small on screen (below zoom 17)
 *   their fill is denser and their outline thicker so that a 20 m garden still shows.
 * Clusters (count > 1) are a disc with the count; a "cluster" of one is drawn as its asset.
 */
function styleFor(kind) {
  // A point is the kind's symbol (symbols.js): a shape as well as a colour, 26 px to hit.
  var marker = { icon: markerIcon(kind), radius: 13 };
  // (radius: a crowded detail tile may still send a polygon kind's asset as a point)
  var small = { radius: 8, weight: 3, color: kind.stroke, opacity: 1, fill: true, fillColor: kind.colour,
                fillOpacity: 0.8 };
  var large = { radius: 8, weight: 2, color: kind.stroke, opacity: 1, fill: true, fillColor: kind.colour,
                fillOpacity: 0.55, dashArray: kind.dashed ? "6 4" : null };
  return function (properties, zoom) {
    if (state.layers.indexOf(kind.id) < 0) { return []; }
    if (properties.count > 1) { return { icon: countIcon(kind, properties.count) }; }
    // A polygon too small on screen comes as its point, flagged "marker" (public/tiles/sql.py).
    if (kind.geometry !== "polygon" || zoom < config.tiles.detailMinZoom || properties.marker) { return marker; }
    return zoom >= 17 ? large : small;
  };
}
var layerStyles = {};
config.kinds.forEach(function (kind) { layerStyles[kind.id] = styleFor(kind); });

var assetLayer = null;
var retiredLayers = [];

function setTilesState(value) { mapElement.setAttribute("data-tiles", value); }

function createAssetLayer() {
  var layer = L.vectorGrid.protobuf(tileUrl(), {
    // Leaflet fills {v} by calling this with the tile's coordinates.
    v: function (data) { return encodeURIComponent(tileVersion(data.z, data.x, data.y)); },
    pane: "assets",
    rendererFactory: L.canvas.tile,
    interactive: true,
    getFeatureId: function (feature) { return feature.properties.id; },
    vectorTileLayerStyles: layerStyles,
    maxNativeZoom: config.tiles.maxNativeZoom,
    maxZoom: config.view.maxZoom,
    tolerance: L.Browser.mobile ? 10 : 3,  // extra pixels a tap or click may miss a feature by
    fetchOptions: { credentials: "same-origin" }
  });
  layer.on("loading", function () { if (layer === assetLayer) { setTilesState("loading"); } });
  layer.on("load", function () {
    if (layer !== assetLayer) { return; }
    // The new tiles are drawn: now the layers they replace can go without a blank moment.
    retiredLayers.forEach(function (old) { map.removeLayer(old); });
    retiredLayers = [];
    setTilesState("loaded");
  });
  layer.on("click", onFeatureClick);
  return layer;
}

/*
 * A jump of several zoom levels (a search result flown to at z17 from z13): Leaflet would keep the
 * old level's tiles drawn, scaled up, until the new ones load — cluster discs blown up into large
 * blurred blobs. They are dropped at once instead; the new level draws as its tiles arrive.
 */
var MAX_ZOOM_STEP_KEPT = 1;
var zoomBefore = null;
map.on("zoomstart", function () { zoomBefore = map.getZoom(); });
map.on("zoomend", function () {
  var jump = zoomBefore === null ? 0 : Math.abs(Math.round(map.getZoom()) - Math.round(zoomBefore));
  var crossed = (zoomBefore < config.tiles.detailMinZoom) !== (map.getZoom() < config.tiles.detailMinZoom);
  zoomBefore = null;
  if (assetLayer && (jump > MAX_ZOOM_STEP_KEPT || (crossed && jump > 0))) {
    retiredLayers.forEach(function (old) { map.removeLayer(old); });
    retiredLayers = [];
    assetLayer.redraw();
  }
});

/** (Re)load the assets with the current filters and data version. */
export function reloadAssets() {
  if (assetLayer) { retiredLayers.push(assetLayer); }
  assetLayer = null;
  if (!state.layers.length || !state.statuses.length) {  // nothing can match: draw nothing
    retiredLayers.forEach(function (old) { map.removeLayer(old); });
    retiredLayers = [];
    setTilesState("loaded");
    return;
  }
  setTilesState("loading");
  assetLayer = createAssetLayer();
  assetLayer.addTo(map);
}

/** Whether every tile of the current filters and data version is drawn. */
export function assetsLoaded() {
  return mapElement.getAttribute("data-tiles") === "loaded" && (!assetLayer || !assetLayer.isLoading());
}

function onFeatureClick(event) {
  var properties = event.layer && event.layer.properties;
  if (!properties) { return; }
  if (properties.count > 1) {
    map.setView(event.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()), { animate: !reduceMotion });
    return;
  }
  if (properties.id) { openAssetPopup(properties.id, event.latlng, null); }
}

// ---------------------------------------------------------------- data version

export function dataVersion() { return version; }

var lastVersionCheck = 0;
function checkVersion() {
  var now = Date.now();
  if (document.hidden || now - lastVersionCheck < 10000) { return; }
  lastVersionCheck = now;
  fetch(config.tiles.versionUrl, { cache: "no-store", credentials: "same-origin" }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (data) {
    if (!data || !data.version || data.version === version) { return; }
    version = data.version;
    if (typeof data.url === "string" && localUrl(data.url)) { tileTemplate = data.url.split("?")[0]; }
    if (data.blocks) { setBlocks(data.blocks); }
    // Tiles whose version did not move keep their URL: the browser's cache answers them.
    reloadAssets();
    announce(S.mapUpdated);
  }).catch(function () { /* offline: try again later */ });
}

/** Reload the tiles when the data changes: checked every minute and when the page is back in view. */
export function watchDataVersion() {
  window.setInterval(checkVersion, 60000);
  window.addEventListener("focus", checkVersion);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { checkVersion(); } });
}
