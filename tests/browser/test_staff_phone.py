"""Street staff on a phone: sign in, find the nearest asset by the phone's position, log watering
with a photo taken on site, and resolve the asset's open problem report with that work.

The browser context grants geolocation at a fixed position beside the garden. Screenshots:
/tmp/staff-near-me-phone.png, /tmp/staff-log-phone.png.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from PIL import Image

from problems.models import ProblemReport, ProblemStatus
from registry.staffing import Role
from tests.browser.conftest import basemap_host_patterns
from tests.browser.devices import PHONE
from tests.factories import GardenFactory, GreenPlotFactory, MuralFactory, make_staff, make_test_district, square
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db(transaction=True)

HERE = {"latitude": 23.12212, "longitude": 113.23530}
PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def street(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # rate-limit counters and tiles of earlier tests
    areas = make_test_district()
    staff = make_staff(Role.STREET_STAFF, username="chen", streets=[areas["W"]])
    staff.set_password(PASSWORD)
    staff.save()
    garden = GardenFactory(name_zh="荔枝湾花园", name_en="Lizhiwan garden", geometry=square(113.2355, 23.1222))
    GreenPlotFactory(name_zh="远处绿地", name_en="Far plot", geometry=square(113.2320, 23.1280))
    MuralFactory(name_zh="东街墙绘", name_en="East street mural")  # another street: never listed
    report = ProblemReport.objects.create(asset=garden, category="damaged_plants", description="花苗枯萎")
    return {"garden": garden, "report": report, "staff": staff}


def photo_file(tmp_path):
    path = tmp_path / "watering.jpg"
    Image.new("RGB", (1200, 900), (40, 120, 60)).save(path, format="JPEG")
    return str(path)


def test_staff_log_watering_with_a_photo_near_them_and_resolve_the_open_problem(open_page, live_server, street,
                                                                               tmp_path):
    recorded = open_page(locale="en-US", geolocation=HERE, permissions=["geolocation"], **PHONE)
    page = recorded.page
    page.goto(f"{live_server.url}/staff/", wait_until="domcontentloaded")
    page.wait_for_url("**/accounts/login/?next=/staff/")
    page.get_by_label("Mobile number or user name").fill("chen")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/")

    # Near me: the browser's position lists the nearest assets of the staff member's street.
    page.get_by_role("button", name="Near me").click()
    page.wait_for_url("**/staff/?lat=*")
    cards = page.locator(".asset-card")
    assert cards.count() == 2
    assert "Lizhiwan garden" in cards.first.inner_text() and "East street mural" not in page.content()
    assert page.locator(".staff-map.leaflet-container path.leaflet-interactive").count() >= 2  # markers drawn
    page.screenshot(path="/tmp/staff-near-me-phone.png", full_page=True)

    cards.first.get_by_role("link", name="Log upkeep").click()
    page.wait_for_url(f"**/staff/assets/{street['garden'].pk}/log/")
    page.locator("[data-position-status]", has_text="Position recorded.").wait_for()
    assert page.locator("input[name=photos]").get_attribute("capture") == "environment"
    page.get_by_label("Work done").select_option("watering")
    page.get_by_label("Duration (minutes)").fill("25")
    page.get_by_label("People").fill("2")
    page.set_input_files("input[name=photos]", photo_file(tmp_path))
    page.get_by_label(f"#{street['report'].pk} damaged plants").check()
    page.get_by_label("Public reply").fill("已浇水补救，花苗恢复中。")
    page.screenshot(path="/tmp/staff-log-phone.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/staff/assets/{street['garden'].pk}/")
    assert "Upkeep logged" in page.locator(".staff-messages").inner_text()
    assert "Open problems" not in page.content()

    log = UpkeepLog.objects.get()
    assert (log.action, log.duration_minutes, log.participants, log.staff) == ("watering", 25, 2, street["staff"])
    assert log.position.distance(Point(HERE["longitude"], HERE["latitude"], srid=4326)) < 1e-6
    assert log.photos.count() == 1
    report = ProblemReport.objects.get()
    assert (report.status, report.resolved_by_log) == (ProblemStatus.RESOLVED, log)
    assert recorded.dialogs == [] and recorded.errors == []
    # Only basemap tiles were asked of other hosts (and refused: the test runs offline).
    hosts = basemap_host_patterns()
    assert all(any(host.match(urlsplit(url).hostname) for host in hosts)
               for url in recorded.foreign_requests(live_server.url))
