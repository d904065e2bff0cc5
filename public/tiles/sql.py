"""The SQL of a vector tile: all of it, in one place.

A tile is built by PostGIS in one statement. The rows it may draw come from the ORM: the
queryset of visible, filtered assets (:meth:`public.tiles.filters.TileFilters.assets`, which
starts from ``registry.queries.visible_assets``) is compiled by Django and becomes the ``assets``
CTE, so the visibility rule and what ``looking=1`` means are never written again here. Features carry
only what the map draws (ASSET_COLUMNS). The CTE is ``NOT MATERIALIZED``: PostgreSQL inlines it where
it is used, so the tile-envelope conditions reach the GiST indexes and unused columns (the
adoption look-ups in the count, for instance) are never computed.

Geometry comes from the generated columns ``geometry_webmercator`` / ``location_webmercator``
(EPSG:3857, GiST-indexed); the tile's bounds from ``ST_TileEnvelope(z, x, y)`` written with literal
integers, which PostgreSQL folds into a constant when planning. No ``ST_Transform`` per request.
The statement starts with ``SET LOCAL`` planner settings that last for it only (see TILE_SQL).

A tile is drawn one of two ways:

* **detail**: one feature per asset, its own geometry (polygon, line or point) clipped to the
  tile plus a buffer and quantised by ``ST_AsMVTGeom``. Used from ``DETAIL_MIN_ZOOM`` on, unless
  the tile holds more than ``DETAIL_MAX_FEATURES`` assets (counting stops there);
* **clusters**: below ``DETAIL_MIN_ZOOM`` (and for a crowded detail tile), the tile is cut into a
  grid of square cells aligned with it (``CLUSTER_GRID``, or ``CROWDED_GRID`` cells per side);
  per kind and cell, one point at the mean of its members' representative points, with ``count``.
  A cell holding one asset carries that asset's own properties, so sparse areas look as they do
  at detail zooms, while a tile never has more than 6 × grid² features however many assets
  there are: with 100,000 assets no tile gets near 500 KiB. Up to LAST_SUMMED_ZOOM the cells are
  summed from the cluster summary (registry.cluster_cells, SUMMED_TILE_SQL) when the filters allow,
  so a low-zoom tile's cost follows its area, not the number of assets under it; the summary also
  tells a detail tile whether it is crowded (CROWDED_BY_SUMMARY).

Each asset kind is its own MVT layer named by its ``AssetKind`` value; the layers are built by one
``ST_AsMVT`` per kind and concatenated (concatenated layers make a valid tile). A tile with nothing
in it is an empty byte string.
"""

from typing import NamedTuple

from django.db import connections
from django.db.models import ExpressionWrapper, F, Field, QuerySet

from registry.bulk import last_result
from registry.cluster_cells import CELL_ZOOM, LAST_SUMMED_ZOOM

#: Zoom levels served. Beyond MAX_ZOOM a map over-zooms the last tiles (they hold every asset).
MIN_ZOOM, MAX_ZOOM = 0, 20
#: From this zoom on, assets are drawn one by one with their own geometry.
DETAIL_MIN_ZOOM = 14
#: A detail tile with more assets than this is drawn as clusters instead (about 80 bytes per feature
#: in practice, so a detail tile stays well under 500 KiB).
DETAIL_MAX_FEATURES = 4000
#: Cluster cells per tile side below DETAIL_MIN_ZOOM (16 → 16-pixel cells on a 256-pixel tile), and
#: for a crowded tile at detail zooms (finer: the user has zoomed in).
CLUSTER_GRID = 16
CROWDED_GRID = 32
# A cluster cell of a zoom-13 tile's grid is one zoom-17 summary cell (registry.cluster_cells).
assert LAST_SUMMED_ZOOM + CLUSTER_GRID.bit_length() - 1 == CELL_ZOOM and LAST_SUMMED_ZOOM < DETAIL_MIN_ZOOM
#: A polygon less than this many screen pixels across (its bounding box's longer side) is drawn as its
#: representative point at detail zooms: a marker a finger can tap, where its true shape would be a
#: speck of a few pixels; it takes its shape once it is this big.
SMALL_POLYGON_PX = 12
#: Tile coordinate space, and the buffer (in those units: 256 = 16 screen pixels) drawn around
#: detail tiles so that outlines and markers crossing an edge are not cut.
EXTENT, BUFFER = 4096, 256

