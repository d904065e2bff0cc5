"""The import's staging table: one line per row of the file, the checks run over it, the write comes from it.

:class:`Staging` creates a temporary table for one import (``import_rows``, on the import's own
connection, kept across transactions until :meth:`Staging.drop`), COPYs every row in (one round
trip), and then holds what the set-based checks and the write need:

* what the report names: ``ord`` (the row's place in the file), ``row_number`` and ``layer``;
* the row's geometry as GDAL read it (``wkb``, WKB in WGS-84), checked by :mod:`dataio.importing.checks`;
* one column per field the file sets (``f_<column>``), holding the cell as Python parsed it
  (:func:`dataio.schema.parse_cell`). Fields whose constraints SQL checks
  (:mod:`dataio.importing.field_checks`: required, lengths, choices, numeric ranges) are staged
  unconstrained (text, numeric), so a value that breaks them still arrives, to be reported;
* ``readable``: every cell of the row was read and passed its field's checks;
* ``asset_id``: the existing asset of the kind with the row's external id (the row updates it);
* what the registry derives, filled in SQL once the geometry passed (:data:`SHAPE_SQL`,
  :data:`LOCATE_SQL`): the stored geometry, the representative point, the area, and the
  street / community / grid covering the point (``registry.bulk.locate_query``, the
  ``covering()`` rule).

The write (:mod:`dataio.importing.write`) is then ``INSERT … SELECT`` and ``UPDATE … FROM`` from
this table, the way the benchmark's floor loads the same rows.
"""

import datetime
import io

from django.db import connection

from dataio.schema import sql_checked
from registry.bulk import copy_in, locate_query
from registry.geometry import POLYGONAL
from registry.spatial_refs import AREA_SRID, STORAGE_SRID

STAGING = "import_rows"

CREATE_SQL = f"""
-- One line per row of the file (see the module's docstring), with one f_<column> per field the file sets.
CREATE TEMPORARY TABLE {STAGING} (
    ord int PRIMARY KEY, row_number int NOT NULL, layer text NOT NULL, wkb bytea,
    readable boolean NOT NULL, asset_id bigint{{fields}},
    geometry geometry, location geometry(Point, {STORAGE_SRID}), area_m2 float8,
    street_id bigint, community_id bigint, grid_id bigint
)
"""

DROP_SQL = f"DROP TABLE IF EXISTS {STAGING}"

#: Rows marked unreadable after the SQL field checks: the duplicate check leaves them out, as it always left
#: out rows whose cells could not be read.
UNREADABLE_SQL = f"UPDATE {STAGING} SET readable = false WHERE ord = ANY(%(ords)s)"

POLYGONAL_TYPES = ", ".join(f"'ST_{name}'" for name in POLYGONAL)

SHAPE_SQL = f"""
-- What Asset.derive_shape() derives, for every row whose geometry passed the checks: the geometry (no SRID
-- means WGS-84), a point on it (the point itself, else GEOS's point on surface, as registry.geometry's
-- representative_point), and the planar area in EPSG:{AREA_SRID} rounded to 0.01 m² for polygons (else NULL).
UPDATE {STAGING} SET geometry = g, location = CASE WHEN ST_GeometryType(g) = 'ST_Point' THEN g
                                                    ELSE ST_PointOnSurface(g) END,
       area_m2 = CASE WHEN ST_GeometryType(g) IN ({POLYGONAL_TYPES})
                      THEN round(ST_Area(ST_Transform(g, {AREA_SRID}))::numeric, 2) END
FROM (SELECT ord AS shaped, ST_SetSRID(ST_GeomFromEWKB(wkb), {STORAGE_SRID}) AS g FROM {STAGING}
      WHERE wkb IS NOT NULL AND NOT ord = ANY(%(refused)s)) AS shapes
WHERE ord = shaped
"""

