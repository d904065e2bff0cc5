from django.db import migrations

from public.data_version import follow_sql, unfollow_sql

#: An asset's own upkeep schedule and an elevator's stage change the upkeep on-time figures (which
#: rounds are owed: upkeep.rollup) without a write to the tables the versions already follow.
TABLES = ["registry_upkeepschedule", "retrofits_elevatorretrofit"]

TRIGGERS = follow_sql(TABLES)
DROP = unfollow_sql(TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_dashboard_follows_consultation_and_safety"),
        ("upkeep", "0005_on_time_rollup"),
    ]

    operations = [migrations.RunSQL(TRIGGERS, DROP)]
