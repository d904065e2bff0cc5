"""On a phone, in Chinese and in English, with no JavaScript error: a visitor opens a check-in route,
sees its numbered stops on the map and in the list, and downloads its GPX; then opens the public
dashboard, picks a street, and sees the charts change.

Screenshots: /tmp/route-phone-<lang>.png, /tmp/dashboard-phone-<lang>.png.
"""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.utils import timezone

from routes.operations import StopInput, save_route
from tests.browser.devices import PHONE
from tests.factories import GardenFactory, GreenPlotFactory, MuralFactory, make_district_admin, make_test_district
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = (("zh-CN", "zh", "下载 GPX"), ("en-US", "en", "Download GPX"))


@pytest.fixture
def route():
    cache.clear()
    make_test_district()
    admin = make_district_admin("district")
    stops = [MuralFactory(name_zh=f"壁画{n}", name_en=f"Mural {n}", geometry=Point(113.236 + n * 0.003, 23.125, srid=4326))
             for n in range(3)]
    garden = GardenFactory(name_zh="西园")
    GreenPlotFactory()
    UpkeepLog.objects.create(asset=garden, action="watering", staff=admin,
                             performed_at=timezone.now() - datetime.timedelta(days=3))
    return save_route(actor=admin, values={"name_zh": "西关壁画之旅", "name_en": "Xiguan murals walk",
                                           "theme": "murals", "is_published": True},
                      stops=[StopInput(asset.pk) for asset in stops]).route


def test_a_visitor_follows_a_route_and_downloads_its_gpx(open_page, live_server, route, tmp_path):
    for locale, lang, download in LANGUAGES:
        recorded = open_page(locale=locale, accept_downloads=True, **PHONE)
        page = recorded.page
        page.goto(f"{live_server.url}/routes/{route.pk}/", wait_until="domcontentloaded")
        page.locator("[data-route-map][data-drawn=true]").wait_for()
        markers = page.locator(".route-stop-marker")
        assert markers.all_inner_texts() == ["1", "2", "3"]
        assert page.locator(".route-stop-number").all_inner_texts() == ["1", "2", "3"]
        with page.expect_download() as info:
            page.get_by_role("link", name=download).click()
        path = tmp_path / f"route-{lang}.gpx"
        info.value.save_as(path)
        text = path.read_text()
        assert 'xmlns="http://www.topografix.com/GPX/1/1"' in text and text.count("<wpt ") == 3
        page.screenshot(path=f"/tmp/route-phone-{lang}.png", full_page=True)
        assert recorded.errors == [] and recorded.dialogs == []


def test_a_resident_picks_a_street_and_the_charts_change(open_page, live_server, route):
    for locale, lang, _download in LANGUAGES:
        recorded = open_page(locale=locale, **PHONE)
        page = recorded.page
        page.goto(f"{live_server.url}/dashboard/", wait_until="domcontentloaded")
        chart = page.locator("[data-chart='assets.by_kind'] table")
        district = chart.inner_text()
        page.locator("select[name=street]").select_option("E")  # the form submits itself
        page.wait_for_url("**street=E**")
        page.locator("[data-dashboard-area='E']").wait_for()
        assert chart.inner_text() != district
        assert page.locator("[data-chart='assets.by_kind'] svg[role=img]").count() == 1
        assert page.locator("html").get_attribute("lang").startswith(lang)
        page.screenshot(path=f"/tmp/dashboard-phone-{lang}.png", full_page=True)
        assert recorded.errors == [] and recorded.dialogs == []
