/*
 * The basemap under the assets: one of config.basemaps, or none. Gaode's is drawn in GCJ-02 and
 * shifted to fit our WGS-84 data (window.gcj02, from the classic script gcj02.js).
 */
import { basemaps, config } from "./config.js";
import { map } from "./view.js";

/*
 * Gaode/AMap tiles are drawn in GCJ-02: a place at WGS-84 position W appears in them at
 * G = gcj02(W), a few hundred metres away. Our data stays WGS-84, so the whole Gaode layer is
 * moved by s = pixel(W) − pixel(G), the offset at the map centre in screen pixels at the tile
 * zoom: a tile is placed s further than usual, and the tiles fetched are those covering the
 * view moved by −s. The offset changes by about 2.6 m per km in Liwan (see gcj02.js), so it
 * is recomputed (and tiles are moved) when the map stops moving.
 */
var GCJ02TileLayer = L.TileLayer.extend({
  onAdd: function (map) {
    this._shifts = {};
    L.TileLayer.prototype.onAdd.call(this, map);
  },

  /** Pixels to add to a tile's usual position at ``zoom``; cached until the map moves. */
  _shiftAt: function (zoom) {
    if (!this._shifts[zoom]) {
      var center = this._map.getCenter();
      var gcj = window.gcj02.wgs84ToGcj02(center.lat, center.lng);
      var crs = this._map.options.crs;
      this._shifts[zoom] = crs.latLngToPoint(center, zoom)
        .subtract(crs.latLngToPoint(L.latLng(gcj.lat, gcj.lon), zoom)).round();
    }
    return this._shifts[zoom];
  },

  _onMoveEnd: function () {
    if (this._map && !this._map._animatingZoom && this._tileZoom !== undefined) {
      var zoom = this._tileZoom, before = this._shifts[zoom];
      this._shifts = {};
      var after = this._shiftAt(zoom);
      if (before && !before.equals(after)) {
        for (var key in this._tiles) {
          var tile = this._tiles[key];
          if (tile.coords.z === zoom) { L.DomUtil.setPosition(tile.el, this._getTilePos(tile.coords)); }
        }
      }
    }
    L.TileLayer.prototype._onMoveEnd.call(this);
  },

  _getTilePos: function (coords) {
    return L.TileLayer.prototype._getTilePos.call(this, coords).add(this._shiftAt(coords.z));
  },

  _getTiledPixelBounds: function (center) {
    var pixels = L.TileLayer.prototype._getTiledPixelBounds.call(this, center);
    var shift = this._shiftAt(this._tileZoom);
    return L.bounds(pixels.min.subtract(shift), pixels.max.subtract(shift));
  }
});

function makeBasemap(definition) {
  var options = {
    maxZoom: config.view.maxZoom, maxNativeZoom: definition.max_zoom,
    subdomains: definition.subdomains, attribution: definition.attribution
  };
  if (definition.datum === "gcj02") { return new GCJ02TileLayer(definition.url, options); }
  var tiles = L.tileLayer(definition.url, options);
  if (!definition.labels_url) { return tiles; }
  return L.layerGroup([tiles, L.tileLayer(definition.labels_url, L.extend({}, options, { attribution: "" }))]);
}

var basemapLayer = null;
export function setBasemap(id) {
  if (basemapLayer) { map.removeLayer(basemapLayer); basemapLayer = null; }
  if (basemaps[id]) { basemapLayer = makeBasemap(basemaps[id]).addTo(map); }
}
