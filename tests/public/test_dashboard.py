"""The public dashboard: the same figures as the staff statistics for the same street and period,
its JSON equal to its CSV, the programmes' parts equal to their figures endpoints, bad parameters
refused with a message, cached until something it counts changes, charts with their tables."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.db.backends.postgresql.psycopg_any import DateRange

from problems.models import ProblemReport, ProblemStatus
from public.dashboard.csv_rows import cell
from registry.assets import Asset
from staff.statistics import area_statistics
from tests.factories import AdoptionFactory, GardenFactory, GreenPlotFactory, MuralFactory, make_district_admin
from upkeep.models import UpkeepLog, UpkeepSchedule

DAYS = 90


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def data(district):
    now, today = timezone.now(), timezone.localdate()
    admin = make_district_admin("district")
    garden, mural = GardenFactory(name_zh="西园"), MuralFactory(name_zh="东墙")
    Asset.objects.filter(pk=garden.pk).update(created_at=now - datetime.timedelta(days=40))
    Asset.objects.filter(pk=mural.pk).update(created_at=now - datetime.timedelta(days=200))
    for days_ago in (20, 13, 4):
        UpkeepLog.objects.create(asset=garden, action="watering", staff=admin,
                                 performed_at=now - datetime.timedelta(days=days_ago))
    plots = [GreenPlotFactory(), GreenPlotFactory()]
    adoption = AdoptionFactory(asset=plots[0], period=DateRange(today - datetime.timedelta(days=10),
                                                                today + datetime.timedelta(days=300)))
    UpkeepLog.objects.create(asset=plots[0], action="watering", adopter=adoption.adopter, duration_minutes=90,
                             participants=2, performed_at=now - datetime.timedelta(days=2))
    resolved = ProblemReport.objects.create(asset=garden, category="litter", status=ProblemStatus.RESOLVED,
                                            resolved_at=now)
    ProblemReport.objects.filter(pk=resolved.pk).update(created_at=now - datetime.timedelta(hours=30))
    ProblemReport.objects.create(asset=garden, category="damaged_plants")
    ProblemReport.objects.create(asset=mural, category="mural_defaced")
    return {"admin": admin, "today": today}


def _json(client, **query):
    response = client.get(reverse("dashboard-json"), query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("code", ["W", "E"])
def test_the_dashboard_equals_the_staff_statistics_for_the_same_street_and_period(client, district, data, code):
    today = data["today"]
    street = district[code]
    [row] = area_statistics(data["admin"], [street], by="street", days=DAYS, today=today)
    figures = _json(client, street=code, **{"from": (today - datetime.timedelta(days=DAYS)).isoformat(),
                                            "to": today.isoformat()})
    assert (figures["upkeep"]["on_time"], figures["upkeep"]["late"], figures["upkeep"]["overdue"]) == (
        row.upkeep.on_time, row.upkeep.late, row.upkeep.overdue)
    assert figures["adoption"]["adoptable"] == row.adoptable and figures["adoption"]["adopted"] == row.adopted
    problems = row.problems
    assert [figures["problems"][key] for key in ("reported", "open", "in_progress", "resolved", "closed_not_fixed")] \
        == [problems.reported, problems.open, problems.in_progress, problems.resolved, problems.closed_not_fixed]
    median = problems.median_time_to_resolve
    assert figures["problems"]["median_hours_to_resolve"] == (
        None if median is None else round(median.total_seconds() / 3600, 1))
    assert sum([row.upkeep.on_time, row.upkeep.late, row.upkeep.overdue, row.adoptable, problems.reported]) > 0


def test_the_district_sums_its_streets_and_counts_what_the_sql_counts(client, district, data):
    figures = _json(client)
    west, east = _json(client, street="W"), _json(client, street="E")
    for section, key in (("problems", "reported"), ("upkeep", "on_time"), ("adoption", "adoptable"),
                         ("assets", "total")):
        assert figures[section][key] == west[section][key] + east[section][key]
    assert figures["assets"]["by_kind"] == {"garden": 1, "green_plot": 2, "mural": 1}
    assert figures["adoption"]["looking_for_adopter"] == 1 and figures["adoption"]["adoption_rate"] == 0.5
    assert figures["adoption"]["volunteer_hours"] == 3.0
    assert sum(figures["problems"]["by_month"].values()) == 3
    assert len(figures["upkeep"]["by_month"]) in (12, 13)


def test_the_json_equals_the_csv(client, district, data):
    figures = _json(client, street="W")
    response = client.get(reverse("dashboard-csv"), {"street": "W"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "value"]
    from_csv = dict(rows[1:])

    def flat(value, prefix=""):
        if isinstance(value, list) and value:  # a list's items by their index, as the CSV names them
            value = {str(index): item for index, item in enumerate(value)}
        if isinstance(value, dict):
            return {k: v for key, item in value.items() for k, v in flat(item, f"{prefix}{key}.").items()}
        return {prefix[:-1]: cell(value)}

    assert from_csv == flat(figures)
    assert from_csv["problems.reported"] == str(figures["problems"]["reported"])


def test_the_programme_parts_equal_their_figures_endpoints(client, district, data):
    query = {"street": "W", "from": "2024-01-01", "to": data["today"].isoformat()}
    figures = _json(client, **query)
    retrofits = client.get("/api/v1/retrofits/figures/", query).json()
    assert figures["elevators"] == retrofits
    assert figures["projects"] == client.get("/api/v1/projects/figures/", query).json()
    assert set(figures["projects"]) >= {"total", "by_phase", "committed", "spent"}
    assert figures["consultation"] == client.get("/api/v1/consultation/figures/", query).json()
    assert figures["safety"] == client.get("/api/v1/safety/figures/", query).json()


@pytest.mark.parametrize("query, field, message", [
    ({"street": "NOPE"}, "street", "No street has the code"),
    ({"from": "2025-05-01", "to": "2025-04-01"}, "to", "before its start"),
    ({"from": "2025-13-01"}, "from", "YYYY-MM-DD"),
    ({"street": "W", "community": "E1"}, "community", "not in that street"),
])
def test_bad_parameters_are_a_400_with_a_message_never_a_500(client, district, query, field, message):
    english = {"accept-language": "en"}
    response = client.get(reverse("dashboard-json"), query, headers=english)
    assert response.status_code == 400 and message in response.json()["errors"][field]
    page = client.get(reverse("dashboard"), query, headers=english)
    assert page.status_code == 400 and message in page.content.decode()
    assert client.get(reverse("dashboard-csv"), query).status_code == 400


def test_the_message_is_in_chinese_for_a_chinese_visitor(client, district):
    response = client.get(reverse("dashboard-json"), {"street": "NOPE"}, headers={"accept-language": "zh-hans"})
    assert "街道" in response.json()["errors"]["street"]


def test_figures_are_cached_until_something_they_count_changes(client, district, data, django_assert_num_queries):
    first = _json(client, street="W")
    with django_assert_num_queries(3):  # the street, the map version and the data version: no figure
        assert _json(client, street="W") == first
    garden = Asset.objects.get(name_zh="西园")
    UpkeepLog.objects.create(asset=garden, action="weeding", staff=data["admin"], performed_at=timezone.now())
    assert _json(client, street="W")["upkeep"]["by_month"] != first["upkeep"]["by_month"]


def test_an_assets_own_schedule_changes_the_cached_on_time_figures(client, district, data):
    garden = Asset.objects.get(name_zh="西园")
    first = _json(client, street="W")["upkeep"]
    UpkeepSchedule.objects.create(asset=garden, action="watering", interval_days=7, active=False)
    assert _json(client, street="W")["upkeep"] != first  # one round fewer is owed


def test_the_page_has_charts_with_their_tables_in_both_languages(client, district, data):
    page = client.get(reverse("dashboard"), {"street": "W"}).content.decode()
    for key in ("assets.by_kind", "upkeep.by_month", "elevators.by_stage", "projects.by_phase", "consultation",
                "safety"):
        assert f'data-chart="{key}"' in page
    assert page.count('role="img"') >= 3 and page.count("<table") == 8
    chinese = client.get(reverse("dashboard"), {"street": "W"}, headers={"accept-language": "zh-hans"})
    assert "<html" in chinese.content.decode() and chinese.status_code == 200
