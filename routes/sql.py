"""The routes' SQL, where PostGIS does the work: the walking line and its length, and the stops far
from a drawn line. Lengths and distances are measured in EPSG:4547 (CGCS2000 / 3-degree
Gauss-Kruger CM 114E, metres), the district's own projected system, never on degrees.
"""

# The walking line of each route asked for, and its length in metres.
# * ``line``: the drawn line when there is one, else the straight segments between the stops'
#   representative points in stop order (``approximate`` says which);
# * ``length_m``: that line's length after ST_Transform to EPSG:4547;
# * ``stop_count``: how many stops the route has.
# One LATERAL subquery per route reads its stops through the (route, position) unique index.
ROUTE_LINES = """
SELECT route.id,
       ST_AsGeoJSON(coalesce(route.line, stops.line), 6) AS line,
       route.line IS NULL AS approximate,
       coalesce(ST_Length(ST_Transform(coalesce(route.line, stops.line), 4547)), 0) AS length_m,
       coalesce(stops.n, 0) AS stop_count
FROM routes_route route
LEFT JOIN LATERAL (
    SELECT ST_MakeLine(asset.location ORDER BY stop.position) AS line, count(*) AS n
    FROM routes_routestop stop
    JOIN registry_asset asset ON asset.id = stop.asset_id
    WHERE stop.route_id = route.id
) stops ON true
WHERE route.id = ANY(%(ids)s)
"""

# The stops (position, asset id, distance in metres) farther than ``limit`` metres from a drawn
# ``line`` (WKT, WGS-84): the staff editor's warning that the line does not pass by a stop.
STOPS_FAR_FROM_LINE = """
SELECT position, asset_id, round(distance)::int
FROM (SELECT stop.position, stop.asset_id,
             ST_Distance(ST_Transform(asset.location, 4547),
                         ST_Transform(ST_GeomFromText(%(line)s, 4326), 4547)) AS distance
      FROM unnest(%(assets)s::bigint[]) WITH ORDINALITY AS stop(asset_id, position)
      JOIN registry_asset asset ON asset.id = stop.asset_id) distances
WHERE distance > %(limit)s
ORDER BY position
"""
