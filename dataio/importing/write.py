"""The import's write: from the checked staging table into the asset tables, set-based (issue 20).

Once every row passed (:mod:`dataio.importing.plan`), the staging table (:mod:`dataio.importing.staging`)
holds each row's values, geometry, point, area and street / community / grid, and the id of the
asset it updates, if any. The write is then the database's alone, as in the benchmark's floor:

* :data:`INSERT_SQL`: the new rows into ``registry_asset`` and the kind's table in ONE statement,
  their ids drawn from the asset table's sequence in a materialised CTE that both inserts read;
* :data:`UPDATE_SQL`: the matched rows' file columns and placement, one ``UPDATE … FROM`` per table.

Each statement fires the tables' statement-level triggers once (pghistory's events, with the
operation's context; the map's and tiles' version stamps), as any write does; the foreign keys are
deferred to the commit. No Python object per row: a 100,000-row import's write used to build and
send each row (COPY of the parents, pages of child INSERTs, pages of UPDATEs).
"""

from django.db import connection
from django.utils import timezone

from dataio.importing.staging import STAGING, value_column
from registry.assets import Asset
from registry.bulk import PARENT_FIELDS

#: Columns the registry derives (the staging table has them under the same names) and who/when.
PLACED_COLUMNS = ("geometry", "location", "area_m2", "street_id", "community_id", "grid_id")

INSERT_SQL = """
-- The new assets (rows matching no existing asset): an id each from the asset table's sequence, then the parent
-- rows and the kind's rows from the same staging lines. MATERIALIZED: both inserts read the same ids.
WITH new_rows AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('{parent}', 'id')) AS id, ord FROM {staging} WHERE asset_id IS NULL
), parents AS (
    INSERT INTO {parent} (id, {parent_columns})
    SELECT n.id, {parent_values} FROM new_rows AS n JOIN {staging} AS s USING (ord)
)
INSERT INTO {child} ({child_columns})
SELECT {child_values} FROM new_rows AS n JOIN {staging} AS s USING (ord)
"""

UPDATE_SQL = """
-- The existing assets the file's rows match by external id: the columns the file has (and, in the asset table,
-- the placement, who changed it and when), from each row's staging line.
UPDATE {table} AS t SET {assignments} FROM {staging} AS s WHERE t.{key} = s.asset_id
"""


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Writer:
    """Writes the staged rows of ``model`` (``fields``: the model fields the file sets) as ``actor``."""

    def __init__(self, model, fields: list, actor):
        self.model, self.actor = model, actor
        self.staged = {f.name for f in fields}
        self.params = {"kind": model.KIND, "actor": getattr(actor, "pk", None), "now": timezone.now()}

    def _value(self, field) -> str:
        """The SQL giving ``field``'s value for a new row: staged, derived, who/when, or the field's default."""
        if field.name in self.staged:
            return f"s.{value_column(field)}"
        if field.column in PLACED_COLUMNS:
            return f"s.{_quote(field.column)}"
        if field.name == "kind":
            return "%(kind)s"
        if field.name in ("created_at", "updated_at"):
            return "%(now)s"
        if field.name in ("created_by", "updated_by"):
            return "%(actor)s"
        self.params[f"default_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
        return f"%(default_{field.column})s"

    def insert_new(self) -> int:
        """INSERT_SQL; the number of assets it created."""
        child = [f for f in self.model._meta.local_concrete_fields if not f.generated and not f.primary_key]
        sql = INSERT_SQL.format(
            parent=Asset._meta.db_table, staging=STAGING, child=self.model._meta.db_table,
            parent_columns=", ".join(_quote(f.column) for f in PARENT_FIELDS),
            parent_values=", ".join(self._value(f) for f in PARENT_FIELDS),
            child_columns=", ".join(_quote(f.column) for f in [self.model._meta.pk, *child]),
            child_values=", ".join(["n.id", *(self._value(f) for f in child)]))
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params)
            return cursor.rowcount

    def update_matched(self) -> int:
        """UPDATE_SQL for the asset table and, if the file sets any of its columns, the kind's; the number of
        assets updated."""
        parent = [f for f in PARENT_FIELDS if f.name in self.staged and f.name != "external_id"]
        assignments = [f"{_quote(f.column)} = s.{value_column(f)}" for f in parent]
        assignments += [f"{column} = s.{column}" for column in PLACED_COLUMNS]
        assignments += ["updated_by_id = %(actor)s", "updated_at = %(now)s"]
        child = [f for f in self.model._meta.local_concrete_fields if f.name in self.staged]
        with connection.cursor() as cursor:
            cursor.execute(UPDATE_SQL.format(table=Asset._meta.db_table, assignments=", ".join(assignments),
                                             staging=STAGING, key="id"), self.params)
            updated = cursor.rowcount
            if child:
                cursor.execute(UPDATE_SQL.format(
                    table=self.model._meta.db_table, staging=STAGING, key=_quote(self.model._meta.pk.column),
                    assignments=", ".join(f"{_quote(f.column)} = s.{value_column(f)}" for f in child)), self.params)
        return updated
