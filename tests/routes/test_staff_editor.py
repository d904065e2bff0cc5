"""The staff route editor (/staff/routes/): staff create and change routes through their own area's
assets with routes.operations.save_route; bad input is a message on the form and writes nothing;
another street's route is a 404; the stop candidates and the check-in spot button keep to one's area."""

import json

import pytest
from django.urls import reverse

from registry.audit import AuditEntry
from registry.staffing import Role
from routes.models import CheckInSpot, Route
from tests.factories import make_staff

EN = {"accept-language": "en"}


def _data(stops_text, line="", **values):
    return {"name_zh": "西关小巷", "name_en": "Xiguan lanes", "theme": "murals", "description": "", "pace": "67",
            "stops_text": stops_text, "line": line, **values}


def _line(*points):
    return json.dumps({"type": "LineString", "coordinates": [list(point) for point in points]})


def test_street_staff_create_a_route_with_a_drawn_line_through_their_own_assets(client, west_staff, stops):
    client.force_login(west_staff)
    line = _line((113.236, 23.125), (113.2375, 23.1251), (113.239, 23.125))
    response = client.post(reverse("staff-route-create"),
                           _data(f"{stops[0].pk} 起点\n{stops[1].pk}", line=line, is_published="on"),
                           headers=EN)  # the message is translated when it is added
    route = Route.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff-route-edit", args=[route.pk])
    assert [(stop.asset_id, stop.note) for stop in route.stops.order_by("position")] == [
        (stops[0].pk, "起点"), (stops[1].pk, "")]
    assert route.is_published and route.line.num_points == 3
    assert AuditEntry.objects.filter(action="route.create", object_id=route.pk, actor=west_staff).exists()
    page = client.get(reverse("staff-route-edit", args=[route.pk]), headers=EN).content.decode()
    assert "Route saved." in page and f"{stops[0].pk} 起点" in page
    assert reverse("staff-routes") in page  # the staff navigation links the editor


@pytest.mark.parametrize(("stops_text", "line", "message"), [
    ("{a}", "", "A route needs at least two stops."),
    ("{a}\n{a} again", "", "Stop 2 is the same place as the stop before it."),
    ("{a}\nnot-an-id", "", "Line 2: start with the asset&#x27;s id."),
    ("{a}\n{b}", '{"type": "LineString", "coordinates": [[113.2', "The walking line is not a readable line."),
    ("{a}\n{b}", _line((113.236, 23.125)), "The walking line is not a readable line."),
    ("{a}\n{b}", '{"type": "Point", "coordinates": [113.236, 23.125]}',
     "The walking line must be one line of at least two points (WGS-84)."),
])
def test_bad_input_is_a_message_on_the_form_and_writes_nothing(client, west_staff, stops, stops_text, line, message):
    client.force_login(west_staff)
    text = stops_text.format(a=stops[0].pk, b=stops[1].pk)
    response = client.post(reverse("staff-route-create"), _data(text, line=line), headers=EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Route.objects.exists() and not AuditEntry.objects.filter(action__startswith="route.").exists()


def test_a_stop_outside_ones_street_is_refused(client, west_staff, stops):
    client.force_login(west_staff)
    response = client.post(reverse("staff-route-create"), _data(f"{stops[0].pk}\n{stops[2].pk}"), headers=EN)
    assert response.status_code == 403
    assert "A route may pass only through the assets of your own area." in response.content.decode()
    assert not Route.objects.exists()


def test_a_line_far_from_a_stop_is_saved_with_a_warning(client, west_staff, stops):
    client.force_login(west_staff)
    far = _line((113.236, 23.128), (113.239, 23.128))  # about 330 m north of both stops
    response = client.post(reverse("staff-route-create"), _data(f"{stops[0].pk}\n{stops[1].pk}", line=far),
                           headers=EN, follow=True)
    assert Route.objects.get().line is not None
    assert "The drawn line passes" in response.content.decode()


def test_editing_replaces_stops_and_clears_the_line(client, west_staff, stops):
    client.force_login(west_staff)
    client.post(reverse("staff-route-create"),
                _data(f"{stops[0].pk}\n{stops[1].pk}", line=_line((113.236, 23.125), (113.239, 23.125))))
    route = Route.objects.get()
    response = client.post(reverse("staff-route-edit", args=[route.pk]),
                           _data(f"{stops[1].pk}\n{stops[0].pk} 终点", name_zh="西关小巷（反向）"))
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.name_zh == "西关小巷（反向）" and route.line is None
    assert list(route.stops.order_by("position").values_list("asset_id", "note")) == [
        (stops[1].pk, ""), (stops[0].pk, "终点")]
    assert AuditEntry.objects.filter(action="route.update", object_id=route.pk).exists()


def test_another_streets_route_is_not_found_and_the_list_keeps_to_ones_area(client, west_staff, admin, route):
    client.force_login(west_staff)
    assert client.get(reverse("staff-route-edit", args=[route.pk])).status_code == 404
    before = list(route.stops.values_list("asset_id", flat=True))
    assert client.post(reverse("staff-route-edit", args=[route.pk]), _data("1\n2")).status_code == 404
    assert list(route.stops.values_list("asset_id", flat=True)) == before
    assert route.name_zh not in client.get(reverse("staff-routes")).content.decode()
    client.force_login(admin)
    assert route.name_zh in client.get(reverse("staff-routes")).content.decode()
    assert client.get(reverse("staff-route-edit", args=[route.pk])).status_code == 200


def test_roles_that_do_not_change_routes_get_403(client, district):
    client.force_login(make_staff(Role.GRID_WORKER, username="grid", communities=[]))
    assert client.get(reverse("staff-routes")).status_code == 403
    assert client.get(reverse("staff-route-create")).status_code == 403


def test_stop_candidates_are_ones_own_assets_in_the_box(client, west_staff, stops):
    client.force_login(west_staff)
    url = reverse("staff-route-stop-candidates")
    found = client.get(url, {"bbox": "113.23,23.12,113.25,23.13"}).json()
    assert {asset["id"] for asset in found["assets"]} == {stops[0].pk, stops[1].pk}
    assert {"name", "lon", "lat", "kind", "check_in_spot"} <= set(found["assets"][0])
    for bad in ("", "1,2,3", "113.25,23.12,113.23,23.13", "a,b,c,d"):
        response = client.get(url, {"bbox": bad}, headers=EN)
        assert response.status_code == 400 and "bbox" in response.json()["error"]


def test_the_check_in_spot_button_marks_only_ones_own_assets(client, west_staff, stops):
    client.force_login(west_staff)
    page = client.get(reverse("staff-asset", args=[stops[0].pk]), headers=EN).content.decode()
    assert "Mark as a check-in spot" in page
    assert client.post(reverse("staff-check-in-spot", args=[stops[0].pk]), {"spot": "1"}).status_code == 302
    assert CheckInSpot.objects.filter(asset=stops[0]).exists()
    assert "No longer a check-in spot" in client.get(reverse("staff-asset", args=[stops[0].pk]), headers=EN).content.decode()
    assert client.post(reverse("staff-check-in-spot", args=[stops[2].pk]), {"spot": "1"}).status_code == 404
    assert not CheckInSpot.objects.filter(asset=stops[2]).exists()
    client.post(reverse("staff-check-in-spot", args=[stops[0].pk]), {"spot": "0"})
    assert not CheckInSpot.objects.filter(asset=stops[0]).exists()
