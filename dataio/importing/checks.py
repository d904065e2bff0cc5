"""The import's row checks that PostgreSQL does best, set-based over a staging table (issue 20).

:func:`check_rows` loads one line per row of the file into a temporary table (COPY, one round
trip), then runs two statements over the whole of it instead of a Python loop over the rows:

* **duplicate external ids within the file** (:data:`DUPLICATES_SQL`): a window over the rows
  with the same id gives every row after the first, and the first one's row number;
* **geometry** (:data:`GEOMETRY_SQL`): the checks of :func:`registry.geometry.validate_geometry`
  in its order (SRID, empty, coordinates in range, the kind's geometry types, validity with GEOS's
  reason), the first that fails per row, worded by :func:`registry.geometry.geometry_error` so
  the report says exactly what a save would say.

Street, community and grid by containment are :func:`registry.bulk.locate_in_bulk`'s (its own
temporary table, the ``covering()`` rule); the existing assets with the file's external ids are
one query per 5,000 ids (:meth:`dataio.importing.plan.Planner._existing`); a cell's field
constraints are checked as the cell is read (``dataio.schema.cell_to_value``), which is parsing.

PostGIS refuses to even read some geometries GEOS can hold (a ring of fewer than four points):
the geometry check reads each row's EWKB inside its own exception block
(``pg_temp.import_geometry_problem``), and a row PostGIS cannot read is handed back to be checked
by :func:`validate_geometry` itself, so its message is the same too.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from registry.bulk import copy_in
from registry.geometry import geometry_error, validate_geometry
from registry.spatial_refs import STORAGE_SRID

STAGING = "import_staging"

CREATE_STAGING_SQL = f"""
-- One line per row of the file; ord is the row's place in the file, row_number and layer what the
-- report names; external_id only for rows whose cells were read; wkb the row's geometry (EWKB) or NULL.
CREATE TEMPORARY TABLE {STAGING} (
    ord int PRIMARY KEY, row_number int NOT NULL, layer text NOT NULL, external_id text, wkb bytea
) ON COMMIT DROP
"""

CREATE_CHECK_FUNCTION_SQL = """
-- validate_geometry's checks for one geometry, in its order: {problem, srid, actual type, GEOS reason},
-- NULL when the geometry passes; {unreadable} when PostGIS cannot read it (or a check fails on it).
CREATE OR REPLACE FUNCTION pg_temp.import_geometry_problem(wkb bytea, allowed text[]) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    g geometry;
    kind text;
BEGIN
    g := ST_GeomFromEWKB(wkb);
    IF ST_SRID(g) NOT IN (0, %(srid)s) THEN
        RETURN ARRAY['geometry_wrong_srid', ST_SRID(g)::text, NULL, NULL];
    END IF;
    IF ST_IsEmpty(g) THEN
        RETURN ARRAY['geometry_empty', NULL, NULL, NULL];
    END IF;
    -- NaN compares greater than every number in PostgreSQL, so NaN and ±infinity all fail here.
    IF NOT (ST_XMin(g) >= -180 AND ST_XMax(g) <= 180 AND ST_YMin(g) >= -90 AND ST_YMax(g) <= 90) THEN
        RETURN ARRAY['geometry_out_of_range', NULL, NULL, NULL];
    END IF;
    kind := substr(ST_GeometryType(g), 4);  -- 'ST_Polygon' → 'Polygon', GEOS's geom_type
    IF NOT kind = ANY(allowed) THEN
        RETURN ARRAY['geometry_wrong_type', NULL, kind, NULL];
    END IF;
    IF NOT ST_IsValid(g) THEN
        RETURN ARRAY['geometry_invalid', NULL, kind, ST_IsValidReason(g)];
    END IF;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN ARRAY['unreadable', NULL, NULL, NULL];
END
$$
"""

DUPLICATES_SQL = f"""
-- Every row whose external id an earlier row of the file already has, with that first row's number.
SELECT ord, first_row FROM (
    SELECT ord, first_value(row_number) OVER same_id AS first_row, row_number() OVER same_id AS nth
    FROM {STAGING}
    WHERE external_id IS NOT NULL AND external_id <> ''
    WINDOW same_id AS (PARTITION BY external_id ORDER BY ord)
) AS numbered
WHERE nth > 1
"""

GEOMETRY_SQL = f"""
-- The first geometry check each row fails (see pg_temp.import_geometry_problem), rows that pass left out.
SELECT ord, problem FROM (
    SELECT ord, pg_temp.import_geometry_problem(wkb, %(allowed)s) AS problem FROM {STAGING} WHERE wkb IS NOT NULL
) AS checked
WHERE problem IS NOT NULL
"""


@dataclass
class Findings:
    #: ord → the row number where the same external id first appears.
    duplicate_of: dict = field(default_factory=dict)
    #: ord → the ValidationError validate_geometry would raise for the row's geometry.
    geometry_errors: dict = field(default_factory=dict)


@dataclass
class StagedRow:
    ord: int
    row_number: int
    layer: str
    external_id: str | None
    geometry: object  # GEOSGeometry or None


#: COPY text format: backslash, tab, newline and carriage return are escaped; NULL is \N.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    return "\\N" if value is None else str(value).translate(_ESCAPES)


def _wkb(geometry) -> str:
    return "\\N" if geometry is None else "\\\\x" + geometry.hexewkb.decode()


def check_rows(rows: list[StagedRow], allowed_types) -> Findings:
    """Stage ``rows`` and run the checks above; ``allowed_types`` are the kind's GEOS geometry types."""
    findings = Findings()
    if not rows:
        return findings
    buffer = io.StringIO()
    buffer.writelines(f"{r.ord}\t{r.row_number}\t{_text(r.layer)}\t{_text(r.external_id)}\t{_wkb(r.geometry)}\n"
                      for r in rows)
    buffer.seek(0)
    by_ord = {r.ord: r for r in rows}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CREATE_STAGING_SQL)
        copy_in(cursor, f"COPY {STAGING} (ord, row_number, layer, external_id, wkb) FROM STDIN", buffer)
        cursor.execute(DUPLICATES_SQL)
        findings.duplicate_of = dict(cursor.fetchall())
        cursor.execute(CREATE_CHECK_FUNCTION_SQL % {"srid": STORAGE_SRID})
        cursor.execute(GEOMETRY_SQL, {"allowed": list(allowed_types)})
        for ord_, (problem, srid, actual, reason) in cursor.fetchall():
            findings.geometry_errors[ord_] = _error(problem, srid, actual, reason, by_ord[ord_].geometry, allowed_types)
        cursor.execute(f"DROP TABLE {STAGING}")  # now, not at commit: an outer transaction may check again
    return findings


def _error(problem, srid, actual, reason, geometry, allowed_types) -> ValidationError:
    if problem == "unreadable":  # PostGIS could not read it: GEOS says why, as a save would
        try:
            validate_geometry(geometry, allowed_types)
        except ValidationError as error:
            return error
        return geometry_error("geometry_invalid", reason="unreadable")
    return geometry_error(problem, srid=int(srid) if srid else None, allowed_types=allowed_types,
                          actual=actual or "", reason=reason or "")
