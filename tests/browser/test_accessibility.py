"""Every page people use, scanned by axe-core in Chromium, in Chinese and in English, on a phone
(and checked for template syntax showing as text).

axe-core (the engine of most accessibility checkers) comes with the ``axe-playwright-python``
package and runs in the page; nothing is fetched. The rules are WCAG 2.0–2.2 A and AA plus axe's
best practices; any violation fails the test with the rule, the page and the elements.
"""

import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from adoption.models import AdoptionStatus
from problems.operations import categories_for, report_problem
from registry.photos.pipeline import add_photo
from routes.operations import StopInput, save_route
from tests.browser.axe import axe_violations
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GardenFactory,
    GreenPlotFactory,
    UserFactory,
    make_district_admin,
    make_test_district,
    square,
)
from upkeep.operations import log_upkeep

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread must see the rows

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    make_test_district()
    garden = GardenFactory(name_zh="逢源邻里花园", name_en="Fengyuan neighbourhood garden",
                           geometry=square(113.235, 23.122))
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 140, 60)).save(buffer, format="JPEG")
    staff = make_district_admin(username="district-admin")
    add_photo(asset=garden, upload=SimpleUploadedFile("garden.jpg", buffer.getvalue(), "image/jpeg"),
              uploaded_by=staff, caption="花园一角")
    adopter = AdopterFactory(user=UserFactory(username="volunteer"), display_name="荔湾志愿者队")
    adoption = AdoptionFactory(adopter=adopter, asset=garden, status=AdoptionStatus.APPROVED)
    plot = GreenPlotFactory(geometry=square(113.245, 23.128))
    AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED)
    route = save_route(actor=staff, values={"name_zh": "花园小路", "name_en": "Garden walk", "is_published": True},
                       stops=[StopInput(garden.pk, "起点"), StopInput(plot.pk)]).route
    log_upkeep(actor=staff, asset=garden, action="watering", notes="浇水")
    report = report_problem(actor=None, asset=garden, category=categories_for(garden.kind)[0][0],
                            description="水管漏水").report
    return {"garden": garden, "route": route, "staff": staff, "adopter": adopter.user, "adoption": adoption, "report": report}


def signed_in(page, live_server, user):
    """Give the browser the session of ``user`` (signed in through Django's test client)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def violations(page, url, status=200) -> list[str]:
    response = page.goto(url, wait_until="networkidle")
    # The page itself, not a sign-in redirect (the map adds its view to the query string).
    assert (response.status, urlsplit(page.url).path) == (status, urlsplit(url).path)
    text = page.inner_text("body")
    assert not any(tag in text for tag in ("{#", "{%", "{{")), f"template syntax shows on {url}"
    return axe_violations(page)


@pytest.mark.parametrize("locale", ["zh-CN", "en-GB"])
def test_public_adopter_and_staff_pages_have_no_accessibility_violations(open_page, live_server, scene, locale):
    garden, base = scene["garden"], live_server.url
    page = open_page(locale=locale, viewport=PHONE).page
    found = []
    for path in ["/", f"/assets/{garden.pk}/", f"/assets/{garden.pk}/plaque/", f"/assets/{garden.pk}/report/",
                 f"/assets/{garden.pk}/problems/", "/adopt/", "/adopt/looking/", "/accounts/login/",
                 "/routes/", f"/routes/{scene['route'].pk}/", f"/routes/{scene['route'].pk}/leaflet/", "/dashboard/"]:
        found += violations(page, base + path)
    found += violations(page, base + "/assets/999999/", status=404)

    signed_in(page, live_server, scene["adopter"])
    for path in ["/me/", f"/me/assets/{garden.pk}/care/", f"/me/adoptions/{scene['adoption'].pk}/certificate/"]:
        found += violations(page, base + path)

    signed_in(page, live_server, scene["staff"])
    for path in ["/staff/", "/staff/overdue/", "/staff/statistics/", "/staff/import/", "/staff/adoptions/",
                 "/staff/problems/", f"/staff/problems/{scene['report'].pk}/", f"/staff/assets/{garden.pk}/",
                 f"/staff/assets/{garden.pk}/history/", "/staff/offline/"]:
        found += violations(page, base + path)
    assert found == []
