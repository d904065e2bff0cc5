"""Small shapes in WGS-84 sized in metres, and random points inside an area.

At Guangzhou's latitude a local metre-to-degree scale is accurate to well under a percent over
the tens of metres these shapes span; vertices are rounded to 1e-7° (about a centimetre).
"""

import math

from django.contrib.gis.geos import LineString, Point, Polygon

from registry.spatial_refs import STORAGE_SRID

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0


def _to_degrees(lon, lat, dx_m, dy_m, angle_deg):
    """The point ``(dx_m, dy_m)`` metres from (lon, lat), the offset rotated by ``angle_deg``."""
    angle = math.radians(angle_deg)
    x = dx_m * math.cos(angle) - dy_m * math.sin(angle)
    y = dx_m * math.sin(angle) + dy_m * math.cos(angle)
    per_lon = METRES_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat))
    return round(lon + x / per_lon, 7), round(lat + y / METRES_PER_DEGREE_LAT, 7)


def rectangle(lon, lat, width_m, depth_m, angle_deg=0.0) -> Polygon:
    """A ``width_m`` × ``depth_m`` rectangle centred on (lon, lat), rotated anticlockwise."""
    half_w, half_d = width_m / 2, depth_m / 2
    corners = [(-half_w, -half_d), (half_w, -half_d), (half_w, half_d), (-half_w, half_d), (-half_w, -half_d)]
    return Polygon([_to_degrees(lon, lat, dx, dy, angle_deg) for dx, dy in corners], srid=STORAGE_SRID)


def wall_line(lon, lat, length_m, angle_deg=0.0) -> LineString:
    """A straight wall ``length_m`` long centred on (lon, lat)."""
    half = length_m / 2
    return LineString([_to_degrees(lon, lat, -half, 0, angle_deg), _to_degrees(lon, lat, half, 0, angle_deg)],
                      srid=STORAGE_SRID)


def point(lon, lat) -> Point:
    return Point(round(lon, 7), round(lat, 7), srid=STORAGE_SRID)


class PointSampler:
    """Uniform random points inside ``boundary``, at least ``inset_m`` metres from its edge.

    The inset keeps a shape drawn around the point inside the area. Rejection sampling in the
    bounding box against a prepared geometry: a few microseconds a point.
    """

    def __init__(self, boundary, inset_m=40.0):
        inner = boundary.buffer(-inset_m / METRES_PER_DEGREE_LAT)
        self.area = boundary if inner.empty else inner
        self.prepared = self.area.prepared
        self.extent = self.area.extent

    def sample(self, rng) -> tuple[float, float]:
        x0, y0, x1, y1 = self.extent
        while True:
            lon, lat = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if self.prepared.contains(Point(lon, lat, srid=STORAGE_SRID)):
                return lon, lat
