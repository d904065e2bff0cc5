"""GCJ-02 (the offset datum of Gaode/AMap and Tencent maps) to WGS-84, for imports.

Survey sheets often hold coordinates copied from Gaode, which publishes in GCJ-02: WGS-84 plus a
deliberate, smoothly varying offset of a few hundred metres. The registry stores WGS-84 only
(shared/domain.md), so ``import_assets --gcj02`` converts on the way in.

The forward transform (WGS-84 → GCJ-02) is the public formula the open-source converters share,
the same constants as ``static/js/gcj02.js``: the Krasovsky 1940 ellipsoid and trigonometric
series in lon − 105°, lat − 35°. There is no closed-form inverse; :func:`gcj02_to_wgs84` inverts
by fixed-point iteration (the offset changes by a few metres per kilometre, so each step shrinks
the error about a thousand-fold) until the round trip agrees to 1e-9° (≈ 0.1 mm).
"""

import json
import math

from django.contrib.gis.geos import GEOSGeometry

A = 6378245.0                     # Krasovsky 1940 semi-major axis, metres
EE = 0.00669342162296594323       # Krasovsky 1940 first eccentricity squared
TOLERANCE_DEGREES = 1e-9
MAX_ITERATIONS = 30


def out_of_china(lon: float, lat: float) -> bool:
    """Outside mainland China's rough bounding box GCJ-02 adds no offset."""
    return lon < 72.004 or lon > 137.8347 or lat < 0.8293 or lat > 55.8271


def _series_lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _series_lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 position (lon, lat) of a WGS-84 point."""
    if out_of_china(lon, lat):
        return lon, lat
    d_lat = _series_lat(lon - 105.0, lat - 35.0)
    d_lon = _series_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS-84 position (lon, lat) whose GCJ-02 position is (``lon``, ``lat``)."""
    if out_of_china(lon, lat):
        return lon, lat
    x, y = lon, lat
    for _ in range(MAX_ITERATIONS):
        fx, fy = wgs84_to_gcj02(x, y)
        dx, dy = fx - lon, fy - lat
        x, y = x - dx, y - dy
        if abs(dx) < TOLERANCE_DEGREES and abs(dy) < TOLERANCE_DEGREES:
            break
    return x, y


def geometry_gcj02_to_wgs84(geometry):
    """A copy of a GEOS geometry (lon/lat) with every vertex moved from GCJ-02 to WGS-84."""
    def convert(coordinates):
        if coordinates and isinstance(coordinates[0], (int, float)):
            return list(gcj02_to_wgs84(coordinates[0], coordinates[1]))
        return [convert(part) for part in coordinates]

    shape = json.loads(geometry.json)
    if shape["type"] == "GeometryCollection":
        shape["geometries"] = [dict(g, coordinates=convert(g["coordinates"])) for g in shape["geometries"]]
    else:
        shape["coordinates"] = convert(shape["coordinates"])
    converted = GEOSGeometry(json.dumps(shape))
    converted.srid = geometry.srid
    return converted
