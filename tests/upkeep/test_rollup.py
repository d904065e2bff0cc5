"""The on-time roll-up (upkeep.rollup) answers as upkeep.sql.ON_TIME does, after every kind of write.

Each step below writes the way the registry does (the ORM, a bulk insert, a raw UPDATE, a delete),
then the roll-up's counts are compared with ``on_time_counts`` over the same streets, by street and
by community, for several periods and for a day in and out of the hot season; and the sums kept by
the triggers are compared with the sums a rebuild computes from scratch.
"""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from registry.access import managed_scope
from registry.assets import Asset, AssetStatus
from retrofits.models import RetrofitStage
from tests.factories import AdopterFactory, ElevatorFactory, GardenFactory, GreenPlotFactory, MuralFactory, make_district_admin
from upkeep.models import UpkeepAction, UpkeepLog, UpkeepSchedule
from upkeep.queries import OnTimeCounts, on_time_counts, on_time_from_rollup
from upkeep.schedules import DEFAULT_SCHEDULES, SUMMER_MONTHS

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)
SUMMER_DAY = datetime.date(2026, 7, 20)
SUM_TABLES = ("upkeep_round", "upkeep_logentry", "upkeep_logday", "upkeep_duecount")


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days_before(day, n):
    return day - datetime.timedelta(days=n)


def snapshot() -> dict:
    with connection.cursor() as cursor:
        tables = {}
        for table in SUM_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4")
            tables[table] = cursor.fetchall()
        return tables


def assert_rollup_agrees(district):
    streets = [district["W"], district["E"]]
    for group_by in ("street", "community"):
        for since, today in ((days_before(TODAY, 365), TODAY), (days_before(TODAY, 30), TODAY),
                             (days_before(SUMMER_DAY, 90), SUMMER_DAY), (days_before(TODAY, 1000), TODAY)):
            expected = on_time_counts(Asset.objects.filter(street__in=streets), group_by=group_by, since=since,
                                      today=today)
            assert on_time_from_rollup(streets, group_by=group_by, since=since, today=today) == expected, \
                (group_by, since, today)
    with connection.cursor() as cursor:  # the logs and volunteer minutes per area and local day
        cursor.execute("""
            SELECT a.street_id, coalesce(a.community_id, 0), (l.performed_at AT TIME ZONE %s)::date, count(*),
                   coalesce(sum(l.duration_minutes * l.participants) FILTER (WHERE l.adopter_id IS NOT NULL), 0)
            FROM registry_upkeeplog l JOIN registry_asset a ON a.id = l.asset_id
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""", [settings.TIME_ZONE])
        from_logs = cursor.fetchall()
        cursor.execute("SELECT street_id, community_id, day, logs, person_minutes FROM upkeep_logday ORDER BY 1, 2, 3")
        assert cursor.fetchall() == from_logs
    kept = snapshot()
    with connection.cursor() as cursor:
        cursor.execute("SELECT upkeep_rollup_rebuild()")
    assert snapshot() == kept, "the sums the triggers kept differ from a rebuild's"


@pytest.fixture
def staff(district):
    return make_district_admin()


def log(asset, action, day, staff, hour=10):
    return UpkeepLog.objects.create(asset=asset, action=action, performed_at=at(day, hour), staff=staff)


def test_the_rules_written_into_the_database_are_the_codes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, action, interval_days, summer_interval_days, in_service_only "
                       "FROM upkeep_default_schedules()")
        in_database = sorted(cursor.fetchall())
        cursor.execute("SELECT month FROM generate_series(1, 12) month WHERE upkeep_in_summer(month)")
        summer = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'upkeep_rollup_refresh'")
        refresh = cursor.fetchone()[0]
    in_code = sorted((str(d.kind), str(d.action), d.interval_days, d.summer_interval_days, d.in_service_only)
                     for d in DEFAULT_SCHEDULES)
    assert in_database == in_code, "upkeep.schedules changed: write a migration calling rollup.rules_sql again"
    assert summer == set(SUMMER_MONTHS)
    assert f"'{settings.TIME_ZONE}'" in refresh