#: The look-up below runs each area against the points it covers: a spatial index on them, and fresh statistics
#: (the planner's estimate of a just-filled temporary table is otherwise a guess).
INDEX_SQL = f"CREATE INDEX ON {STAGING} USING gist (location)"
ANALYZE_SQL = f"ANALYZE {STAGING}"
#: The rows in, in COPY's text format ({columns}: the staging table's, but the derived ones).
COPY_SQL = f"COPY {STAGING} ({{columns}}) FROM STDIN"

LOCATE_SQL = """
-- Street, community and grid covering each row's point (NULL outside every street, and for rows with no point);
-- the rows back to Python for the report (outside the district, outside the importer's streets).
UPDATE {staging} AS s SET street_id = l.street_id, community_id = l.community_id, grid_id = l.grid_id
FROM ({locate}) AS l
WHERE s.ord = l.ord
RETURNING s.ord, s.street_id, s.community_id, s.grid_id
"""


def staging_type(field) -> str:
    """The staging column's type: unconstrained where SQL checks the constraints, else the field's own."""
    if sql_checked(field):
        if field.get_internal_type() in ("CharField", "TextField"):
            return "text"
        if field.get_internal_type() == "DateField":
            return "date"
        return "numeric"  # the integer fields: a number out of the column's range still arrives
    return field.db_type(connection)


def value_column(field) -> str:
    return connection.ops.quote_name(f"f_{field.column}")


class Staging:
    """The staging table of one import of ``fields`` (model fields the file sets, in the file's order)."""

    def __init__(self, fields: list):
        self.fields = fields

    def create(self) -> None:
        columns = "".join(f",\n    {value_column(f)} {staging_type(f)}" for f in self.fields)
        with connection.cursor() as cursor:
            cursor.execute(DROP_SQL)  # one left by an import this connection could not finish
            cursor.execute(CREATE_SQL.format(fields=columns))

    def drop(self) -> None:
        if connection.needs_rollback:  # the enclosing transaction is being rolled back, and the table with it
            return
        with connection.cursor() as cursor:
            cursor.execute(DROP_SQL)

    def load(self, lines) -> None:
        """COPY ``lines`` in: (ord, row_number, layer, WKB or None, readable, asset_id, values by field)."""
        buffer = io.StringIO()
        buffer.writelines(
            "\t".join([str(ord_), str(row_number), _text(layer), _wkb(wkb), "t" if readable else "f",
                       _text(asset_id), *(_text(values.get(f.name)) for f in self.fields)]) + "\n"
            for ord_, row_number, layer, wkb, readable, asset_id, values in lines)
        buffer.seek(0)
        columns = ", ".join(["ord", "row_number", "layer", "wkb", "readable", "asset_id",
                             *(value_column(f) for f in self.fields)])
        with connection.cursor() as cursor:
            copy_in(cursor, COPY_SQL.format(columns=columns), buffer)
            cursor.execute(ANALYZE_SQL)

    def mark_unreadable(self, ords) -> None:
        if ords:
            with connection.cursor() as cursor:
                cursor.execute(UNREADABLE_SQL, {"ords": sorted(ords)})

    def place(self, refused) -> dict:
        """Shape and locate every row whose geometry passed (``refused``: the ords whose geometry did not);
        return ord → (street id, community id, grid id), None where no street covers the point."""
        with connection.cursor() as cursor:
            cursor.execute(SHAPE_SQL, {"refused": sorted(refused)})
            cursor.execute(INDEX_SQL)
            cursor.execute(ANALYZE_SQL)
            cursor.execute(LOCATE_SQL.format(staging=STAGING, locate=locate_query(STAGING)))
            return {ord_: tuple(area_ids) for ord_, *area_ids in cursor.fetchall()}


#: COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format: None, booleans, dates, lists (as array literals), the rest as text."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value)
        value = "{" + ",".join(items) + "}"
    return str(value).translate(_ESCAPES)


def _wkb(wkb: bytes | None) -> str:
    return "\\N" if wkb is None else "\\\\x" + wkb.hex()