#: The columns the ORM hands to the tile SQL (see asset_rows): only what the map draws. A feature carries
#: ``id`` (also its MVT feature id), a cluster ``count``, a polygon sent as its point ``marker``; the
#: kind is the layer. Names, status, adoption and problems are the popup's (``popup.json``): computing
#: them per feature (the adoption and problem look-ups above all) was most of a detail tile's time.
ASSET_COLUMNS = ("id", "kind", "geometry_3857", "location_3857")
#: The columns of the cluster summary (registry.cluster_cells) the summed cluster tiles read.
SUMMARY_COLUMNS = ("kind", "cell_x", "cell_y", "count", "sum_x", "sum_y", "min_id")

CLUSTERS_SQL = """
-- Clusters, step 2: one point per cell, with its count; a cell of one asset is drawn as that asset
-- (its id opens its popup).
clusters AS (
    SELECT c.kind,
           c.id AS feature_id,
           ST_AsMVTGeom(ST_Point(c.x, c.y, 3857), {envelope}, {extent}, {cluster_buffer}, false) AS geom,
           c.id,
           c.count,
           true AS marker                     -- a point: the kind's symbol (or the cluster's disc)
    FROM cells AS c
    -- The tile's own cells and the ring around it (drawn where they overflow into the tile).
    WHERE c.cell_col BETWEEN -1 AND {grid} AND c.cell_row BETWEEN -1 AND {grid}
),
"""

LAYERS_SQL = """
-- One MVT layer per kind, named by the kind; feature_id becomes the MVT feature id (for the
-- browser's feature-state), every other column but geom a property.
SELECT COALESCE(string_agg(layer, ''::bytea ORDER BY kind), ''::bytea)
FROM (
    SELECT kind, ST_AsMVT(features, kind, {extent}, 'geom', 'feature_id') AS layer
    FROM features
    GROUP BY kind
    -- ST_AsMVTGeom gives NULL for what collapses below one tile unit, and ST_AsMVT skips it
    -- (filtering in WHERE would be pushed down and compute ST_AsMVTGeom twice); no empty layers.
    HAVING count(geom) > 0
) AS layers
"""

TILE_SQL = """
-- Planner settings for this statement only (SET LOCAL ends with it):
-- * no JIT compilation: PostgreSQL misjudges it for tile queries (their cost is in PostGIS
--   functions JIT cannot speed up), and compiling would take longer than the tile;
-- * no parallel workers: starting them costs more than a tile's scan, and a busy web server
--   cannot spare them;
-- * no sorting: the planner cannot know that clusters are few (at most 6 kinds × grid² cells,
--   whatever the number of assets), so it would sort every member instead of hashing them.
SET LOCAL jit = off;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL enable_sort = off;
{decide_mode}
WITH
{summary_cte}
-- The visible, filtered assets (id, kind and the 3857 columns), compiled by Django (see the docstring).
assets AS NOT MATERIALIZED (
    {assets}
),

-- Clusters or detail? Always clusters below DETAIL_MIN_ZOOM; at detail zooms, as decided just above.
mode AS (
    {mode}
),

-- Detail: every asset whose geometry touches the tile or its buffer, clipped and quantised. A polygon
-- smaller on screen than SMALL_POLYGON_PX is sent as its representative point (drawn as a marker).
detail AS (
    SELECT a.kind,
           a.id AS feature_id,
           ST_AsMVTGeom(CASE WHEN {speck} THEN a.location_3857 ELSE a.geometry_3857 END,
                        {envelope}, {extent}, {buffer}, true) AS geom,
           a.id,
           NULL::bigint AS count,             -- NULL: no such property on a single asset
           CASE WHEN {speck} THEN true END AS marker  -- a polygon sent as its point: draw the kind's symbol
    FROM assets AS a
    WHERE NOT (SELECT clustered FROM mode)  -- a one-time filter: this branch runs only for detail tiles
      AND a.geometry_3857 && {search_area}
),

-- Clusters, step 1: the assets' representative points bucketed by kind and grid cell (column from
-- the tile's west edge, row from its north edge), for the tile's cells and the ring of cells just
-- outside it: a marker near the edge overflows into this tile, and the neighbour tile, whose grid
-- lines up with this one, computes the very same cluster. Only short columns travel, so the aggregate
-- hashes in memory. MATERIALIZED keeps PostgreSQL from pushing the cell-range filter of step 2 in
-- here, where it would spoil the row estimates and with them the plan.
cells AS MATERIALIZED (
    SELECT a.kind,
           floor((ST_X(a.location_3857) - ST_XMin({envelope})) / {cell})::int AS cell_col,
           floor((ST_YMax({envelope}) - ST_Y(a.location_3857)) / {cell})::int AS cell_row,
           count(*) AS count,
           min(a.id) AS id,                             -- the cell's stable key: its lowest asset id
           avg(ST_X(a.location_3857)) AS x, avg(ST_Y(a.location_3857)) AS y
    FROM assets AS a
    WHERE (SELECT clustered FROM mode)
      AND a.location_3857 && ST_Expand({envelope}, {cell})
    GROUP BY 1, 2, 3
),

""" + CLUSTERS_SQL + """

features AS (
    SELECT * FROM detail
    UNION ALL
    SELECT * FROM clusters
)


""" + LAYERS_SQL

