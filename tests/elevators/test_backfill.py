"""The migration that starts the stage history gives each retrofit the events its stage implies."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from elevators.models import StageEvent
from retrofits.models import RetrofitStage
from tests.factories import ElevatorFactory


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_backfill_follows_each_retrofits_stage(district):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate([("elevators", "0001_initial")])
        retrofits = {stage: ElevatorFactory(stage=stage) for stage in RetrofitStage.values}
        assert not StageEvent.objects.exists()
        migrate(latest)
        stages = {stage: list(StageEvent.objects.filter(retrofit=retrofit).order_by("id")
                              .values_list("stage", flat=True)) for stage, retrofit in retrofits.items()}
        assert stages == {
            "application": ["accepted"],
            "planning_permit": ["accepted", "consent", "planning_permit"],
            "under_construction": ["accepted", "consent", "planning_permit", "construction"],
            "in_service": ["accepted", "consent", "planning_permit", "construction", "acceptance", "registration",
                           "in_service"],
        }
        event = StageEvent.objects.filter(retrofit=retrofits["in_service"]).first()
        assert event.happened_on == retrofits["in_service"].created_at.date()
        assert event.note == "backfilled from the stage"
    finally:
        migrate(latest)
