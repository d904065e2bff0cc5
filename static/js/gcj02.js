/*
 * WGS-84 → GCJ-02, for lining Gaode/AMap tiles up with our WGS-84 data.
 *
 * GCJ-02 ("Mars coordinates") is the datum Chinese web maps (Gaode/AMap, Tencent) must publish
 * in: WGS-84 plus a deliberate, smoothly varying offset of a few hundred metres. The official
 * algorithm is not published; the formulas below are the public version that open-source
 * converters (eviltransform, coordtransform, …) share: the Krasovsky 1940 ellipsoid
 * (a = 6378245 m, e² = 0.00669342162296594323) and trigonometric series in lon − 105°, lat − 35°.
 * Outside mainland China's rough bounding box there is no offset.
 *
 * Accuracy (a note, not a test):
 * - Treat the formulas as good to about a metre against Gaode's own imagery; nothing here needs
 *   better.
 * - The map does not transform every tile pixel: the Gaode layer is shifted as a whole by the
 *   offset at the map centre (see js/map/basemaps.js), recomputed whenever the map stops
 *   moving. In Liwan the offset is about +0.00533° lon, −0.00268° lat (≈ 546 m east, 298 m
 *   south). It changes by about 2.6 m per km (measured with this file over 113.17–113.28 E,
 *   23.04–23.16 N; 15 m from one corner of the district to the other). Because both the change
 *   and the pixel size scale with distance, the misfit is ≈ 0.26 % of the distance from the map
 *   centre in pixels whatever the zoom: under 2 px at the edge of a 1280 px-wide window. So one
 *   shift per view is as good as transforming every tile, here; over a province it would not be.
 * - Self-check: wgs84ToGcj02(39.915, 116.404) → (39.91640428, 116.41024450), the value the public
 *   implementations print.
 * - Only the forward direction is needed for display. We never store GCJ-02 (domain rule).
 */
(function (root) {
  "use strict";

  var A = 6378245.0;                 // Krasovsky 1940 semi-major axis, metres
  var EE = 0.00669342162296594323;   // Krasovsky 1940 first eccentricity squared
  var PI = Math.PI;

  function outOfChina(lat, lon) {
    return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
  }

  // The two series, in "degrees-ish" units, of x = lon − 105, y = lat − 35.
  function seriesLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    return r;
  }

  function seriesLon(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    return r;
  }

  /** The GCJ-02 position of a WGS-84 point: {lat, lon} in degrees. */
  function wgs84ToGcj02(lat, lon) {
    if (outOfChina(lat, lon)) { return { lat: lat, lon: lon }; }
    var dLat = seriesLat(lon - 105.0, lat - 35.0);
    var dLon = seriesLon(lon - 105.0, lat - 35.0);
    // Scale metres-like series to degrees on the Krasovsky ellipsoid at this latitude.
    var radLat = lat / 180.0 * PI;
    var magic = 1 - EE * Math.sin(radLat) * Math.sin(radLat);
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI);
    dLon = (dLon * 180.0) / (A / sqrtMagic * Math.cos(radLat) * PI);
    return { lat: lat + dLat, lon: lon + dLon };
  }

  root.gcj02 = { wgs84ToGcj02: wgs84ToGcj02, outOfChina: outOfChina };
})(window);
