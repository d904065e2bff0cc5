from django.db import migrations, models

from public.data_version import follow_sql, unfollow_sql

#: The tables whose changes the dashboard's figures follow and the map version does not.
TABLES = ["registry_upkeeplog", "registry_adopter", "elevators_stageevent", "elevators_custodycontract",
          "projects_phaseevent", "projects_fundingline"]

FUNCTION = """
CREATE OR REPLACE FUNCTION public_bump_dashboard_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public_dashboarddataversion (id, version) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET version = public_dashboarddataversion.version + 1;
    RETURN NULL;
END;
$$;
"""

TRIGGERS = follow_sql(TABLES)
DROP = unfollow_sql(TABLES) + \
    "DROP FUNCTION IF EXISTS public_bump_dashboard_version();\n"


class Migration(migrations.Migration):
    initial = True
    dependencies = [
        ("upkeep", "0001_initial"),
        ("adopters", "0003_profile_for_every_adopter"),
        ("elevators", "0006_progress_street"),
        ("projects", "0004_projects_bump_map_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="DashboardDataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "dashboard data version"},
        ),
        migrations.RunSQL("INSERT INTO public_dashboarddataversion (id, version) VALUES (1, 0);", migrations.RunSQL.noop),
        migrations.RunSQL(FUNCTION + TRIGGERS, DROP),
    ]
