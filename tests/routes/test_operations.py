"""Saving a route: its stops in order, its length in EPSG:4547, bad input refused with nothing written."""

import pytest
from django.contrib.gis.geos import LineString
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from registry import history
from registry.audit import AuditEntry
from routes import queries
from routes.models import CheckInSpot, Route, RouteStop
from routes.operations import StopInput, mark_check_in_spot, save_route, set_published

VALUES = {"name_zh": "测试路线", "theme": "mixed"}


def test_a_route_keeps_its_stops_in_order_and_is_audited(route, stops):
    assert [stop.asset_id for stop in route.stops.order_by("position")] == [asset.pk for asset in stops]
    assert AuditEntry.objects.filter(action="route.create", object_id=route.pk).exists()
    recorded = history.events_of(route.pk, history.event_model_of(Route))  # recorded by PostgreSQL
    assert [event.pgh_label for event in recorded].count("insert") == 1


def test_without_a_drawn_line_the_length_is_the_stops_straight_segments_in_epsg_4547(route):
    line = queries.route_line(route)
    assert line.approximate and line.stop_count == 4
    # 2 × ~307 m along the parallel, then ~233 m to the garden: measured by PostGIS in EPSG:4547.
    assert 820 < line.length_m < 870
    assert line.walking_minutes(route.pace) == round(line.length_m / route.pace)


def test_a_drawn_line_is_used_and_a_line_far_from_a_stop_warns(admin, stops):
    far = LineString((113.236, 23.125), (113.239, 23.1285), (113.244, 23.126), srid=4326)
    saved = save_route(actor=admin, values=VALUES, stops=[StopInput(a.pk) for a in stops], line=far)
    line = queries.route_line(saved.route)
    assert not line.approximate
    assert any("stop 2" in warning for warning in saved.warnings)
    assert not any("stop 1" in warning for warning in saved.warnings)


@pytest.mark.parametrize("case, message", [
    ("one", "at least two stops"),
    ("twice", "Stop 2 is the same place as the stop before it"),
])
def test_bad_stops_are_refused_and_nothing_is_written(admin, stops, case, message):
    chosen = {"one": [stops[0]], "twice": [stops[0], stops[0], stops[1]]}[case]
    with pytest.raises(ValidationError, match=message):
        save_route(actor=admin, values=VALUES, stops=[StopInput(a.pk) for a in chosen])
    assert not Route.objects.exists() and not RouteStop.objects.exists()


def test_the_refusal_is_in_chinese_for_a_chinese_user(admin, stops):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            save_route(actor=admin, values=VALUES, stops=[StopInput(stops[0].pk)])
        assert "一条路线至少需要两个站点。" in error.value.messages


def test_an_unreadable_line_is_refused(admin, stops):
    with pytest.raises(ValidationError, match="walking line"):
        save_route(actor=admin, values=VALUES, stops=[StopInput(a.pk) for a in stops], line="LINESTRING(oops")
    assert not Route.objects.exists()


def test_street_staff_route_only_through_their_own_street(west_staff, stops):
    with pytest.raises(PermissionDenied):
        save_route(actor=west_staff, values=VALUES, stops=[StopInput(a.pk) for a in stops])
    west = [asset for asset in stops if asset.street.code == "W"]
    assert save_route(actor=west_staff, values=VALUES, stops=[StopInput(a.pk) for a in west]).route.pk


def test_publishing_and_check_in_spots(admin, route, stops):
    set_published(actor=admin, route=route, published=False)
    assert not Route.objects.get(pk=route.pk).is_published
    assert mark_check_in_spot(actor=admin, asset=stops[0]) is True
    assert mark_check_in_spot(actor=admin, asset=stops[0]) is False
    assert list(queries.check_in_spot_ids().values_list("asset_id", flat=True)) == [stops[0].pk]
    assert mark_check_in_spot(actor=admin, asset=stops[0], spot=False) is True
    assert not CheckInSpot.objects.exists()
