"""Open problems on the map (popup, tile version) and the statistics per street."""

import datetime

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from problems.models import ProblemReport, ProblemStatus
from problems.operations import close_not_fixed, report_problem, resolve_problem
from problems.queries import problem_statistics
from registry.map_version import MapVersion, tile_version
from tests.factories import GreenPlotFactory, MuralFactory
from upkeep.models import UpkeepAction, UpkeepLog

# z14 tile over the whole test district (see tests/registry/test_tiles.py).
DISTRICT_TILE = {"z": 14, "x": 13345, "y": 7109}


def file_report(asset, category="litter"):
    return report_problem(actor=AnonymousUser(), asset=asset, category=category, description="坏了").report


@pytest.fixture
def map_version_row(db):
    MapVersion.objects.get_or_create(pk=1)


def test_popup_says_how_many_problems_are_open(client, plot):
    popup = client.get(reverse("asset-popup", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    assert popup["open_problems"] == 0 and popup["open_problems_label"] is None
    file_report(plot)
    file_report(plot)  # joined: still one problem
    file_report(plot, category="damaged_plants")
    popup = client.get(reverse("asset-popup", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    assert popup["open_problems"] == 2 and popup["open_problems_label"] == "2 open problems"


def test_a_new_report_makes_the_tiles_over_its_asset_new(client, plot, map_version_row):
    """The popup carries ``open_problems`` (above); tiles carry only what the map draws (issue 21), but
    a report makes the tiles over its asset new, so nothing cached goes stale."""
    z, x, y = DISTRICT_TILE["z"], DISTRICT_TILE["x"], DISTRICT_TILE["y"]
    version = tile_version(z, x, y)
    file_report(plot)
    assert tile_version(z, x, y) != version  # cached tiles are not served stale
    response = client.get(reverse("tiles:tile", kwargs=DISTRICT_TILE))
    ids = {feature["properties"]["id"] for layer in mapbox_vector_tile.decode(response.content).values()
           for feature in layer["features"]}
    assert plot.pk in ids


def test_the_asset_page_lists_open_problems_and_apart_from_them_the_settled_ones(client, plot, west_staff):
    open_one = file_report(plot)
    settled = file_report(plot, category="damaged_plants")
    close_not_fixed(actor=west_staff, report=settled, reply="季节性落叶")
    ProblemReport.objects.filter(pk=open_one.pk).update(staff_reply="已安排清洁工")
    page = client.get(reverse("asset-detail", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    open_section, answered_section = page.split('id="asset-answered-title"')
    assert "1 open problem" in open_section and "已安排清洁工" in open_section and "季节性落叶" not in open_section
    assert "季节性落叶" in answered_section and "已安排清洁工" not in answered_section  # issue 13, item 1


def test_problem_statistics_per_street_community_and_overall(district, west_staff, east_staff):
    west_plot, east_mural = GreenPlotFactory(), MuralFactory()
    now = timezone.now()
    fast, slow, still_open = (file_report(west_plot, category) for category in ("litter", "damaged_plants",
                                                                                  "broken_facility"))
    for problem, hours in ((fast, 2), (slow, 6)):
        log = UpkeepLog.objects.create(asset=west_plot, action=UpkeepAction.CLEANING, staff=west_staff,
                                       performed_at=now)
        resolve_problem(actor=west_staff, report=problem, reply="好了", upkeep_log=log)
        ProblemReport.objects.filter(pk=problem.pk).update(resolved_at=problem.created_at + datetime.timedelta(hours=hours))
    file_report(west_plot, "broken_facility")  # joined to still_open
    closed = file_report(east_mural, "mural_defaced")
    close_not_fixed(actor=east_staff, report=closed, reply="不在范围")

    rows = {row.area.code: row for row in problem_statistics()}
    west, east = rows["W"], rows["E"]
    assert (west.reported, west.open, west.resolved, west.closed_not_fixed, west.joined_reports) == (3, 1, 2, 0, 1)
    assert west.median_time_to_resolve == datetime.timedelta(hours=4)
    assert west.resolution_rate == pytest.approx(2 / 3) and west.unresolved == 1
    assert (east.reported, east.closed_not_fixed, east.median_time_to_resolve, east.resolution_rate) == (
        1, 1, None, 0.0)

    communities = {row.area.code: row for row in problem_statistics(by="community")}
    assert communities["W1"].resolved == 2 and communities["E1"].reported == 1
    assert [row.area.code for row in problem_statistics([district["W"]])] == ["W"]
    (overall,) = problem_statistics(by="all")
    assert (overall.area, overall.reported, overall.resolved) == (None, 4, 2)
    assert problem_statistics(since=now + datetime.timedelta(days=1))[0].reported == 0
    assert still_open.status == ProblemStatus.OPEN
