"""A problem report decides its asset's ``open_problems``: a new, deleted, or re-stated/moved report stamps
the blocks of its asset (registry migration 0017) instead of bumping the version of the whole map
(migration 0002). A joined report only counts a duplicate and changes nothing on the map."""

from django.db import migrations

from registry.map_triggers import drop_triggers_sql, triggers_sql

STATUS_OR_ASSET = "(o.status, o.asset_id) IS DISTINCT FROM (n.status, n.asset_id)"
FORWARD_SQL = ("DROP TRIGGER IF EXISTS problem_report_bumps_map_version ON problems_problemreport;\n"
               + triggers_sql("problems_problemreport", "problem_report", "asset_id", STATUS_OR_ASSET))
REVERSE_SQL = drop_triggers_sql("problems_problemreport", "problem_report") + """
CREATE TRIGGER problem_report_bumps_map_version
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF status, asset_id ON problems_problemreport
    FOR EACH STATEMENT EXECUTE FUNCTION registry_bump_map_version();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0006_recorded_history"),
        ("registry", "0018_map_blocks"),
    ]

    operations = [migrations.RunSQL(FORWARD_SQL, REVERSE_SQL)]
