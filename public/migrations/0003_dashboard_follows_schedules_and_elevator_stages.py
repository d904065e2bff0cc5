from django.db import migrations

#: An asset's own upkeep schedule and an elevator's stage change the upkeep on-time figures (which
#: rounds are owed: upkeep.rollup) without a write to the tables the versions already follow.
TABLES = ["registry_upkeepschedule", "retrofits_elevatorretrofit"]

TRIGGERS = "".join(
    f"CREATE TRIGGER public_dashboard_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION public_bump_dashboard_version();\n" for table in TABLES)
DROP = "".join(f"DROP TRIGGER IF EXISTS public_dashboard_version ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_dashboard_follows_consultation_and_safety"),
        ("upkeep", "0005_on_time_rollup"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, DROP)]
