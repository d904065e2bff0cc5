"""Problem reports change what the map shows (each feature's ``open_problems``), so they bump the
map version the way assets and adoptions do (registry migrations 0004, 0005): a statement-level
trigger, so bulk updates and raw SQL bump it too. A joined report only increments
``duplicates_count`` and changes nothing on the map, hence ``UPDATE OF`` the columns that do."""

from django.db import migrations

CREATE_TRIGGER_SQL = """
CREATE TRIGGER problem_report_bumps_map_version
    AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF status, asset_id ON problems_problemreport
    FOR EACH STATEMENT EXECUTE FUNCTION registry_bump_map_version();
"""

DROP_TRIGGER_SQL = "DROP TRIGGER IF EXISTS problem_report_bumps_map_version ON problems_problemreport;"


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0001_initial"),
        ("registry", "0005_map_version_upsert"),
    ]

    operations = [migrations.RunSQL(CREATE_TRIGGER_SQL, DROP_TRIGGER_SQL)]