#: A cluster tile of zoom ≤ LAST_SUMMED_ZOOM read from the summary (registry.cluster_cells): a cluster
#: cell of the tile's 16 × 16 grid is 2^shift × 2^shift zoom-17 cells (shift = 13 - z), so the cells
#: are the summary rows of the tile's area (and the ring of one cluster cell around it) regrouped by
#: an integer shift. Same clusters, same step 2 and layers as TILE_SQL's; the cost follows the area
#: and the filter combinations present in it, not the number of assets.
SUMMED_TILE_SQL = """
SET LOCAL jit = off;
SET LOCAL max_parallel_workers_per_gather = 0;
WITH
-- The summary rows the user may see that pass the filters, compiled by Django (ClusterCell).
summary AS NOT MATERIALIZED (
    {summary}
),

cells AS MATERIALIZED (
    SELECT s.kind,
           (s.cell_x >> {shift}) - {col0} AS cell_col,
           (s.cell_y >> {shift}) - {row0} AS cell_row,
           sum(s.count) AS count,
           min(s.min_id) AS id,
           sum(s.sum_x) / sum(s.count) AS x, sum(s.sum_y) / sum(s.count) AS y
    FROM summary AS s
    WHERE s.cell_x BETWEEN {first_x} AND {last_x} AND s.cell_y BETWEEN {first_y} AND {last_y}
    GROUP BY 1, 2, 3
),

""" + CLUSTERS_SQL + """

features AS (
    SELECT * FROM clusters
)

""" + LAYERS_SQL

#: A polygon whose bounding box is narrower on screen than SMALL_POLYGON_PX (``small``, in EPSG:3857 units).
SPECK = """(ST_Dimension(a.geometry_3857) = 2
                 AND greatest(ST_XMax(a.geometry_3857) - ST_XMin(a.geometry_3857),
                              ST_YMax(a.geometry_3857) - ST_YMin(a.geometry_3857)) < {small})"""

ALWAYS_CLUSTERS = "SELECT true AS clustered"
#: At detail zooms, when the cluster summary can answer the filters: the tile is crowded when the zoom-17
#: cells under it (the one holding it, beyond zoom 17) hold more than DETAIL_MAX_FEATURES assets. A few
#: summary rows, no read of the assets: the exact count (DECIDE_MODE) read every asset's row once more.
SUMMARY_CTE = """-- The same assets summed per zoom-17 cell (registry.cluster_cells), for the mode.
summary AS NOT MATERIALIZED (
    {summary}
),"""
CROWDED_BY_SUMMARY = """SELECT coalesce(sum(s.count), 0) > {max_features} AS clustered FROM summary AS s
    WHERE s.cell_x BETWEEN {first_x} AND {last_x} AND s.cell_y BETWEEN {first_y} AND {last_y}"""
