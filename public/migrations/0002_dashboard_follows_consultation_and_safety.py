from django.db import migrations

#: The consultation and safety tables the dashboard's figures read (consultation_figures, safety_figures):
#: a write to any of them bumps the dashboard's data version, so a cached answer is never stale.
TABLES = ["consultation_meeting", "consultation_resolution", "safety_risk", "safety_intervention",
          "safety_safetyround", "safety_ambassador", "safety_training"]

TRIGGERS = "".join(
    f"CREATE TRIGGER public_dashboard_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION public_bump_dashboard_version();\n" for table in TABLES)
DROP = "".join(f"DROP TRIGGER IF EXISTS public_dashboard_version ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_dashboard_data_version"),
        ("consultation", "0003_history_without_reverse_accessor"),
        ("safety", "0003_history_without_reverse_accessor"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, DROP)]
