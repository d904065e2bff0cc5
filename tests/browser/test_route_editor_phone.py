"""A street staff member builds a check-in route on a phone: picks two of their street's murals on the
editor's map, draws the walking line by tapping, saves; the route is stored through the operation
with both stops and the drawn line, and the page has no JS error and no axe violation. The editor
opens in Chinese for a Chinese phone.

Screenshot: /tmp/route-editor-phone.png.
"""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from registry.staffing import Role
from routes.models import Route
from tests.browser.axe import axe_violations
from tests.browser.devices import PHONE
from tests.factories import MuralFactory, make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def street_staff():
    cache.clear()
    areas = make_test_district()
    user = make_staff(Role.STREET_STAFF, username="wang", streets=[areas["W"]])
    user.set_password(PASSWORD)
    user.save()
    murals = [MuralFactory(name_zh=f"西关壁画{n}", geometry=Point(x, 23.125, srid=4326))
              for n, x in enumerate((113.236, 113.238), start=1)]
    MuralFactory(name_zh="东边壁画", geometry=Point(113.245, 23.125, srid=4326))  # street E: not offered
    return user, murals


def _sign_in(page, url):
    page.get_by_label("Mobile number or user name").fill("wang")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)


def test_street_staff_pick_stops_and_draw_a_line_on_a_phone(open_page, live_server, street_staff):
    user, murals = street_staff
    recorded = open_page(locale="en-US", **PHONE)
    page = recorded.page
    url = f"{live_server.url}/staff/routes/new/"
    page.goto(url, wait_until="domcontentloaded")
    _sign_in(page, url)
    page.wait_for_function("() => document.querySelector('[data-editor-map]').dataset.candidates === '2'")
    assert axe_violations(page) == []

    page.get_by_label("title (Chinese)").fill("西关壁画小径")
    page.get_by_label("theme").select_option("murals")
    candidates = page.locator("[data-editor-map] path.route-candidate")
    for index in range(2):
        candidates.nth(index).click()
    assert page.locator("[data-stop-list] li").count() == 2
    page.locator("[data-stop-list] li").first.get_by_label("Note").fill("从这里出发")

    page.get_by_role("button", name="Draw the line").click()
    for index in range(2):
        candidates.nth(index).click()  # in line mode a tap on a stop puts a point of the line on it
    page.locator("[data-line-status]", has_text="Walking line drawn: 2 points.").wait_for()
    page.screenshot(path="/tmp/route-editor-phone.png", full_page=True)
    page.get_by_role("button", name="Save the route").click()
    page.locator(".staff-messages", has_text="Route saved.").wait_for()

    route = Route.objects.get()
    stops = list(route.stops.order_by("position").values_list("asset_id", "note"))
    assert {asset_id for asset_id, _note in stops} == {mural.pk for mural in murals}
    assert stops[0][1] == "从这里出发"
    assert route.line is not None and route.line.num_points == 2 and route.created_by == user
    # The saved route opens in the editor again with its stops listed and its line counted.
    page.wait_for_function("() => document.querySelector('[data-editor-map]').dataset.ready === 'true'")
    assert page.locator("[data-stop-list] li").count() == 2
    assert "2 points" in page.locator("[data-line-status]").inner_text()
    assert recorded.errors == []

    chinese = open_page(locale="zh-CN", **PHONE)
    chinese.page.context.add_cookies(page.context.cookies())
    chinese.page.goto(f"{live_server.url}/staff/routes/", wait_until="domcontentloaded")
    assert chinese.page.get_by_role("heading", name="打卡路线").is_visible()
    assert "西关壁画小径" in chinese.page.content()
    assert chinese.errors == []
