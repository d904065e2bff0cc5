"""A version per block of the map (``registry.map_version``): a write makes stale only the tiles over it.

``registry_map_blocks(g)`` gives the zoom-16 blocks under a geometry's bounding box (EPSG:3857; the
constants are the Web Mercator half-width and the width of a zoom-16 tile). ``registry_map_changed()``
is the one trigger function of every table the map draws: statement-level, with transition tables, so
imports, bulk updates, raw SQL and boundary reassignments are counted once per statement. It bumps the
counter (``registry_mapversion``, as before) and stamps the blocks under the old and the new geometry
and representative point of each row written with the new counter. Its arguments:

1. ``asset``: the rows are assets (their own Web Mercator columns), or ``asset_id``: the rows point at an
   asset (adoptions, problem reports: the blocks are their asset's);
2. an SQL condition on ``o`` (old row) and ``n`` (new row) saying an UPDATE changed something the map
   draws (an update that changed nothing of it stamps no block).

A TRUNCATE stamps the block (-1, -1), "everywhere". The adoption and problem-report tables' triggers are
in their apps' migrations (adopters 0004, problems 0006).
"""

from django.db import migrations, models

from registry.map_triggers import ANY_COLUMN, drop_triggers_sql, triggers_sql

FUNCTIONS_SQL = """
CREATE FUNCTION registry_map_blocks(g geometry) RETURNS TABLE (x int, y int)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT bx, by
    FROM generate_series(greatest(0, floor((ST_XMin(g) + 20037508.342789244) / 611.49622628141)::int),
                         least(65535, floor((ST_XMax(g) + 20037508.342789244) / 611.49622628141)::int)) AS bx,
         generate_series(greatest(0, floor((20037508.342789244 - ST_YMax(g)) / 611.49622628141)::int),
                         least(65535, floor((20037508.342789244 - ST_YMin(g)) / 611.49622628141)::int)) AS by
$$;

CREATE FUNCTION registry_map_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counter bigint;
    written text;     -- the rows written: new (INSERT), old (DELETE), both versions of a changed row (UPDATE)
    geometries text;  -- their geometries and representative points (EPSG:3857)
BEGIN
    INSERT INTO registry_mapversion (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = registry_mapversion.version + 1
        RETURNING version INTO counter;
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO registry_mapblock (x, y, version) VALUES (-1, -1, counter)
            ON CONFLICT (x, y) DO UPDATE SET version = excluded.version;
        RETURN NULL;
    END IF;
    written := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT n.* FROM new_rows AS n'
        WHEN 'DELETE' THEN 'SELECT o.* FROM old_rows AS o'
        ELSE format('SELECT o.* FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE %1$s '
                    'UNION ALL SELECT n.* FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE %1$s',
                    TG_ARGV[1])
    END;
    geometries := CASE TG_ARGV[0]
        WHEN 'asset' THEN format('SELECT w.geometry_webmercator AS g1, w.location_webmercator AS g2 '
                                 'FROM (%s) AS w', written)
        ELSE format('SELECT a.geometry_webmercator AS g1, a.location_webmercator AS g2 FROM registry_asset AS a '
                    'WHERE a.id IN (SELECT w.asset_id FROM (%s) AS w)', written)
    END;
    EXECUTE format('INSERT INTO registry_mapblock (x, y, version) '
                   'SELECT DISTINCT b.x, b.y, $1 FROM (%s) AS w, LATERAL (VALUES (w.g1), (w.g2)) AS g(g), '
                   'LATERAL registry_map_blocks(g.g) AS b '
                   'ON CONFLICT (x, y) DO UPDATE SET version = excluded.version', geometries)
        USING counter;
    RETURN NULL;
END;
$$;
"""

FORWARD_SQL = FUNCTIONS_SQL + """
DROP TRIGGER IF EXISTS asset_bumps_map_version ON registry_asset;
""" + triggers_sql("registry_asset", "asset", "asset", ANY_COLUMN)

REVERSE_SQL = drop_triggers_sql("registry_asset", "asset") + """
CREATE TRIGGER asset_bumps_map_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registry_asset
    FOR EACH STATEMENT EXECUTE FUNCTION registry_bump_map_version();
DROP FUNCTION IF EXISTS registry_map_changed();
DROP FUNCTION IF EXISTS registry_map_blocks(geometry);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0017_recorded_history'),
    ]

    operations = [
        migrations.CreateModel(
            name='MapBlock',
            fields=[
                ('pk', models.CompositePrimaryKey('x', 'y', blank=True, editable=False, primary_key=True, serialize=False)),
                ('x', models.IntegerField()),
                ('y', models.IntegerField()),
                ('version', models.BigIntegerField()),
            ],
            options={
                'verbose_name': 'map block version',
            },
        ),
        migrations.RunSQL(FORWARD_SQL, REVERSE_SQL),
    ]
