"""Adoption end to end in Chromium: an enterprise signs up from the asset page and applies, the street's
staff approve it on their queue (with its map), the enterprise logs care with a photo, and the asset page
and the map popup credit the enterprise.

Offline like the map tests (see conftest): only the live server answers. Screenshots:
/tmp/adoption-queue.png, /tmp/adoption-dashboard.png, /tmp/adoption-asset.png.
"""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from adoption.models import Adopter, Adoption, AdoptionStatus
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import GreenPlotFactory, make_staff, make_test_district, square
from upkeep.models import UpkeepLog

# The live server's thread must see the test's rows: real commits, hence transaction=True.
pytestmark = pytest.mark.django_db(transaction=True)

TENCENT = "9144030071526726XG"  # a real unified social credit code
STAFF_PASSWORD = "West-street-2025"
ADOPTER_PASSWORD = "Liwan-garden-2025"


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the live server reads the same settings
    cache.clear()  # rate-limit counters and cached tiles of earlier tests
    district = make_test_district()
    plot = GreenPlotFactory(name_zh="逢源认领绿地", name_en="Fengyuan green plot", geometry=square(113.235, 23.122))
    staff = make_staff(Role.STREET_STAFF, username="west-staff", streets=[district["W"]])
    staff.set_password(STAFF_PASSWORD)
    staff.save()
    return {"plot": plot, "staff": staff}


def photo_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 140, 60)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def sign_up_and_apply(page, base, plot):
    page.goto(f"{base}/assets/{plot.pk}/", wait_until="domcontentloaded")
    page.get_by_role("link", name="Adopt", exact=True).click()
    page.wait_for_url(f"**/adopt/?next=/assets/{plot.pk}/adopt/")
    page.get_by_label("enterprise", exact=True).check()
    assert page.locator('[data-for="person"]').is_hidden()  # the script shows only what the kind needs
    page.get_by_label("Name of the organisation or shop").fill("荔湾花木有限公司")
    page.get_by_label("Unified social credit code").fill(TENCENT)
    page.get_by_label("Contact person").fill("陈小明")
    page.get_by_label("Mobile number").fill("138 1234 5678")
    page.locator("input[name=password1]").fill(ADOPTER_PASSWORD)
    page.locator("input[name=password2]").fill(ADOPTER_PASSWORD)
    page.get_by_label("I have read the privacy notice above and agree to it.").check()
    page.get_by_role("button", name="Sign up").click()

    page.wait_for_url(f"**/assets/{plot.pk}/adopt/")
    page.get_by_label("Care pledge").fill("每周浇水两次，每月除草一次")
    page.get_by_label("Number of people taking part").fill("6")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url("**/me/")
    pending = page.locator(".adoption-pending")
    assert "Fengyuan green plot" in pending.inner_text()  # the English name, in English


def approve_as_street_staff(page, base, plot):
    page.goto(f"{base}/accounts/login/?next=/staff/adoptions/", wait_until="domcontentloaded")
    page.get_by_label("Mobile number or user name").fill("west-staff")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/adoptions/")
    card = page.locator("[data-application]")
    assert card.count() == 1
    text = card.inner_text()
    assert "荔湾花木有限公司" in text and "每周浇水两次" in text and "138****5678" in text
    card.locator(".leaflet-container path.leaflet-interactive").first.wait_for()  # the plot drawn on its small map
    page.screenshot(path="/tmp/adoption-queue.png", full_page=True)
    card.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/staff/adoptions/")
    assert "Approved: 荔湾花木有限公司 adopts" in page.locator(".staff-messages").inner_text()  # the staff layout's messages
    assert page.locator("[data-application]").count() == 0


def log_care_with_a_photo(page, base, plot):
    page.goto(f"{base}/me/", wait_until="domcontentloaded")
    assert "Your application to adopt" in page.locator(".notices").inner_text()
    page.locator(".adoption-current").get_by_role("link", name="Log care").click()
    page.wait_for_url(f"**/me/assets/{plot.pk}/care/")
    page.get_by_label("Work done").select_option("weeding")
    page.get_by_label("Hours").fill("2")
    page.get_by_label("People").fill("6")
    page.get_by_label("Photos").set_input_files([{"name": "weeding.jpg", "mimeType": "image/jpeg",
                                                  "buffer": photo_bytes()}])
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/me/")
    assert page.locator("[data-hours]").inner_text() == "12.0"  # 2 hours × 6 people
    page.screenshot(path="/tmp/adoption-dashboard.png", full_page=True)


def test_enterprise_adopts_staff_approve_care_is_credited(open_page, live_server, scene):
    plot, base = scene["plot"], live_server.url
    adopter_page = open_page(locale="en-US")
    sign_up_and_apply(adopter_page.page, base, plot)
    assert Adoption.objects.get().status == AdoptionStatus.REQUESTED

    staff_page = open_page(locale="en-US")
    approve_as_street_staff(staff_page.page, base, plot)
    assert Adoption.objects.get().status == AdoptionStatus.APPROVED

    log_care_with_a_photo(adopter_page.page, base, plot)
    log = UpkeepLog.objects.get()
    assert log.adopter == Adopter.objects.get() and Photo.objects.filter(upkeep_log=log).count() == 1

    # A resident (no account) sees the credit on the asset page and in the map's popup.
    resident = open_page(locale="en-US")
    page = resident.page
    page.goto(f"{base}/assets/{plot.pk}/", wait_until="domcontentloaded")
    assert "Adopted by 荔湾花木有限公司 (enterprise)" in page.locator(".adopter-current").inner_text()
    assert "荔湾花木有限公司" in page.locator(".asset-upkeep").inner_text()
    assert page.locator(".asset-photos img").count() == 1
    page.screenshot(path="/tmp/adoption-asset.png", full_page=True)
    popup = page.evaluate(f"fetch('/assets/{plot.pk}/popup.json').then(response => response.json())")
    assert (popup["adopter_name"], popup["adopter_kind_label"], popup["looking_for_adopter"]) == (
        "荔湾花木有限公司", "enterprise", False)
    for secret in ("13812345678", "138****5678", "陈小明", TENCENT):
        assert secret not in page.content() and secret not in str(popup)

    for recorded in (adopter_page, staff_page, resident):
        assert recorded.errors == [] and recorded.dialogs == []
        assert recorded.foreign_requests(base) == [] or all(
            "tile.openstreetmap.org" in url for url in recorded.foreign_requests(base))
