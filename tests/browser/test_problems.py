"""A resident reports a problem from a phone: the asset page's button, the form with a photo, the
thank-you page; the problem then shows on the asset page and in the map's popup.

Screenshot: /tmp/problem-report-phone.png.
"""


import pytest
from django.core.cache import cache
from django.contrib.gis.geos import Point
from PIL import Image

from problems.models import ProblemReport
from tests.browser.devices import PHONE
from tests.factories import PaintedBoxFactory, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def box(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # tiles and rate-limit counters of earlier tests (see test_map.assets)
    make_test_district()
    return PaintedBoxFactory(name_zh="龙舟彩绘电箱", name_en="Dragon boat painted box", address="逢源路3号",
                             geometry=Point(113.2360, 23.1230, srid=4326))


def photo_file(tmp_path):
    path = tmp_path / "graffiti.jpg"
    Image.new("RGB", (800, 600), (180, 30, 30)).save(path, format="JPEG")
    return str(path)


def test_resident_reports_a_defaced_box_from_a_phone(open_page, live_server, box, tmp_path):
    recorded = open_page(locale="en-US", **PHONE)
    page = recorded.page
    page.goto(f"{live_server.url}/assets/{box.pk}/", wait_until="domcontentloaded")
    page.get_by_role("link", name="Report a problem").click()
    page.wait_for_url(f"**/assets/{box.pk}/report/")

    # Nothing chosen, nothing written: the form says what is missing.
    page.get_by_role("button", name="Send report").click()
    assert "This field is required." in page.locator(".problem-form").inner_text()

    page.get_by_label("mural defaced").check()
    page.get_by_label("Describe it").fill("有人在电箱上乱涂乱画")
    page.set_input_files("input[name=photos]", photo_file(tmp_path))
    page.get_by_label("Email").fill("resident@example.org")
    page.get_by_label("The street office may keep my contact").check()
    trap = page.locator("input[name=website]").bounding_box()
    assert trap["x"] + trap["width"] <= 0  # the honeypot stays out of sight
    page.screenshot(path="/tmp/problem-report-phone.png", full_page=True)
    page.get_by_role("button", name="Send report").click()
    page.get_by_role("heading", name="Thank you").wait_for()

    report = ProblemReport.objects.get()
    assert (report.category, report.reporter_email, report.photos.count()) == ("mural_defaced",
                                                                                "resident@example.org", 1)
    page.get_by_role("link", name="Back to Dragon boat painted box").click()
    assert "1 open problem" in page.locator(".asset-problems").inner_text()

    # On the map: the search opens the popup, which counts the open problem.
    page.goto(live_server.url + "/", wait_until="domcontentloaded")
    page.wait_for_function("() => window.registryMap && window.registryMap.isIdle()")
    page.locator("#map-search-q").fill("龙舟")
    page.locator("#map-search-q").press("Enter")
    page.locator(".search-result").first.click()
    page.locator(".asset-popup-problems").wait_for()
    assert page.locator(".asset-popup-problems").inner_text() == "1 open problem"
    assert recorded.dialogs == [] and recorded.errors == []
