"""The programme's figures and the green-channel queue, from a fixture with known dates."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings

from elevators.figures import Period, programme_figures
from elevators.models import ProgrammeStage as S
from elevators.models import StageEvent
from elevators.queries import green_channel_queue
from retrofits.models import CustodyMode
from tests.elevators.conftest import day, make_retrofit

pytestmark = pytest.mark.django_db


def events(retrofit, **dates):
    """Stage events straight into the table (the operation's checks have their own tests)."""
    for stage, on in dates.items():
        StageEvent.objects.create(retrofit=retrofit, stage=stage, happened_on=day(on))


@pytest.fixture
def programme(district):
    """Three retrofits in the east street, one in the west; permit waits of 10, 20 and 60 days."""
    a = make_retrofit(custody_mode=CustodyMode.STEWARD)
    events(a, accepted="2021-03-01", consent="2021-03-11", planning_permit="2021-03-21", construction="2021-05-01",
           acceptance="2021-08-01", registration="2021-08-11", in_service="2021-08-21")
    b = make_retrofit(custody_mode=CustodyMode.STEWARD)
    events(b, accepted="2022-01-01", consent="2022-01-21", planning_permit="2022-02-10")
    c = make_retrofit(custody_mode=CustodyMode.PROPERTY_MANAGEMENT)
    events(c, accepted="2022-06-01", consent="2022-07-31")
    west = make_retrofit(lon=113.235)
    events(west, accepted="2022-02-01")
    return {"a": a, "b": b, "c": c, "west": west}


def test_the_district_figures(programme):
    figures = programme_figures(Period(end=day("2023-01-01")))
    assert figures["total"] == 4
    assert figures["in_service"] == 1
    assert figures["under_construction"] == 1  # b: a permit, not yet in service
    assert figures["by_stage"] == {"accepted": 1, "consent": 1, "planning_permit": 1, "construction": 0,
                                   "acceptance": 0, "registration": 0, "in_service": 1}
    assert figures["median_days"]["consent"] == 20.0  # 10, 20, 60 days from acceptance to consent
    assert figures["p90_days"]["consent"] == 52.0    # percentile_cont(0.9) of 10, 20, 60
    assert figures["median_days"]["planning_permit"] == 15.0  # 10 and 20
    assert figures["median_days"]["in_service"] == 20.0  # from acceptance (registration may be skipped)
    assert figures["median_days"]["registration"] == 10.0
    assert figures["cohorts"] == {"2021": {"total": 1, "in_service": 1}, "2022": {"total": 3, "in_service": 0}}
    assert figures["custody_modes"] == {"steward": 2, "property_management": 1}


def test_a_street_and_a_period(programme, district):
    east = programme_figures(Period(street_id=district["E"].pk, end=day("2023-01-01")))
    assert east["total"] == 3
    in_2022 = programme_figures(Period(start=day("2022-01-01"), end=day("2022-03-01")))
    # applied in the period: b and west (c applied in June); counted at their stage on 2022-03-01
    assert in_2022["total"] == 2 and in_2022["by_stage"]["planning_permit"] == 1
    assert in_2022["by_stage"]["accepted"] == 1 and in_2022["in_service"] == 0
    before_service = programme_figures(Period(end=day("2021-08-15")))
    assert before_service["in_service"] == 0 and before_service["by_stage"]["registration"] == 1


@override_settings(ELEVATOR_STAGE_TARGET_DAYS={"accepted": 60, "consent": 30, "planning_permit": 60,
                                               "construction": 120, "acceptance": 30, "registration": 15})
def test_the_green_channel_queue_puts_priority_then_most_overdue_first(programme, district):
    from registry.staffing import Role
    from tests.factories import make_staff

    staff = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    programme["c"].is_priority = True
    programme["c"].save()
    queue = green_channel_queue(staff, today=day("2022-09-01"))
    # b waits in planning_permit since 2022-02-10 (203 days, target 60); c in consent since
    # 2022-07-31 (32 days, target 30: 2 days over, but a priority case); a is in service.
    assert [(w.retrofit.pk, w.stage, w.overdue_days) for w in queue] == [
        (programme["c"].pk, "consent", 2), (programme["b"].pk, "planning_permit", 143)]
    assert programme["west"].pk not in {w.retrofit.pk for w in queue}  # another street's
