"""Maintenance compliance and elevator faults per custodian (elevators.service)."""

import datetime

import pytest
from django.utils import timezone

from elevators.figures import Period
from elevators.service import service_rows
from problems.models import ProblemReport
from tests.elevators.conftest import day, make_retrofit
from tests.elevators.test_figures import events
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db


def maintained(retrofit, on: datetime.date):
    UpkeepLog.objects.create(asset=retrofit, action="elevator_maintenance", staff=_staff(),
                             performed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10))))


def _staff():
    from tests.factories import UserFactory

    return UserFactory()


def fault(retrofit, reported: datetime.datetime, hours_to_fix: float | None):
    report = ProblemReport.objects.create(asset=retrofit, category="elevator_fault")
    ProblemReport.objects.filter(pk=report.pk).update(created_at=reported)
    if hours_to_fix is not None:
        ProblemReport.objects.filter(pk=report.pk).update(
            status="resolved", resolved_at=reported + datetime.timedelta(hours=hours_to_fix))


def in_service(**fields):
    retrofit = make_retrofit(**fields)
    events(retrofit, accepted="2020-01-01", consent="2020-02-01", planning_permit="2020-03-01",
           construction="2020-04-01", acceptance="2020-08-01", in_service="2020-08-10")
    return retrofit


def test_compliance_and_faults_per_custodian(district):
    a1, a2 = in_service(maintenance_contractor="甲维保"), in_service(maintenance_contractor="甲维保")
    b = in_service(maintenance_contractor="乙维保")
    make_retrofit(maintenance_contractor="乙维保")  # not in service: not counted
    end = day("2024-06-30")
    maintained(a1, day("2024-06-20"))  # within 15 days of the end
    maintained(a2, day("2024-06-01"))  # 29 days: overdue
    maintained(b, day("2024-06-25"))
    at = timezone.make_aware(datetime.datetime(2024, 5, 1, 9))
    fault(a1, at, 4)
    fault(a2, at, 10)
    fault(b, timezone.make_aware(datetime.datetime(2023, 5, 1, 9)), 2)  # before the period
    fault(b, at, None)  # not yet fixed
    total, *rows = service_rows(Period(start=day("2024-01-01"), end=end))
    first, second = sorted(rows, key=lambda row: row.custodian != "甲维保")
    assert (total.custodian, total.in_service, total.maintained, total.faults) == (None, 3, 2, 3)
    assert total.faults_per_100 == 100.0 and total.median_hours_to_fix == 7.0
    assert (first.custodian, first.in_service, first.maintained, first.faults) == ("甲维保", 2, 1, 2)
    assert first.maintenance_compliance == 0.5 and first.median_hours_to_fix == 7.0
    assert (second.custodian, second.maintenance_compliance, second.faults_per_100, second.median_hours_to_fix) == (
        "乙维保", 1.0, 100.0, None)


def test_no_elevator_in_service(district):
    total, = service_rows(Period(end=day("2024-06-30")))
    assert (total.in_service, total.maintenance_compliance, total.faults_per_100) == (0, None, None)
