"""Schedules and the overdue queue: defaults per kind, summer watering, per-asset overrides, scope."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from registry.access import managed_scope
from registry.assets import Asset, AssetStatus
from registry.staffing import Role
from retrofits.models import ElevatorRetrofit, RetrofitStage
from tests.factories import (
    ElevatorFactory,
    GardenFactory,
    GreenPlotFactory,
    MuralFactory,
    make_district_admin,
    make_staff,
)
from upkeep.models import UpkeepAction, UpkeepLog, UpkeepSchedule
from upkeep.queries import on_time_counts, overdue_upkeep, upkeep_rounds
from upkeep.schedules import DEFAULT_SCHEDULES, in_summer

JULY = datetime.date(2026, 7, 15)
DECEMBER = datetime.date(2026, 12, 15)


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def registered(asset, day):
    Asset.objects.filter(pk=asset.pk).update(created_at=at(day))


def done(asset, action, day, staff):
    return UpkeepLog.objects.create(asset=asset, action=action, performed_at=at(day), staff=staff)


@pytest.fixture
def admin(district):
    return make_district_admin()


def street_assets(user, street):
    return Asset.objects.filter(managed_scope(user), street=street)


def default_for(kind, action):
    return next((d for d in DEFAULT_SCHEDULES if d.kind == kind and d.action == action), None)


def test_every_kind_has_defaults_and_elevators_follow_tsg_t5002():
    kinds = {d.kind for d in DEFAULT_SCHEDULES}
    assert kinds == {"garden", "green_plot", "painted_box", "mural", "heritage", "elevator"}
    assert default_for("elevator", UpkeepAction.ELEVATOR_MAINTENANCE).interval_days == 15
    assert default_for("elevator", UpkeepAction.ANNUAL_INSPECTION).interval_days == 365
    assert default_for("mural", UpkeepAction.INSPECTION).interval_days == 90
    watering = default_for("green_plot", UpkeepAction.WATERING)
    assert (watering.summer_interval_days, watering.interval_days) == (3, 7)
    assert in_summer(JULY) and not in_summer(DECEMBER)


def test_plot_watering_is_every_three_days_in_summer_and_weekly_otherwise(district, admin):
    plot = GreenPlotFactory()
    registered(plot, JULY - datetime.timedelta(days=400))
    done(plot, UpkeepAction.WATERING, JULY - datetime.timedelta(days=4), admin)
    summer = {r.action: r for r in upkeep_rounds(street_assets(admin, district["W"]), today=JULY)}
    assert summer["watering"].interval_days == 3
    assert summer["watering"].days_overdue == 1 and summer["watering"].is_overdue

    done(plot, UpkeepAction.WATERING, DECEMBER - datetime.timedelta(days=4), admin)
    winter = {r.action: r for r in upkeep_rounds(street_assets(admin, district["W"]), today=DECEMBER)}
    assert winter["watering"].interval_days == 7
    assert winter["watering"].days_overdue == -3 and not winter["watering"].is_overdue
    assert winter["watering"].due_on == DECEMBER + datetime.timedelta(days=3)


def test_overdue_queue_is_most_overdue_first_and_leaves_out_what_is_not_due(district, admin):
    old_mural = MuralFactory(geometry=GardenFactory.build().geometry.centroid)  # street W
    registered(old_mural, JULY - datetime.timedelta(days=200))  # inspection due 110 days ago
    garden = GardenFactory()
    registered(garden, JULY - datetime.timedelta(days=10))
    for action in (UpkeepAction.CLEANING, UpkeepAction.WEEDING, UpkeepAction.PRUNING):
        done(garden, action, JULY - datetime.timedelta(days=1), admin)
    done(garden, UpkeepAction.WATERING, JULY - datetime.timedelta(days=5), admin)  # 2 days late

    queue = overdue_upkeep(street_assets(admin, district["W"]), today=JULY)
    assert [(r.asset_id, r.action, r.days_overdue) for r in queue] == [
        (old_mural.pk, "inspection", 110), (garden.pk, "watering", 2)]
    assert queue[0].last_done_at is None
    assert overdue_upkeep(street_assets(admin, district["W"]), today=JULY, limit=1)[0].asset_id == old_mural.pk


def test_an_assets_own_schedule_overrides_the_default_or_switches_it_off(district, admin):
    plot = GreenPlotFactory()
    registered(plot, JULY - datetime.timedelta(days=100))
    for action in (UpkeepAction.WEEDING, UpkeepAction.PRUNING):
        done(plot, action, JULY, admin)
    done(plot, UpkeepAction.WATERING, JULY - datetime.timedelta(days=6), admin)
    UpkeepSchedule.objects.create(asset=plot, action=UpkeepAction.WATERING, interval_days=10, summer_interval_days=8)
    assert overdue_upkeep(street_assets(admin, district["W"]), today=JULY) == []

    UpkeepSchedule.objects.filter(asset=plot).update(summer_interval_days=None, interval_days=2)
    assert [r.action for r in overdue_upkeep(street_assets(admin, district["W"]), today=JULY)] == ["watering"]

    UpkeepSchedule.objects.filter(asset=plot).update(active=False)
    assert overdue_upkeep(street_assets(admin, district["W"]), today=JULY) == []
    # An asset's own schedule can add an action its kind has no default for.
    UpkeepSchedule.objects.create(asset=plot, action=UpkeepAction.PEST_CONTROL, interval_days=30)
    assert [r.action for r in overdue_upkeep(street_assets(admin, district["W"]), today=JULY)] == ["pest_control"]


def test_elevators_owe_rounds_only_in_service_and_assets_only_in_use(district, admin):
    building = ElevatorFactory(stage=RetrofitStage.UNDER_CONSTRUCTION)  # street E
    retired = MuralFactory(status=AssetStatus.RETIRED)
    for asset in (building, retired):
        registered(asset, JULY - datetime.timedelta(days=400))
    assert upkeep_rounds(street_assets(admin, district["E"]), today=JULY) == []

    ElevatorRetrofit.objects.filter(pk=building.pk).update(stage=RetrofitStage.IN_SERVICE)
    done(building, UpkeepAction.ELEVATOR_MAINTENANCE, JULY - datetime.timedelta(days=16), admin)
    rounds = {r.action: r for r in overdue_upkeep(street_assets(admin, district["E"]), today=JULY)}
    assert rounds["elevator_maintenance"].days_overdue == 1
    assert rounds["annual_inspection"].days_overdue == 400 - 365


def test_the_queue_holds_only_what_the_user_works_on(district, admin):
    west, east = GardenFactory(), MuralFactory()
    for asset in (west, east):
        registered(asset, JULY - datetime.timedelta(days=400))
    west_staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    assert {r.asset_id for r in overdue_upkeep(Asset.objects.filter(managed_scope(west_staff)), today=JULY)} == {
        west.pk}
    # Asking for another street through a user's scope gives nothing.
    assert overdue_upkeep(street_assets(west_staff, district["E"]), today=JULY) == []
    grid_worker = make_staff(Role.GRID_WORKER, grids=[district["E1N"]])
    assert {r.asset_id for r in overdue_upkeep(Asset.objects.filter(managed_scope(grid_worker)), today=JULY)} == {
        east.pk}


def test_local_days_decide_when_work_was_done(district, admin):
    """Work at 07:30 in Guangzhou (23:30 UTC the evening before) counts for the local day."""
    plot = GreenPlotFactory()
    registered(plot, JULY - datetime.timedelta(days=100))
    early = timezone.make_aware(datetime.datetime.combine(JULY - datetime.timedelta(days=3), datetime.time(7, 30)))
    UpkeepLog.objects.create(asset=plot, action=UpkeepAction.WATERING, performed_at=early, staff=admin)
    watering = next(r for r in upkeep_rounds(street_assets(admin, district["W"]), today=JULY) if r.action == "watering")
    assert watering.due_on == JULY and not watering.is_overdue


def test_the_overdue_query_can_answer_from_the_asset_action_index(district, admin):
    garden = GardenFactory()
    done(garden, UpkeepAction.WATERING, JULY, admin)
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        upkeep_rounds(street_assets(admin, district["W"]), today=JULY)
    sql, params = captured[-1]
    with connection.cursor() as cursor:  # a tiny table: make the planner show it can use the index
        # On a one-row table any index on asset_id ties with it; without the others (dropped inside the
        # test's transaction, so rolled back) the plan shows the query can be answered from this one.
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_upkeeplog' "
                       "AND indexname <> 'upkeep_asset_action_recent' AND indexdef LIKE '%(asset_id%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "upkeep_asset_action_recent" in plan, plan


def test_on_time_rate_counts_rounds_within_their_interval_and_overdue_ones_as_missed(district, admin):
    plot = GreenPlotFactory()
    registered(plot, DECEMBER - datetime.timedelta(days=300))
    # Weekly in winter: 7 days (on time), 9 days (late), 5 days (on time); watering now 2 days old.
    for days_ago in (23, 16, 7, 2):
        done(plot, UpkeepAction.WATERING, DECEMBER - datetime.timedelta(days=days_ago), admin)
    # Weeding and pruning were never done: both overdue today.
    counts = on_time_counts(Asset.objects.filter(managed_scope(admin)), group_by="street",
                            since=DECEMBER - datetime.timedelta(days=20), today=DECEMBER)
    west = counts[district["W"].pk]
    assert (west.on_time, west.late, west.overdue) == (2, 1, 2)
    assert west.rate == pytest.approx(2 / 5)
    assert district["E"].pk not in counts
    by_community = on_time_counts(Asset.objects.filter(managed_scope(admin)), group_by="community",
                                  since=DECEMBER - datetime.timedelta(days=20), today=DECEMBER)
    assert by_community[district["W1"].pk] == west.__class__(district["W1"].pk, 2, 1, 2)


def test_demo_plots_water_as_their_watering_needs_say(district, admin):
    from gardens.models import WateringNeed
    from ops.demo.schedules import build_schedules

    low, medium, high = (GreenPlotFactory(watering_needs=need) for need in
                         (WateringNeed.LOW, WateringNeed.MEDIUM, WateringNeed.HIGH))
    build_schedules([low, medium, high, GardenFactory()])
    assert {(s.asset_id, s.interval_days, s.summer_interval_days) for s in UpkeepSchedule.objects.all()} == {
        (low.pk, 7, None), (high.pk, 3, 2)}
    for plot in (low, medium, high):
        registered(plot, JULY - datetime.timedelta(days=100))
    rounds = {r.asset_id: r.interval_days for r in upkeep_rounds(street_assets(admin, district["W"]), today=JULY)
              if r.action == "watering" and r.asset_id in (low.pk, medium.pk, high.pk)}
    assert rounds == {low.pk: 7, medium.pk: 3, high.pk: 2}
