"""The demo district's boundaries, drawn by PostGIS. Every SQL statement that shapes them is here.

- An outline is drawn around the street centres: their concave hull grown by a margin (in metres).
- Streets are the Voronoi cells of their centres, clipped to that outline. Voronoi cells
  partition the plane, so the streets do not overlap; the district is their union.
- A street is split into communities, and a community into grids, the same way: Voronoi cells of
  a few seeded random points inside the parent (``ST_GeneratePoints(boundary, n, seed)``),
  clipped to the parent's stored boundary, so that the children tile their parent exactly.

Distances are metric: streets are computed in EPSG:4547 (CGCS2000 / 3-degree GK CM 114E) and
stored in EPSG:4326. Subdivisions are computed in EPSG:4326 directly, against the parent exactly
as stored, so that no reprojection blurs the shared edges.
"""

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import connection

from registry.spatial_refs import AREA_SRID, STORAGE_SRID

STREETS_SQL = """
-- The street centres, in order, projected to metres.
WITH centres AS (
    SELECT ord, ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), %(storage_srid)s), %(metric_srid)s) AS centre
    FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS c(lon, lat, ord)
),
-- The district outline: the centres' concave hull (0 = most concave, 1 = convex hull), grown by
-- the margin so that the outermost streets extend beyond their centres.
outline AS (
    SELECT ST_Buffer(ST_ConcaveHull(ST_Collect(centre), %(concavity)s), %(margin)s) AS shape
    FROM centres
),
-- One Voronoi cell per centre, the diagram extended to cover the whole outline.
cells AS (
    SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(centre), 0, (SELECT shape FROM outline)))).geom AS cell
    FROM centres
),
-- Each street: its cell clipped to the outline, back in the storage CRS.
streets AS (
    SELECT centres.ord,
           ST_Transform(ST_CollectionExtract(ST_Intersection(cells.cell, outline.shape), 3), %(storage_srid)s) AS shape
    FROM centres
    JOIN cells ON ST_Contains(cells.cell, centres.centre)
    CROSS JOIN outline
)
-- Row 0 is the district, the union of its streets (so that they tile it exactly in the storage
-- CRS); row n is the street of the n-th centre.
SELECT 0 AS ord, ST_AsEWKB(ST_Multi(ST_Union(shape))) FROM streets
UNION ALL
SELECT ord, ST_AsEWKB(ST_Multi(shape)) FROM streets
ORDER BY ord
"""

SUBDIVIDE_SQL = """
-- The parent boundary, exactly as stored.
WITH parent AS (
    SELECT ST_GeomFromEWKB(%(boundary)s) AS shape
),
-- `count` reproducible random points inside the parent, and the Voronoi cell of each.
cells AS (
    SELECT (ST_Dump(ST_VoronoiPolygons(ST_GeneratePoints(shape, %(count)s, %(seed)s), 0, shape))).geom AS cell
    FROM parent
),
-- Each cell clipped to the parent; only the polygonal part of the intersection is kept.
pieces AS (
    SELECT ST_Multi(ST_CollectionExtract(ST_Intersection(cell, parent.shape), 3)) AS piece
    FROM cells CROSS JOIN parent
)
-- North to south, then west to east, so that codes and names read like a map.
SELECT ST_AsEWKB(piece)
FROM pieces
WHERE NOT ST_IsEmpty(piece)
ORDER BY round(ST_Y(ST_PointOnSurface(piece))::numeric, 4) DESC, ST_X(ST_PointOnSurface(piece))
"""


def _multipolygon(ewkb) -> MultiPolygon:
    geometry = GEOSGeometry(memoryview(bytes(ewkb)))
    geometry.srid = STORAGE_SRID
    return geometry


def district_and_streets(centres, margin_m=900, concavity=0.6):
    """(district outline, [street boundary per centre]) for ``centres`` = [(lat, lon), …]."""
    params = {
        "lons": [lon for _lat, lon in centres],
        "lats": [lat for lat, _lon in centres],
        "margin": margin_m,
        "concavity": concavity,
        "storage_srid": STORAGE_SRID,
        "metric_srid": AREA_SRID,
    }
    with connection.cursor() as cursor:
        cursor.execute(STREETS_SQL, params)
        rows = cursor.fetchall()
    shapes = [_multipolygon(ewkb) for _ord, ewkb in rows]
    return shapes[0], shapes[1:]


def subdivide(boundary, count: int, seed: int) -> list[MultiPolygon]:
    """Split ``boundary`` into ``count`` areas that tile it; the same seed gives the same areas."""
    with connection.cursor() as cursor:
        cursor.execute(SUBDIVIDE_SQL, {"boundary": bytes(boundary.ewkb), "count": count, "seed": seed})
        return [_multipolygon(ewkb) for (ewkb,) in cursor.fetchall()]
