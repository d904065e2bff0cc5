"""Insert many assets at once, under the rules ``Asset.save()`` applies to one.

Why not ``save()`` per row: each save runs three geography queries and one INSERT per table.
Fine for an editor, far too slow for 100,000 synthetic assets. (An import of a file does not come
here: it checks and writes its rows from a staging table, set-based in SQL, dataio/importing/write.py;
it shares :func:`locate_query` and :func:`copy_in`.)

Why not plain ``bulk_create``: every kind (GreenPlot, Mural, …) is a multi-table child of
Asset, one row in ``registry_asset`` and one in the kind's table keyed by ``asset_ptr_id``.
Django's ``bulk_create`` refuses multi-table children, because each child row needs its parent's
new id first. So :func:`bulk_create_assets` does what ``save()`` does, set-based:

1. kind, validated geometry, representative point and area, per row in Python with
   ``Asset.derive_shape()``, the same code ``save()`` runs;
2. street, community and grid for the whole batch at once (:func:`locate_in_bulk`), by the rule of
   :func:`registry.geography.covering` (boundary covers the point, lowest code wins), the one
   ``assign_geography`` and ``reassign_assets`` use. Street is NOT NULL, so it must be known
   before the insert: computing it first avoids inserting placeholders and rewriting every row
   with a second UPDATE. A point outside every street is refused, as ``save()`` refuses it;
3. the parent rows with COPY, ids drawn from the table's sequence first;
4. the child rows, ``asset_ptr_id`` plus the kind's own columns, with :func:`execute_values`:
   one multi-row INSERT per page.

:func:`copy_in` and :func:`execute_values` speak to either driver Django may run on (psycopg 3,
which the job queue brings in, or psycopg2), so the bulk paths do not depend on which one it is.

All in one transaction: a failure leaves nothing half-written.
"""

import datetime
import io
from collections import defaultdict

from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from registry.assets import Asset
from registry.geography import LEVELS
from registry.spatial_refs import STORAGE_SRID

BATCH_SIZE = 2000
#: Asset's own columns, as bulk_create fills them (the id comes back; generated columns are the database's).
PARENT_FIELDS = [f for f in Asset._meta.concrete_fields if not f.primary_key and not f.generated]


def bulk_create_assets(assets: list[Asset], batch_size: int = BATCH_SIZE) -> list[Asset]:
    """Insert unsaved kind instances (GreenPlot(…), Mural(…), …); return them with their ids set.

    Raises ValidationError, and inserts nothing, when a geometry is invalid or lies outside the district.
    """
    for asset in assets:
        _place_without_geography(asset)
    _assign_geography_in_bulk(assets)
    with transaction.atomic():
        _insert_parent_rows(assets, batch_size)
        by_model = defaultdict(list)
        for asset in assets:
            asset._state.adding, asset._state.db = False, connection.alias
            by_model[type(asset)].append(asset)
        for model, rows in by_model.items():
            _insert_child_rows(model, rows, batch_size)
    return assets


def _insert_parent_rows(assets: list[Asset], page_size: int = BATCH_SIZE) -> None:
    """COPY the registry_asset rows in, with ids drawn from the table's sequence first; set each asset's id.

    The values are the fields' own (``pre_save`` fills created_at/updated_at), written in COPY's
    text format: geometries as hex EWKB, which PostGIS reads directly. COPY is what ogr2ogr uses
    too; through ``bulk_create`` (or multi-row INSERTs) 100,000 rows took three times as long,
    most of it building and parsing SQL text rather than inserting.
    """
    table = Asset._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in ["id", *(f.column for f in PARENT_FIELDS)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(assets)])
        for asset, (pk,) in zip(assets, cursor.fetchall(), strict=True):
            asset.pk = asset.id = pk
        for start in range(0, len(assets), page_size * 10):
            buffer = io.StringIO()
            for asset in assets[start:start + page_size * 10]:
                buffer.write("\t".join([str(asset.pk), *(_copy_text(f, asset) for f in PARENT_FIELDS)]) + "\n")
            buffer.seek(0)
            copy_in(cursor, f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN", buffer)


#: COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(field, asset) -> str:
    value = field.pre_save(asset, add=True)
    if value is None:
        return "\\N"
    if isinstance(field, GeometryField):
        return value.hexewkb.decode()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)  # text, numbers, foreign keys' ids


def _place_without_geography(asset: Asset) -> None:
    """``Asset.place()`` minus the geography, which :func:`_assign_geography_in_bulk` does for all rows."""
    if not type(asset).KIND:
        raise ValidationError("bulk_create_assets needs instances of a kind (GreenPlot, Mural, …).")
    asset.derive_shape()


