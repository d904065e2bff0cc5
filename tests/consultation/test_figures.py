"""The execution rate in SQL: 10 adopted, 9 executed and 1 not feasible → 90.00%."""

import datetime

import pytest

from consultation import operations
from consultation.figures import consultation_figures
from consultation.operations import ResolutionInput
from tests.consultation.conftest import MEETING_DATE, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_adopted(west_staff, east_staff, district):
    meeting = make_meeting(west_staff, district["W1"], participants=None, resolutions=[
        ResolutionInput(text=f"决议{n}", votes_for=20, due_date=datetime.date(2026, 6, 1)) for n in range(10)]
        + [ResolutionInput(text="未通过", votes_for=3, votes_against=20, adopted=False)])
    resolutions = list(meeting.resolutions.filter(status="adopted").order_by("id"))
    for resolution in resolutions[:9]:
        operations.execute_resolution(actor=west_staff, resolution=resolution, executed_on=datetime.date(2026, 7, 1))
    operations.declare_not_feasible(actor=west_staff, resolution=resolutions[9], reason="产权不清")
    east = make_meeting(east_staff, district["E1"], level="community", date=datetime.date(2025, 1, 5),
                        resolutions=[ResolutionInput(text="东边决议", votes_for=5, due_date=datetime.date(2025, 2, 1))])
    return meeting, east


def test_ten_adopted_nine_executed_one_not_feasible_is_90_percent(ten_adopted, district):
    figures = consultation_figures(community=district["W1"])
    assert figures["formed"] == 10 and figures["executed"] == 9 and figures["not_feasible"] == 1
    assert figures["rejected"] == 1 and figures["in_progress"] == 0
    assert figures["execution_rate"] == 0.9 and f"{figures['execution_rate']:.2%}" == "90.00%"
    assert figures["community"] == "W1"


def test_district_street_and_community_rows_and_the_period(ten_adopted, district):
    figures = consultation_figures(today=datetime.date(2026, 12, 1))
    assert (figures["formed"], figures["executed"], figures["overdue"]) == (11, 9, 1)
    assert figures["execution_rate"] == round(9 / 11, 4)
    assert [(row["code"], row["formed"], row["execution_rate"]) for row in figures["streets"]] == [
        ("E", 1, 0.0), ("W", 10, 0.9)]
    assert [(row["code"], row["street"]) for row in figures["communities"]] == [("E1", "E"), ("W1", "W")]
    only_2026 = consultation_figures(date_from=datetime.date(2026, 1, 1), date_to=MEETING_DATE)
    assert only_2026["formed"] == 10 and only_2026["from"] == "2026-01-01"
    assert consultation_figures(street=district["E"])["formed"] == 1


def test_nothing_formed_is_a_null_rate(district):
    figures = consultation_figures()
    assert figures["formed"] == 0 and figures["execution_rate"] is None
    assert figures["streets"] == [] and figures["communities"] == []


def test_the_tally_follows_every_write_and_periods_cut_months(ten_adopted, district):
    from consultation.models import Resolution, ResolutionTally

    def tally():
        return {(row["community_id"], row["month"].isoformat(), row["status"]): row["n"]
                for row in ResolutionTally.objects.filter(n__gt=0).values("community_id", "month", "status", "n")}

    def counted():
        found = {}
        for row in Resolution.objects.values("community_id", "meeting_date", "status"):
            key = (row["community_id"], row["meeting_date"].replace(day=1).isoformat(), row["status"])
            found[key] = found.get(key, 0) + 1
        return found

    assert tally() == counted()
    Resolution.objects.filter(status="rejected").delete()
    Resolution.objects.filter(status="executed").update(meeting_date=datetime.date(2026, 4, 30))
    assert tally() == counted()
    # 2026-04-15 … 2026-05-12 cuts April and May: only the edge days are read from the resolutions.
    cut = consultation_figures(date_from=datetime.date(2026, 4, 15), date_to=MEETING_DATE)
    assert (cut["formed"], cut["executed"], cut["rejected"]) == (10, 9, 0)
    assert consultation_figures(date_from=datetime.date(2026, 5, 1), date_to=MEETING_DATE)["formed"] == 1


def test_a_period_inside_one_month(ten_adopted):
    assert consultation_figures(date_from=datetime.date(2026, 5, 3), date_to=datetime.date(2026, 5, 11))["formed"] == 0
    assert consultation_figures(date_from=datetime.date(2026, 5, 12), date_to=datetime.date(2026, 5, 12))["formed"] == 10
    assert consultation_figures(date_from=datetime.date(2025, 1, 5), date_to=datetime.date(2025, 1, 5))["formed"] == 1
