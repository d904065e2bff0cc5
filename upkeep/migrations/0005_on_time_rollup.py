"""Upkeep on time kept per area and day by statement triggers (``upkeep.rollup``), for the dashboard.

The rules are written into the functions as they stand today (``upkeep.schedules``): the default
schedules, the hot-season months and the time zone. A change to them needs a migration that calls
``rollup.rules_sql`` again and rebuilds (tests/upkeep/test_rollup.py fails until then).
"""

from django.db import migrations

from upkeep import rollup

DEFAULTS = [
    ("green_plot", "watering", 7, 3, False),
    ("green_plot", "weeding", 30, None, False),
    ("green_plot", "pruning", 60, None, False),
    ("garden", "watering", 7, 3, False),
    ("garden", "cleaning", 14, None, False),
    ("garden", "weeding", 30, None, False),
    ("garden", "pruning", 30, None, False),
    ("painted_box", "inspection", 90, None, False),
    ("mural", "inspection", 90, None, False),
    ("heritage", "inspection", 30, None, False),
    ("heritage", "safety_check", 90, None, False),
    ("elevator", "elevator_maintenance", 15, None, True),
    ("elevator", "annual_inspection", 365, None, True),
]
SUMMER_MONTHS = (5, 6, 7, 8, 9, 10)
TIME_ZONE = "Asia/Shanghai"

FORWARD = (rollup.TABLES_SQL + rollup.rules_sql(DEFAULTS, SUMMER_MONTHS, TIME_ZONE) + rollup.triggers_sql()
           + "SELECT upkeep_rollup_rebuild();")
BACKWARD = (rollup.drop_triggers_sql() + rollup.DROP_TABLES_SQL + ";"
            + "DROP FUNCTION " + ", ".join(f"{table}_upkeep_rollup()" for table, *_rest in rollup.WATCHED)
            + ", upkeep_rollup_rebuild(),"
            " upkeep_rollup_refresh(bigint[]), upkeep_default_schedules(), upkeep_in_summer(integer);")


class Migration(migrations.Migration):

    dependencies = [
        ("upkeep", "0004_history_statement_level_triggers"),
        ("retrofits", "0004_history_statement_level_triggers"),
        ("registry", "0020_history_statement_level_triggers"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
