"""The import's row checks that PostgreSQL does best, set-based over the staging table (issue 20).

The rows of the file are in the import's staging table (:mod:`dataio.importing.staging`, one COPY);
two statements run over the whole of it instead of a Python loop over the rows:

* **duplicate external ids within the file** (:data:`DUPLICATES_SQL`): a window over the rows
  with the same id gives every row after the first, and the first one's row number;
* **geometry** (:data:`GEOMETRY_SQL`): the checks of :func:`registry.geometry.validate_geometry`
  in its order (SRID, empty, coordinates in range, the kind's geometry types, validity with GEOS's
  reason), the first that fails per row, worded by :func:`registry.geometry.geometry_error` so
  the report says exactly what a save would say.

The field constraints are :mod:`dataio.importing.field_checks`'; street, community and grid by
containment are the staging table's (``Staging.place``, the ``covering()`` rule); the existing
assets with the file's external ids are one query per 5,000 ids
(:meth:`dataio.importing.plan.Planner._existing`).

PostGIS refuses to even read some geometries GEOS can hold (a ring of fewer than four points):
the geometry check reads each row's EWKB inside its own exception block
(``pg_temp.import_geometry_problem``), and a row PostGIS cannot read is handed back to be checked
by :func:`validate_geometry` itself, so its message is the same too.
"""

from django.core.exceptions import ValidationError
from django.db import connection

from dataio.importing.staging import STAGING
from registry.geometry import geometry_error, validate_geometry
from registry.spatial_refs import STORAGE_SRID

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
-- Every row whose external id an earlier row of the file already has, with that first row's number; rows
-- whose cells could not be read (or broke a field's constraint) have no external id to compare.
SELECT ord, first_row FROM (
    SELECT ord, first_value(row_number) OVER same_id AS first_row, row_number() OVER same_id AS nth
    FROM {STAGING}
    WHERE readable AND f_external_id IS NOT NULL AND f_external_id <> ''
    WINDOW same_id AS (PARTITION BY f_external_id ORDER BY ord)
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


def duplicate_rows() -> dict:
    """ord → the row number where the row's external id first appears, for every later row with it
    (the staging table has the file's external ids: the file has that column)."""
    with connection.cursor() as cursor:
        cursor.execute(DUPLICATES_SQL)
        return dict(cursor.fetchall())


def geometry_errors(geometry_of, allowed_types) -> dict:
    """ord → the ValidationError validate_geometry would raise for the row's geometry, for the rows whose
    geometry fails. ``geometry_of(ord)`` gives the row's GEOS geometry, asked for these rows only: one PostGIS
    cannot read is checked by validate_geometry itself; None when GEOS cannot read it at all (a NaN, an
    unclosed ring: the caller notes why, as when such a row was read), and then the row's error is None."""
    errors = {}
    with connection.cursor() as cursor:
        cursor.execute(CREATE_CHECK_FUNCTION_SQL % {"srid": STORAGE_SRID})
        cursor.execute(GEOMETRY_SQL, {"allowed": list(allowed_types)})
        for ord_, (problem, srid, actual, reason) in cursor.fetchall():
            geometry = geometry_of(ord_)
            if geometry is None:
                errors[ord_] = None
            elif problem == "unreadable":
                errors[ord_] = _unreadable_error(geometry, allowed_types)
            else:
                errors[ord_] = geometry_error(problem, srid=int(srid) if srid else None, allowed_types=allowed_types,
                                              actual=actual or "", reason=reason or "")
    return errors


def _unreadable_error(geometry, allowed_types) -> ValidationError:
    """PostGIS could not read the geometry: GEOS says why, as a save would."""
    try:
        validate_geometry(geometry, allowed_types)
    except ValidationError as error:
        return error
    return geometry_error("geometry_invalid", reason="unreadable")
