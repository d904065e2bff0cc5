"""The assets summed per zoom-17 cell for the low-zoom cluster tiles (``registry.cluster_cells``).

``registry_cluster_cell_x/y(p)``: the zoom-17 cell of a point (EPSG:3857; the constants are the Web
Mercator half-width and the width of a zoom-17 tile). ``registry_cluster_cells_changed()``: statement-level,
with transition tables, on ``registry_asset``; it recomputes, from the table as the statement left it, every
cell under the old or the new representative point of the rows it wrote (for an UPDATE, of the rows whose
point or filter columns changed), in one DELETE + aggregate INSERT. Its triggers are named to fire after
the map-version ones (``asset_map_*``, which already make writers of assets wait for each other); it
takes its own transaction lock as well, so that two writers never recompute the same cell from
different snapshots. A TRUNCATE empties it. The migration fills it from the assets there are.
"""

import django.db.models.deletion
from django.db import migrations, models

CELL_COLUMNS = "kind, status, is_public, street_id, community_id, grid_id"

FUNCTIONS_SQL = f"""
CREATE FUNCTION registry_cluster_cell_x(p geometry) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT floor((ST_X(p) + 20037508.342789244) / 305.748113140705)::int
$$;
CREATE FUNCTION registry_cluster_cell_y(p geometry) RETURNS int
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT floor((20037508.342789244 - ST_Y(p)) / 305.748113140705)::int
$$;

CREATE FUNCTION registry_cluster_cells_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written text;  -- the representative points of the rows written (both versions of a changed row)
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('registry_clustercell'));
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM registry_clustercell;
        RETURN NULL;
    END IF;
    written := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT n.location_webmercator AS p FROM new_rows AS n'
        WHEN 'DELETE' THEN 'SELECT o.location_webmercator AS p FROM old_rows AS o'
        ELSE 'SELECT g.p FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id, '
             'LATERAL (VALUES (o.location_webmercator), (n.location_webmercator)) AS g (p) '
             'WHERE (o.{CELL_COLUMNS.replace(", ", ", o.")}, ST_AsBinary(o.location_webmercator)) '
             'IS DISTINCT FROM (n.{CELL_COLUMNS.replace(", ", ", n.")}, ST_AsBinary(n.location_webmercator))'
    END;
    EXECUTE format($sql$
        WITH touched AS MATERIALIZED (
            SELECT DISTINCT registry_cluster_cell_x(w.p) AS cell_x, registry_cluster_cell_y(w.p) AS cell_y
            FROM (%s) AS w WHERE w.p IS NOT NULL
        ),
        cleared AS (
            DELETE FROM registry_clustercell AS c USING touched AS t
            WHERE c.cell_x = t.cell_x AND c.cell_y = t.cell_y
        )
        INSERT INTO registry_clustercell (cell_x, cell_y, {CELL_COLUMNS}, count, sum_x, sum_y, min_id)
        SELECT t.cell_x, t.cell_y, {", ".join("a." + c for c in CELL_COLUMNS.split(", "))},
               count(*), sum(ST_X(a.location_webmercator)), sum(ST_Y(a.location_webmercator)), min(a.id)
        FROM touched AS t
        JOIN registry_asset AS a
          ON a.location_webmercator && ST_TileEnvelope(17, t.cell_x, t.cell_y)
         AND registry_cluster_cell_x(a.location_webmercator) = t.cell_x
         AND registry_cluster_cell_y(a.location_webmercator) = t.cell_y
        GROUP BY t.cell_x, t.cell_y, {", ".join("a." + c for c in CELL_COLUMNS.split(", "))}
    $sql$, written);
    RETURN NULL;
END;
$$;

INSERT INTO registry_clustercell (cell_x, cell_y, {CELL_COLUMNS}, count, sum_x, sum_y, min_id)
SELECT registry_cluster_cell_x(location_webmercator), registry_cluster_cell_y(location_webmercator), {CELL_COLUMNS},
       count(*), sum(ST_X(location_webmercator)), sum(ST_Y(location_webmercator)), min(id)
FROM registry_asset WHERE location_webmercator IS NOT NULL
GROUP BY 1, 2, {CELL_COLUMNS};
"""

TRIGGERS_SQL = """
CREATE TRIGGER asset_summary_inserted AFTER INSERT ON registry_asset REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_cluster_cells_changed();
CREATE TRIGGER asset_summary_updated AFTER UPDATE ON registry_asset
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_cluster_cells_changed();
CREATE TRIGGER asset_summary_deleted AFTER DELETE ON registry_asset REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_cluster_cells_changed();
CREATE TRIGGER asset_summary_truncated AFTER TRUNCATE ON registry_asset
    FOR EACH STATEMENT EXECUTE FUNCTION registry_cluster_cells_changed();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS asset_summary_inserted ON registry_asset;
DROP TRIGGER IF EXISTS asset_summary_updated ON registry_asset;
DROP TRIGGER IF EXISTS asset_summary_deleted ON registry_asset;
DROP TRIGGER IF EXISTS asset_summary_truncated ON registry_asset;
DROP FUNCTION IF EXISTS registry_cluster_cells_changed();
DROP FUNCTION IF EXISTS registry_cluster_cell_x(geometry);
DROP FUNCTION IF EXISTS registry_cluster_cell_y(geometry);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0018_map_blocks'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClusterCell',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cell_x', models.IntegerField()),
                ('cell_y', models.IntegerField()),
                ('kind', models.CharField(max_length=20)),
                ('status', models.CharField(max_length=20)),
                ('is_public', models.BooleanField()),
                ('count', models.IntegerField()),
                ('sum_x', models.FloatField()),
                ('sum_y', models.FloatField()),
                ('min_id', models.BigIntegerField()),
                ('community', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.community')),
                ('grid', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.grid')),
                ('street', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.street')),
            ],
            options={
                'verbose_name': 'cluster cell',
                'indexes': [models.Index(fields=['cell_x', 'cell_y'], name='clustercell_cell')],
            },
        ),
        migrations.RunSQL(FUNCTIONS_SQL + TRIGGERS_SQL, REVERSE_SQL),
    ]
