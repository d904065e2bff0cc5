from django.db import migrations

# Test runs that flush tables (transactional tests) delete the single map-version row; bumping
# with an upsert recreates it instead of silently updating nothing.
UPSERT_SQL = """
CREATE OR REPLACE FUNCTION registry_bump_map_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO registry_mapversion (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = registry_mapversion.version + 1;
    RETURN NULL;
END;
$$;
"""

UPDATE_ONLY_SQL = """
CREATE OR REPLACE FUNCTION registry_bump_map_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE registry_mapversion SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_map_tiles_and_search")]

    operations = [migrations.RunSQL(UPSERT_SQL, UPDATE_ONLY_SQL)]
