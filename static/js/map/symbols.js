/*
 * Each kind's own symbol: a shape as well as a colour, so that kinds are told apart by people who
 * do not see the colours apart (blue painted boxes and purple murals look alike to many). The same
 * drawing is the map's marker (a VectorGrid icon) and the legend's, search's and popup's swatch.
 *
 *   garden ●  green plot: a leaf  heritage ⌂  painted box ■  mural ◆  elevator ▲
 */
var SHAPES = {
  circle: function (ctx, c, r) { ctx.arc(c, c, r, 0, 2 * Math.PI); },
  square: function (ctx, c, r) { var s = r * 0.86; ctx.rect(c - s, c - s, 2 * s, 2 * s); },
  diamond: function (ctx, c, r) { polygon(ctx, c, [[0, -1.12], [1.12, 0], [0, 1.12], [-1.12, 0]], r); },
  triangle: function (ctx, c, r) { polygon(ctx, c, [[0, -1.1], [1.12, 0.85], [-1.12, 0.85]], r); },
  leaf: function (ctx, c, r) {  // two arcs meeting in points, tilted 45°
    var points = [], steps = 16;
    for (var i = 0; i <= 2 * steps; i += 1) {
      var t = (i % steps) / steps, along = -1.15 + 2.3 * t, across = Math.sin(Math.PI * t) * 0.62;
      if (i >= steps) { along = -along; across = -across; }
      points.push([(along - across) * Math.SQRT1_2, (-along - across) * Math.SQRT1_2]);
    }
    polygon(ctx, c, points, r);
  },
  house: function (ctx, c, r) { polygon(ctx, c, [[0, -1.1], [1, -0.2], [1, 0.95], [-1, 0.95], [-1, -0.2]], r); }
};

function polygon(ctx, c, points, r) {
  points.forEach(function (point, index) {
    var x = c + point[0] * r, y = c + point[1] * r;
    if (index) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); }
  });
  ctx.closePath();
}

/** Draw ``kind``'s symbol, ``size`` CSS pixels square, on a new canvas (sharp on high-density screens). */
export function symbolCanvas(kind, size, casing) {
  var ratio = window.devicePixelRatio || 1;
  var canvas = document.createElement("canvas");
  canvas.width = canvas.height = Math.round(size * ratio);
  canvas.style.width = canvas.style.height = size + "px";
  var ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  var draw = SHAPES[kind.shape] || SHAPES.circle;
  var c = size / 2, r = size / 2 - (casing ? 4 : 1.5);
  ctx.beginPath();
  draw(ctx, c, r);
  ctx.lineJoin = "round";
  if (casing) {  // on the map: a white casing keeps the symbol legible on any basemap
    ctx.lineWidth = 5;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
  }
  ctx.fillStyle = kind.colour;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = kind.geometry === "polygon" ? kind.stroke : "#ffffff";
  if (kind.dashed) { ctx.setLineDash([3, 2]); }
  ctx.stroke();
  return canvas;
}

/*
 * The map's marker for a kind: an icon VectorGrid draws on its canvas (it takes a canvas for an
 * image); 26 px square, which is also the area a click or tap hits.
 */
export const MARKER_SIZE = 26;
var SymbolIcon = L.Icon.extend({
  createIcon: function () {
    var canvas = symbolCanvas(this.options.kind, this.options.iconSize[0], true);
    canvas.complete = true;  // VectorGrid draws an icon at once when it is "complete"
    return canvas;
  }
});
var icons = {};
export function markerIcon(kind) {
  if (!icons[kind.id]) {
    // VectorGrid caches icons by iconUrl, hence the made-up key.
    icons[kind.id] = new SymbolIcon({ iconUrl: "registry-symbol:" + kind.id, iconSize: [MARKER_SIZE, MARKER_SIZE],
                                      kind: kind });
  }
  return icons[kind.id];
}
