"""Issue 13, items 7, 17 and 20 in Chromium on a 390 px phone: the plaque and the certificate fit the
screen (no sideways scroll) and keep their print size on paper; the staff navigation shows every
entry; the statistics table scrolls inside its own box; the workbench map shows the worker's area.

Screenshots: /tmp/phone-plaque.png, /tmp/phone-certificate.png, /tmp/phone-statistics.png.
"""

import pytest
from django.core.cache import cache

from adoption.models import AdoptionStatus
from staff.navigation import nav_links
from tests.browser.test_accessibility import signed_in
from upkeep.operations import log_upkeep
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GreenPlotFactory,
    UserFactory,
    make_district_admin,
    make_test_district,
    square,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    make_test_district()
    plot = GreenPlotFactory(name_zh="多宝路二十六号认领绿地", name_en="Duobao Road No. 26 adopted green plot",
                            geometry=square(113.235, 23.122), is_adoptable=True)
    adopter = AdopterFactory(user=UserFactory(username="volunteer"), display_name="荔湾区多宝街道社区志愿服务队")
    adoption = AdoptionFactory(adopter=adopter, asset=plot, status=AdoptionStatus.APPROVED,
                               duties="每周浇水两次，每月除草修剪一次，保持地块整洁。")
    return {"plot": plot, "adopter": adopter.user, "adoption": adoption, "staff": make_district_admin("admin")}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_plaque_and_the_certificate_fit_a_phone_and_keep_their_print_size(open_page, live_server, scene):
    page = open_page(locale="zh-CN", **PHONE).page
    page.goto(f"{live_server.url}/assets/{scene['plot'].pk}/plaque/", wait_until="networkidle")
    assert page_width(page) <= 390
    page.screenshot(path="/tmp/phone-plaque.png", full_page=True)
    page.emulate_media(media="print")
    # On paper: the A5 sheet, 148 mm wide (96 px per inch).
    assert abs(page.locator(".plaque").bounding_box()["width"] - 148 / 25.4 * 96) < 2
    page.emulate_media(media="screen")

    signed_in(page, live_server, scene["adopter"])
    page.goto(f"{live_server.url}/me/adoptions/{scene['adoption'].pk}/certificate/", wait_until="networkidle")
    assert page_width(page) <= 390
    page.screenshot(path="/tmp/phone-certificate.png", full_page=True)
    page.emulate_media(media="print")
    assert abs(page.locator(".certificate").bounding_box()["width"] - 297 / 25.4 * 96) < 2  # A4 landscape


def test_staff_navigation_shows_every_entry_and_the_statistics_table_scrolls_in_its_box(open_page, live_server,
                                                                                       scene):
    page = open_page(locale="zh-CN", **PHONE).page
    signed_in(page, live_server, scene["staff"])
    page.goto(f"{live_server.url}/staff/statistics/", wait_until="networkidle")
    links = page.locator(".staff-nav a")
    assert links.count() == len(nav_links(scene["staff"])) >= 9  # every page of the workbench and the programmes
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert links.nth(index).is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, \
            links.nth(index).inner_text()
    assert page.locator(".site-header").get_by_text("工作台").count() == 0  # once, in the staff navigation
    assert page_width(page) <= 390
    table_box = page.locator(".table-scroll").first
    scroll, client = table_box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert scroll > client and client <= 390  # the table is wider than the phone: it scrolls inside its box
    page.screenshot(path="/tmp/phone-statistics.png", full_page=True)

    # The history's tables of old → new values wrap inside the page, long notes and all.
    log_upkeep(actor=scene["staff"], asset=scene["plot"], action="watering",
               notes="浇水" * 80 + "https://example.org/" + "a" * 120)
    for path in (f"/staff/assets/{scene['plot'].pk}/history/", f"/staff/assets/{scene['plot'].pk}/", "/staff/import/",
                 "/staff/problems/", "/staff/adoptions/", "/staff/overdue/"):
        page.goto(live_server.url + path, wait_until="networkidle")
        assert page_width(page) <= 390, path


def test_the_workbench_map_shows_the_workers_area_before_any_search(open_page, live_server, scene):
    recorded = open_page(locale="zh-CN", **PHONE)
    page = recorded.page
    signed_in(page, live_server, scene["staff"])
    page.goto(f"{live_server.url}/staff/", wait_until="networkidle")
    page.locator(".staff-map[data-area-drawn]").wait_for()
    assert page.locator(".staff-map path").count() >= 1  # the outline of the district
    assert recorded.errors == []