def test_the_rollup_follows_every_kind_of_write(district, staff):
    garden = GardenFactory()
    plot = GreenPlotFactory()
    mural = MuralFactory()
    elevator = ElevatorFactory()
    Asset.objects.filter(pk__in=[garden.pk, plot.pk, mural.pk, elevator.pk]).update(created_at=at(days_before(TODAY, 800)))
    assert_rollup_agrees(district)

    # Rounds logged in order, in and out of season, with gaps on time and late.
    for n in (400, 396, 380, 200, 197, 192, 60, 52, 40, 8, 3):
        log(garden, UpkeepAction.WATERING, days_before(TODAY, n), staff)
    for n in (300, 240, 100):
        log(mural, UpkeepAction.INSPECTION, days_before(TODAY, n), staff)
    assert_rollup_agrees(district)

    # A log back-dated between two others (an outbox sent late), two at the same moment, a first-ever one.
    log(garden, UpkeepAction.WATERING, days_before(TODAY, 56), staff)
    log(garden, UpkeepAction.CLEANING, days_before(TODAY, 20), staff)
    log(garden, UpkeepAction.CLEANING, days_before(TODAY, 20), staff)
    log(plot, UpkeepAction.WEEDING, days_before(TODAY, 45), staff, hour=7)
    adopter = AdopterFactory()
    by_adopter = UpkeepLog.objects.create(asset=mural, action=UpkeepAction.CLEANING, performed_at=at(days_before(TODAY, 9)),
                                          adopter=adopter, duration_minutes=90, participants=3)
    assert_rollup_agrees(district)
    UpkeepLog.objects.filter(pk=by_adopter.pk).update(participants=4)
    UpkeepLog.objects.create(asset=mural, action=UpkeepAction.CLEANING, performed_at=at(days_before(TODAY, 9)),
                             adopter=adopter)  # no duration: no hours
    assert_rollup_agrees(district)

    # Many rows in one statement, then a raw UPDATE moving one log's time and a delete.
    UpkeepLog.objects.bulk_create([UpkeepLog(asset=plot, action=UpkeepAction.WATERING, staff=staff,
                                             performed_at=at(days_before(TODAY, n))) for n in range(300, 0, -6)])
    moved = UpkeepLog.objects.filter(asset=plot, action=UpkeepAction.WATERING).order_by("performed_at")[5]
    UpkeepLog.objects.filter(pk=moved.pk).update(performed_at=at(days_before(TODAY, 2)))
    UpkeepLog.objects.filter(asset=garden, action=UpkeepAction.WATERING).order_by("performed_at")[3].delete()
    assert_rollup_agrees(district)

    # The asset's own schedule: a shorter interval, then the round switched off, then removed.
    schedule = UpkeepSchedule.objects.create(asset=plot, action=UpkeepAction.WATERING, interval_days=4,
                                             summer_interval_days=2)
    assert_rollup_agrees(district)
    UpkeepSchedule.objects.filter(pk=schedule.pk).update(active=False)
    assert_rollup_agrees(district)
    schedule.delete()
    assert_rollup_agrees(district)

    # An elevator owes rounds once in service; its logs count from then.
    for n in (50, 34, 20, 4):
        log(elevator, UpkeepAction.ELEVATOR_MAINTENANCE, days_before(TODAY, n), staff)
    assert_rollup_agrees(district)
    type(elevator).objects.filter(pk=elevator.pk).update(stage=RetrofitStage.IN_SERVICE)
    assert_rollup_agrees(district)

    # The asset moved to the other street and community, retired, its registration day changed.
    Asset.objects.filter(pk=mural.pk).update(street=district["E"], community=district["E1"])
    assert_rollup_agrees(district)
    Asset.objects.filter(pk=plot.pk).update(status=AssetStatus.RETIRED)
    assert_rollup_agrees(district)
    Asset.objects.filter(pk=plot.pk).update(status=AssetStatus.IN_USE, created_at=at(days_before(TODAY, 10)))
    assert_rollup_agrees(district)

    # An asset deleted with its logs.
    garden.delete()
    assert_rollup_agrees(district)
    assert not UpkeepLog.objects.filter(asset_id=garden.pk).exists()


def test_overdue_rounds_come_due_by_the_day_and_the_season(district, staff):
    plot = GreenPlotFactory()
    Asset.objects.filter(pk=plot.pk).update(created_at=at(days_before(SUMMER_DAY, 300)))
    log(plot, UpkeepAction.WATERING, days_before(SUMMER_DAY, 5), staff)
    west = district["W"]
    in_summer = on_time_from_rollup([west], group_by="street", since=days_before(SUMMER_DAY, 30), today=SUMMER_DAY)
    # Every 3 days in summer: watering is overdue, and weeding and pruning were never done.
    assert in_summer[west.pk].overdue == 3
    autumn = datetime.date(2026, 11, 1)
    log(plot, UpkeepAction.WATERING, days_before(autumn, 5), staff)
    in_autumn = on_time_from_rollup([west], group_by="street", since=days_before(autumn, 30), today=autumn)
    assert in_autumn[west.pk].overdue == 2  # weekly out of season: watering is not due yet
    assert_rollup_agrees(district)


def test_staff_statistics_read_the_rollup_for_whole_streets_and_the_logs_for_a_grid_worker(district, staff):
    from registry.staffing import Role
    from staff.statistics import area_statistics
    from tests.factories import make_staff

    plot = GreenPlotFactory()
    Asset.objects.filter(pk=plot.pk).update(created_at=at(days_before(TODAY, 200)))
    for n in (60, 52, 40, 8):
        log(plot, UpkeepAction.WATERING, days_before(TODAY, n), staff)
    west = district["W"]
    street_staff = make_staff(Role.STREET_STAFF, streets=[west])
    grid_worker = make_staff(Role.GRID_WORKER, grids=[district["W1N"]])
    for user, reads_rollup in ((staff, True), (street_staff, True), (grid_worker, False)):
        statements = []

        def capture(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            [row] = area_statistics(user, [west], by="street", days=90, today=TODAY)
        assert any("upkeep_logday" in sql for sql in statements) == reads_rollup, user
        managed = Asset.objects.filter(managed_scope(user), street=west)
        expected = on_time_counts(managed, group_by="street", since=days_before(TODAY, 90), today=TODAY)
        assert row.upkeep == expected.get(west.pk, OnTimeCounts(west.pk, 0, 0, 0))
    assert row.upkeep.on_time + row.upkeep.late + row.upkeep.overdue == 0  # the plot is not in the grid worker's grid
