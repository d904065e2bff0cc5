"""Overdue queue and statistics pages: scope per role, another street's code refused, charts, CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.db.backends.postgresql.psycopg_any import DateRange

from problems.models import ProblemReport, ProblemStatus
from registry.assets import Asset
from registry.staffing import Role
from tests.factories import (
    AdoptionFactory,
    GardenFactory,
    GreenPlotFactory,
    MuralFactory,
    UserFactory,
    make_district_admin,
    make_staff,
)
from upkeep.models import UpkeepLog


def registered_days_ago(asset, days):
    Asset.objects.filter(pk=asset.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def assets(district):
    west, east = GardenFactory(name_zh="西园"), MuralFactory(name_zh="东墙")
    registered_days_ago(west, 40)   # watering, cleaning, weeding, pruning all due
    registered_days_ago(east, 200)  # inspection 110 days overdue
    return {"west": west, "east": east}


def test_street_staff_see_their_streets_overdue_work_most_overdue_first(client, district, assets):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(staff)
    response = client.get(reverse("staff-overdue"))
    assert response.status_code == 200 and response.context["street"] == district["W"]
    rows = response.context["rows"]
    assert {asset.name_zh for _round, asset in rows} == {"西园"}
    days = [round_.days_overdue for round_, _asset in rows]
    assert days == sorted(days, reverse=True) and days[0] == 40 - 7
    assert "东墙" not in response.content.decode()
    assert client.get(reverse("staff-overdue"), {"street": "E"}).status_code == 404
    assert client.get(reverse("staff-overdue"), {"street": "NOPE"}).status_code == 404


def test_a_district_administrator_chooses_any_street(client, district, assets):
    client.force_login(make_district_admin())
    response = client.get(reverse("staff-overdue"), {"street": "E"})
    assert [(r.action, r.days_overdue, a.name_zh) for r, a in response.context["rows"]] == [("inspection", 110, "东墙")]
    assert len(response.context["streets"]) == 2


def test_a_grid_worker_sees_only_their_grids_overdue_work(client, district, assets):
    worker = make_staff(Role.GRID_WORKER, grids=[district["E1N"]])
    client.force_login(worker)
    response = client.get(reverse("staff-overdue"))
    assert response.context["street"] == district["E"]
    assert {a.name_zh for _r, a in response.context["rows"]} == {"东墙"}
    assert client.get(reverse("staff-overdue"), {"street": "W"}).status_code == 404


def test_statistics_are_for_street_offices_and_the_district(client, district, assets):
    client.force_login(make_staff(Role.GRID_WORKER, grids=[district["W1S"]]))
    assert client.get(reverse("staff-statistics")).status_code == 403
    assert client.get(reverse("staff-statistics-csv")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("staff-statistics")).status_code == 403


def make_figures(district, assets, staff):
    now = timezone.now()
    garden = assets["west"]
    for days_ago in (20, 13, 4):  # gaps 7 (on time) and 9 (late) against weekly watering in winter
        UpkeepLog.objects.create(asset=garden, action="watering", staff=staff,
                                 performed_at=now - datetime.timedelta(days=days_ago))
    plots = [GreenPlotFactory(), GreenPlotFactory()]
    today = timezone.localdate()
    AdoptionFactory(asset=plots[0], period=DateRange(today - datetime.timedelta(days=10),
                                                     today + datetime.timedelta(days=300)))
    resolved = ProblemReport.objects.create(asset=garden, category="litter", status=ProblemStatus.RESOLVED,
                                            resolved_at=now)
    ProblemReport.objects.filter(pk=resolved.pk).update(created_at=now - datetime.timedelta(hours=30))
    ProblemReport.objects.create(asset=garden, category="damaged_plants")
    ProblemReport.objects.create(asset=assets["east"], category="mural_defaced")


def test_statistics_per_street_with_charts_and_the_same_rows_as_csv(client, district, assets):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # messages compared in English
    admin = make_district_admin()
    make_figures(district, assets, admin)
    client.force_login(admin)
    response = client.get(reverse("staff-statistics"))
    assert response.status_code == 200 and response.context["by"] == "street"
    west = next(row for row in response.context["rows"] if row.area == district["W"])
    assert (west.upkeep.on_time, west.upkeep.late) == (1, 1) and west.upkeep.overdue >= 3  # never cleaned etc.
    assert (west.adoptable, west.adopted, west.adoption_rate) == (2, 1, 0.5)
    assert (west.problems.open, west.problems.resolved) == (1, 1)
    assert west.problems.median_time_to_resolve == pytest.approx(datetime.timedelta(hours=30), abs=datetime.timedelta(minutes=1))
    html = response.content.decode()
    # Upkeep, adoption, problems; and consultation's execution rate.
    assert html.count("<svg") == 4 and "<script" not in html.split("</main>")[0].split('<main')[1]
    assert "50.0%" in html and "30.0 h" in html

    data = client.get(reverse("staff-statistics-csv"))
    assert data["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in data["Content-Disposition"]
    text = data.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    west_row = next(row for row in rows if row["area_code"] == "W")
    assert west_row["area_name"] == "W街道" and west_row["adoption_rate"] == "0.5"
    assert west_row["rounds_on_time"] == "1" and west_row["rounds_late"] == "1"
    assert west_row["problems_open"] == "1" and west_row["problems_resolved"] == "1"
    assert west_row["median_hours_to_resolve"] == "30.0"


def test_one_streets_statistics_are_per_community_and_limited_to_own_streets(client, district, assets):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    make_figures(district, assets, staff)
    client.force_login(staff)
    overview = client.get(reverse("staff-statistics"))
    assert [row.area for row in overview.context["rows"]] == [district["W"]]
    response = client.get(reverse("staff-statistics"), {"street": "W", "days": "30"})
    assert response.context["by"] == "community" and [row.area for row in response.context["rows"]] == [district["W1"]]
    assert client.get(reverse("staff-statistics"), {"street": "E"}).status_code == 404
    assert client.get(reverse("staff-statistics-csv"), {"street": "E"}).status_code == 404
    rows = list(csv.reader(io.StringIO(client.get(reverse("staff-statistics-csv"), {"street": "W"})
                                       .content.decode().lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:]] == ["W1"]


def test_csv_cells_cannot_become_spreadsheet_formulas(client, district, assets):
    district["W"].name_zh = "=HYPERLINK(\"http://x\")"
    district["W"].save()
    admin = make_district_admin()
    client.force_login(admin)
    text = client.get(reverse("staff-statistics-csv")).content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_a_bad_period_is_a_400_with_a_message_and_the_default_period(client, district, assets):
    client.force_login(make_district_admin())
    response = client.get(reverse("staff-statistics"), {"days": "100000"})
    assert response.status_code == 400 and response.context["days"] == 90
    assert "days" in response.context["form"].errors and 'role="alert"' in response.content.decode()
