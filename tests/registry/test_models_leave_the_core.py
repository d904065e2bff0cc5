"""Adopter, Adoption, UpkeepLog and UpkeepSchedule moved out of the core (registry) into the
adoption and upkeep apps with state-only migrations: a database at the previous main's migration
state migrates to today's with every row, constraint and index exactly as it was.

The test takes the test database back to the migration state the previous main left
(``PREVIOUS_MAIN``), fills it with rows of every moved model and of the models pointing at them,
then migrates forward and compares per-table row counts and checksums, constraints and indexes.
Only Django's own bookkeeping changes: the migration records, and the content types, which follow
the models to their new apps (the admin's log keeps pointing at the right rows).

By hand, on a demo district loaded by the previous main's ``load_demo`` (11,339 upkeep logs, 73
adoptions), the same comparison gave the same answer; docs/architecture.md records it.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from problems.models import ProblemReport
from tests.factories import AdoptionFactory, GardenFactory, make_district_admin, make_test_district
from upkeep.models import UpkeepAction, UpkeepLog, UpkeepSchedule

#: The leaf migrations of the apps concerned on the main before the move.
PREVIOUS_MAIN = [
    ("registry", "0012_upkeep_submission_key"),
    ("adopters", "0001_initial"),
    ("problems", "0003_report_submission_key"),
    ("upkeep", None),
]
#: The migrations that made the move; later ones change tables on purpose (adopters.0003 adds
#: the missing adopter profiles, registry.0014 the audit trail's client address), so the
#: comparison stops here.
THE_MOVE = [
    ("registry", "0013_adoption_and_upkeep_leave_the_core"),
    ("adopters", "0002_adopter_and_adoption_from_registry"),
    ("problems", "0004_resolved_by_log_in_upkeep"),
    ("upkeep", "0001_initial"),
]
#: Django's bookkeeping, which the move is meant to change.
BOOKKEEPING = {"django_migrations", "django_content_type"}
#: Tables of apps added after the move (they do not exist at the previous main's state): not compared.
NEWER_TABLES = ("projects_",)

CHECKSUMS = """
SELECT c.relname,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', c.relname),
                                            false, true, '')))[1]::text,
       (xpath('/row/h/text()', query_to_xml(format(
           'SELECT md5(coalesce(string_agg(t::text, E''\\n'' ORDER BY t::text), '''')) AS h FROM %I t',
           c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
WHERE s.nspname = 'public' AND c.relkind = 'r'
ORDER BY 1
"""


def snapshot() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(CHECKSUMS)
        tables = {name: (count, digest) for name, count, digest in cursor.fetchall()
                  if name not in BOOKKEEPING and not name.startswith(NEWER_TABLES)}
        cursor.execute("SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2")
        constraints = [row for row in cursor.fetchall() if not row[1].startswith(NEWER_TABLES)]
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 2")
        indexes = [(row[1],) for row in cursor.fetchall() if not row[0].startswith(NEWER_TABLES)]
    return {"tables": tables, "constraints": constraints, "indexes": indexes}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def fill():
    """Rows of every moved model, and of the rows that point at them, written at the old state."""
    district = make_test_district()
    admin = make_district_admin()
    adoption = AdoptionFactory(asset__is_adoptable=True)
    garden = GardenFactory()
    # the tables that have changed since are written as they were then (today's models have new columns)
    old_apps = MigrationExecutor(connection).loader.project_state([node for node in PREVIOUS_MAIN if node[1]]).apps
    old_log = old_apps.get_model("registry", "UpkeepLog")
    log = old_log.objects.create(asset_id=garden.pk, action=UpkeepAction.WATERING, staff_id=admin.pk,
                                 performed_at=timezone.now() - datetime.timedelta(hours=1), notes="浇水")
    old_log.objects.create(asset_id=adoption.asset_id, action=UpkeepAction.WEEDING, adopter_id=adoption.adopter_id,
                           performed_at=timezone.now(), duration_minutes=30)
    UpkeepSchedule.objects.create(asset=garden, action=UpkeepAction.PRUNING, interval_days=30)
    old_apps.get_model("problems", "ProblemReport").objects.create(
        asset_id=garden.pk, category="litter", description="垃圾", status="resolved", resolved_by_log_id=log.pk,
        resolved_at=timezone.now())
    old_apps.get_model("registry", "AuditEntry").objects.create(actor_id=admin.pk, action="adoption.approve", object_type="registry.adoption",
                             object_id=adoption.pk, asset_id=adoption.asset_id, changes={})
    return district


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_main_migrates_with_identical_rows():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(PREVIOUS_MAIN)
        assert ContentType.objects.filter(app_label="registry", model="adoption").exists()
        fill()
        before = snapshot()
        assert before["tables"]["registry_upkeeplog"][0] == "2"
        assert before["tables"]["registry_adoption"][0] == "1"

        migrate(THE_MOVE)

        after = snapshot()
        assert after == before
        moved = {(ct.app_label, ct.model) for ct in ContentType.objects.filter(
            model__in=["adopter", "adoption", "upkeeplog", "upkeepschedule"])}
        assert moved == {("adopters", "adopter"), ("adopters", "adoption"),
                         ("upkeep", "upkeeplog"), ("upkeep", "upkeepschedule")}
        assert UpkeepLog.objects.count() == 2
        assert ProblemReport.objects.values_list("resolved_by_log__notes", flat=True).get() == "浇水"
    finally:
        migrate(latest)  # the other tests need today's schema whatever happened above