CLUSTERS_WHEN_CROWDED = "SELECT current_setting('registry.tile_clustered')::boolean AS clustered"

#: At detail zooms the mode is decided by a statement of its own, before the tile's: does the tile hold
#: more than DETAIL_MAX_FEATURES assets? The LIMIT stops counting there, but only if the assets are
#: found through the GiST index: as a CTE of the tile statement PostgreSQL chose a sequential scan
#: (a LIMIT makes it look cheap) that read the table until 4,001 matches turned up, a fifth of the
#: z14 tile's time, and turning scans off for the whole tile statement slows the rest of it. So the
#: count runs alone, index scans only, and hands its answer to the tile statement in a setting that
#: lasts until the end of the transaction (``set_config(…, true)``); RESET restores the scan settings.
DECIDE_MODE = """
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT set_config('registry.tile_clustered', (count(*) > {max_features})::text, true)
FROM (
    WITH assets AS NOT MATERIALIZED ({assets})
    SELECT FROM assets AS a WHERE a.geometry_3857 && {search_area} LIMIT {max_features} + 1
) AS sample;
RESET enable_seqscan;
RESET enable_bitmapscan;
"""


def _raw(column: str) -> ExpressionWrapper:
    """A geometry column as stored: not through Django's ``::bytea`` select format for geometries."""
    return ExpressionWrapper(F(column), output_field=Field())


def asset_rows(assets: QuerySet) -> QuerySet:
    """The columns the tile SQL reads, for the assets of ``assets`` (a queryset of Asset); annotations of
    ``assets`` not among them (``open_problems``) are left out of the SQL by ``values()``."""
    return assets.annotate(
        geometry_3857=_raw("geometry_webmercator"), location_3857=_raw("location_webmercator"),
    ).values(*ASSET_COLUMNS)


class CompiledAssets(NamedTuple):
    """The ``assets`` CTE compiled once (SQL, parameters, database alias): the same for every tile of
    one set of filters and one visibility class (see public.tiles.views._compiled_assets)."""

    sql: str
    params: tuple
    db: str


def compile_assets(assets: QuerySet) -> CompiledAssets:
    sql, params = asset_rows(assets).query.sql_with_params()
    return CompiledAssets(sql, tuple(params), assets.db)


def compile_summary(cells: QuerySet) -> CompiledAssets:
    """The ``summary`` CTE of SUMMED_TILE_SQL: the rows of ``cells`` (a queryset of ClusterCell)."""
    sql, params = cells.values(*SUMMARY_COLUMNS).query.sql_with_params()
    return CompiledAssets(sql, tuple(params), cells.db)


def summed_tile_query(z: int, x: int, y: int, summary: CompiledAssets) -> tuple[str, list]:
    """The SQL and parameters of cluster tile z/x/y (z ≤ LAST_SUMMED_ZOOM) from the summary rows ``summary``."""
    z, x, y = int(z), int(x), int(y)
    shift = LAST_SUMMED_ZOOM - z
    envelope = f"ST_TileEnvelope({z}, {x}, {y})"
    col0, row0 = x * CLUSTER_GRID, y * CLUSTER_GRID
    sql = SUMMED_TILE_SQL.format(
        summary=summary.sql, shift=shift, col0=col0, row0=row0,
        first_x=(col0 - 1) << shift, last_x=((col0 + CLUSTER_GRID + 1) << shift) - 1,
        first_y=(row0 - 1) << shift, last_y=((row0 + CLUSTER_GRID + 1) << shift) - 1,
        envelope=envelope, extent=EXTENT, grid=CLUSTER_GRID, cluster_buffer=EXTENT // CLUSTER_GRID,
    )
    return sql, list(summary.params)


