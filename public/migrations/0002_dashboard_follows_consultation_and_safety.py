from django.db import migrations

from public.data_version import follow_sql, unfollow_sql

#: The consultation and safety tables the dashboard's figures read (consultation_figures, safety_figures):
#: a write to any of them bumps the dashboard's data version, so a cached answer is never stale.
TABLES = ["consultation_meeting", "consultation_resolution", "safety_risk", "safety_intervention",
          "safety_safetyround", "safety_ambassador", "safety_training"]

TRIGGERS = follow_sql(TABLES)
DROP = unfollow_sql(TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_dashboard_data_version"),
        ("consultation", "0003_history_without_reverse_accessor"),
        ("safety", "0003_history_without_reverse_accessor"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, DROP)]
