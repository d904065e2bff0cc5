"""An adoption decides the map's "adopted" and "pending" flags: it stamps the blocks of its asset (registry
migration 0017) instead of bumping the version of the whole map (registry migration 0004)."""

from django.db import migrations

from registry.map_triggers import ANY_COLUMN, drop_triggers_sql, triggers_sql

FORWARD_SQL = ("DROP TRIGGER IF EXISTS adoption_bumps_map_version ON registry_adoption;\n"
               + triggers_sql("registry_adoption", "adoption", "asset_id", ANY_COLUMN))
REVERSE_SQL = drop_triggers_sql("registry_adoption", "adoption") + """
CREATE TRIGGER adoption_bumps_map_version
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registry_adoption
    FOR EACH STATEMENT EXECUTE FUNCTION registry_bump_map_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("adopters", "0004_recorded_history"),
        ("registry", "0018_map_blocks"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, REVERSE_SQL)]
