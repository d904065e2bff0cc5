/*
 * Leaflet.VectorGrid 1.3.0 on Leaflet 1.9: clicks on canvas features.
 *
 * Why: VectorGrid's L.Canvas.Tile._onClick calls L.DomEvent.fakeStop(e), which Leaflet 1.8
 * removed. On Leaflet ≥ 1.8 every click on a feature throws "fakeStop is not a function" and
 * the layer never hears the click. Upstream fixed this on its main branch (pull request #288)
 * but has not released it since 1.3.0 (2017). The vendored file stays byte-identical to the
 * npm release (static/vendor/leaflet.vectorgrid/1.3.0/README.md); this file patches it at
 * runtime and must be loaded right after it.
 *
 * What: _onClick is replaced by the logic of Leaflet 1.9's own L.Canvas._onClick:
 * - Find the top-most interactive feature under the pointer and hand the event to
 *   Leaflet's _fireEvent, which fires on the feature (and, through addEventParent, on the
 *   VectorGrid layer) and then on the map. fakeStop's old job (keeping the map from also
 *   handling the raw DOM event) is done in Leaflet 1.9 by the canvas's
 *   `_leaflet_disable_events` flag, which L.Canvas sets on every canvas it creates, so nothing
 *   replaces it.
 * - Fire even when no feature was hit (the map alone hears it), as Leaflet 1.9 does: vector
 *   tiles cover the whole map, and otherwise clicks on empty ground would never reach the
 *   map (no 'preclick', so open popups would not close).
 * - A drag that ends on a feature is not a click (_draggableMoved), as before.
 *
 * And one more 1.9 incompatibility on the same path: Leaflet 1.9's map._fireDOMEvent treats
 * a target with getLatLng() and a radius ≤ 10 px as a marker and calls getLatLng(). VectorGrid's
 * point features are CircleMarkers with no _latlng (they only know their pixel position in
 * the tile), so that call threw too: they get a getLatLng() derived from their pixel position.
 */
(function (L) {
  "use strict";
  if (!L || !L.Canvas || !L.Canvas.Tile || !L.VectorGrid) { return; }

  // PointSymbolizer is not exported: make one throw-away point feature to reach its prototype.
  var probe = L.VectorGrid.prototype._createLayer.call(
    { options: {} }, { type: 1, geometry: [[{ x: 0, y: 0 }]], properties: {} }, L.point(1, 1));
  Object.getPrototypeOf(probe).getLatLng = function () {
    var renderer = this._renderer;
    if (this._latlng) { return this._latlng; }
    if (!renderer || !renderer._map || !this._point) { return undefined; }
    // _point is in the tile's own pixels; the tile's offset makes it a map layer point.
    return renderer._map.layerPointToLatLng(this._point.add(renderer.getOffset()));
  };

  L.Canvas.Tile.include({
    _onClick: function (e) {
      var map = this._map;
      if (!map) { return; }  // the tile is still loading or already unloaded
      var point = map.mouseEventToLayerPoint(e).subtract(this.getOffset());
      var layer, clickedLayer;
      for (var id in this._layers) {
        layer = this._layers[id];
        if (layer.options.interactive && layer._containsPoint(point)) {
          if (!(e.type === "click" || e.type === "preclick") || !map._draggableMoved(layer)) {
            clickedLayer = layer;
          }
        }
      }
      this._fireEvent(clickedLayer ? [clickedLayer] : false, e);
    }
  });
})(window.L);