def _assign_geography_in_bulk(assets: list[Asset]) -> None:
    """Set street, community and grid of every asset from its location, in one query."""
    located = locate_in_bulk([asset.location for asset in assets])
    stranded = sum(1 for area_ids in located if area_ids[0] is None)
    if stranded:
        raise ValidationError("%(count)d of these assets lie outside every street.",
                              code="outside_district", params={"count": stranded})
    for asset, area_ids in zip(assets, located):
        _set_areas(asset, area_ids)


def _set_areas(asset: Asset, area_ids: tuple) -> None:
    """Give ``asset`` the (street, community, grid) ids one row of :func:`locate_in_bulk` found."""
    for (field, _model), area_id in zip(LEVELS, area_ids):
        setattr(asset, f"{field}_id", area_id)


def locate_in_bulk(points) -> list[tuple]:
    """(street id, community id, grid id) covering each point, None where no area covers it.

    The rule is :func:`registry.geography.covering`'s: the area whose boundary covers the point, the
    lowest code where boundaries overlap (``tests/registry/test_bulk.py`` holds the two to the same
    answers). It runs the other way round, for speed: the points go into a temporary table with a
    GiST index, and each area looks up the points it covers. That is a few hundred index scans
    instead of three per point (a quarter of the time for 100,000 points), and PostGIS tests many
    points against the same boundary in a row, which it does faster than one point against many.
    """
    if not points:
        return []
    rows = io.StringIO()
    rows.writelines(f"{ord_}\t{x!r}\t{y!r}\n" for ord_, (x, y) in enumerate(point.coords for point in points))
    rows.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""CREATE TEMPORARY TABLE bulk_points (
            ord int PRIMARY KEY, x float8, y float8,
            location geometry(Point, {STORAGE_SRID}) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), {STORAGE_SRID})) STORED
        ) ON COMMIT DROP""")
        copy_in(cursor, "COPY bulk_points (ord, x, y) FROM STDIN", rows)
        cursor.execute("CREATE INDEX ON bulk_points USING gist (location)")
        cursor.execute("ANALYZE bulk_points")
        cursor.execute(locate_query("bulk_points"))
        located = [tuple(area_ids) for _ord, *area_ids in cursor.fetchall()]
        cursor.execute("DROP TABLE bulk_points")  # now, not at commit: an outer transaction may locate again
    return located


def locate_query(points_table: str) -> str:
    """SQL giving (ord, street id, community id, grid id) for each row of ``points_table``, a table of
    (ord, location) with a GiST index on location; see :func:`locate_in_bulk`."""
    levels = ",\n".join(
        f"""{level} AS (
            SELECT DISTINCT ON (p.ord) p.ord, area.id
            FROM {area_model._meta.db_table} AS area JOIN {points_table} AS p ON ST_Covers(area.boundary, p.location)
            ORDER BY p.ord, area.code
        )""" for level, area_model in LEVELS)
    joins = " ".join(f"LEFT JOIN {level} USING (ord)" for level, _model in LEVELS)
    ids = ", ".join(f"{level}.id AS {level}_id" for level, _model in LEVELS)
    return f"WITH {levels}\nSELECT ord, {ids} FROM {points_table} {joins} ORDER BY ord"


def _insert_child_rows(model, assets: list[Asset], page_size: int = BATCH_SIZE) -> None:
    """INSERT the kind's own row (asset_ptr_id and its local columns) for each saved parent."""
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rows = [tuple(f.get_db_prep_save(f.pre_save(asset, add=True), connection) for f in fields) for asset in assets]
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES %s"
    with connection.cursor() as cursor:
        execute_values(cursor, sql, rows, page_size=page_size)


def copy_in(cursor, sql: str, text) -> None:
    """``COPY … FROM STDIN`` of ``text`` (a file-like object in COPY's text format) through Django's
    ``cursor``, on psycopg 3 (``cursor.copy``) or psycopg2 (``copy_expert``)."""
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):
        raw.copy_expert(sql, text)
        return
    with raw.copy(sql) as copy:
        while chunk := text.read(1 << 20):
            copy.write(chunk)


def execute_values(cursor, sql: str, rows: list[tuple], page_size: int = BATCH_SIZE) -> None:
    """Run ``sql``, whose one ``%s`` stands for a VALUES list, once per page of ``rows``: one
    multi-row statement per page (what psycopg2's ``execute_values`` does, on either driver)."""
    for start in range(0, len(rows), page_size):
        page = rows[start:start + page_size]
        row = "(" + ", ".join(["%s"] * len(page[0])) + ")"
        cursor.execute(sql.replace("%s", ", ".join([row] * len(page)), 1),
                       [value for values in page for value in values])


def last_result(cursor):
    """Put Django's ``cursor`` on the result of the last statement of a multi-statement ``execute``
    (``SET LOCAL …; SELECT …``): psycopg2 is there already, psycopg 3 starts at the first one."""
    raw = cursor.cursor
    if hasattr(raw, "nextset") and hasattr(raw, "copy"):  # psycopg 3
        while raw.nextset():
            pass
    return cursor