def _cells_under(z: int, x: int, y: int) -> dict:
    """The zoom-17 summary cells under tile z/x/y (z ≥ DETAIL_MIN_ZOOM): the one holding it beyond zoom 17."""
    if z <= CELL_ZOOM:
        shift = CELL_ZOOM - z
        return {"first_x": x << shift, "last_x": ((x + 1) << shift) - 1,
                "first_y": y << shift, "last_y": ((y + 1) << shift) - 1}
    shift = z - CELL_ZOOM
    return {"first_x": x >> shift, "last_x": x >> shift, "first_y": y >> shift, "last_y": y >> shift}


def tile_query(z: int, x: int, y: int, assets: QuerySet | CompiledAssets,
               summary: CompiledAssets | None = None) -> tuple[str, list]:
    """The SQL and parameters of tile z/x/y drawing ``assets``; run them with any DB-API cursor. At detail
    zooms, ``summary`` (the same assets' cluster summary, when it can answer the filters) decides whether
    the tile is crowded; without it, an exact count does (DECIDE_MODE)."""
    z, x, y = int(z), int(x), int(y)  # formatted into the SQL as literals, so that they fold into constants
    if not isinstance(assets, CompiledAssets):
        assets = compile_assets(assets)
    assets_sql, assets_params = assets.sql, assets.params
    envelope = f"ST_TileEnvelope({z}, {x}, {y})"
    search_area = f"ST_TileEnvelope({z}, {x}, {y}, margin => {BUFFER / EXTENT})"
    detail_zoom = z >= DETAIL_MIN_ZOOM
    grid = CROWDED_GRID if detail_zoom else CLUSTER_GRID
    decide_mode, summary_cte, mode, params = "", "", ALWAYS_CLUSTERS, list(assets_params)
    if detail_zoom and summary is not None:
        summary_cte = SUMMARY_CTE.format(summary=summary.sql)
        mode = CROWDED_BY_SUMMARY.format(max_features=DETAIL_MAX_FEATURES, **_cells_under(z, x, y))
        params = list(summary.params) + params
    elif detail_zoom:
        decide_mode = DECIDE_MODE.format(assets=assets_sql, search_area=search_area,
                                         max_features=DETAIL_MAX_FEATURES)
        mode = CLUSTERS_WHEN_CROWDED
        params = params * 2
    sql = TILE_SQL.format(
        decide_mode=decide_mode, summary_cte=summary_cte, assets=assets_sql, mode=mode,
        envelope=envelope, search_area=search_area, extent=EXTENT, buffer=BUFFER, grid=grid,
        cluster_buffer=EXTENT // grid,
        speck=SPECK.format(small=f"((ST_XMax({envelope}) - ST_XMin({envelope})) * {SMALL_POLYGON_PX} / 256)"),
        cell=f"((ST_XMax({envelope}) - ST_XMin({envelope})) / {grid})",
    )
    return sql, params


def tile_statement(z: int, x: int, y: int, assets: QuerySet | CompiledAssets,
                   summary: CompiledAssets | None = None) -> tuple[str, list]:
    """The SQL and parameters :func:`render_tile` runs: from the summary for a cluster tile it can answer."""
    if summary is not None and int(z) <= LAST_SUMMED_ZOOM:
        return summed_tile_query(z, x, y, summary)
    return tile_query(z, x, y, assets, summary)


def render_tile(z: int, x: int, y: int, assets: QuerySet | CompiledAssets,
                summary: CompiledAssets | None = None) -> bytes:
    """Tile z/x/y as Mapbox Vector Tile bytes (empty when nothing is in it).

    ``summary``: the same assets' rows of the cluster summary (:func:`compile_summary`), when the
    filters can be answered from it: cluster tiles up to LAST_SUMMED_ZOOM are then read from it.

    Runs on the database ``assets`` reads from: a read replica for the public map when one is
    configured (config.db_router), else the primary.
    """
    sql, params = tile_statement(z, x, y, assets, summary)
    with connections[assets.db].cursor() as cursor:
        cursor.execute(sql, params)
        return bytes(last_result(cursor).fetchone()[0])


def tile_exists(z: int, x: int, y: int) -> bool:
    """Whether z/x/y names a tile of the served pyramid."""
    return MIN_ZOOM <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z
