"""The Content-Security-Policy blocks nothing the site itself needs, on every kind of page.

Each page is loaded in Chromium with a ``securitypolicyviolation`` listener installed before any
of the page's scripts run; a violation (an inline script or style, a foreign host) is a failure.
The map must still draw its assets under the policy, and the admin's Leaflet widget (the one
place with inline scripts, carrying django-csp's nonce) must still build its map.
"""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from registry.staffing import Role
from tests.factories import GardenFactory, PaintedBoxFactory, make_staff, make_test_district, square

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Lychee-Bay-2021!"
LISTEN = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    areas = make_test_district()
    staff = make_staff(Role.DISTRICT_ADMIN, username="lin")
    staff.is_staff = staff.is_superuser = True
    staff.set_password(PASSWORD)
    staff.save()
    garden = GardenFactory(name_zh="荔枝湾花园", name_en="Lizhiwan garden", geometry=square(113.2340, 23.1270))
    PaintedBoxFactory(name_zh="彩绘电箱", geometry=Point(113.2360, 23.1230, srid=4326))
    return {"garden": garden, "areas": areas}


def open_listening(open_page):
    recorded = open_page(locale="en-US")
    recorded.page.add_init_script(LISTEN)
    console = []
    recorded.page.on("console", lambda message: console.append(message.text)
                     if "Content Security Policy" in message.text else None)
    return recorded, console


def violations(recorded, console):
    return recorded.page.evaluate("() => window.__cspViolations") + console


def sign_in(page, url, path):
    page.goto(f"{url}{path}", wait_until="domcontentloaded")
    page.locator("input[name=username]").fill("lin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state("domcontentloaded")


def test_public_pages_have_no_csp_violation_and_the_map_draws(open_page, live_server, site):
    recorded, console = open_listening(open_page)
    page = recorded.page
    page.goto(live_server.url + "/", wait_until="domcontentloaded")
    page.wait_for_function("() => window.registryMap && window.registryMap.isIdle()")
    drawn = page.locator(".leaflet-assets-pane canvas")
    assert drawn.count() >= 1  # the vector tiles were drawn under the policy
    assert violations(recorded, console) == []

    for path in (f"/assets/{site['garden'].pk}/", "/adopt/", "/accounts/login/", "/api/docs/"):
        page.goto(live_server.url + path, wait_until="load")
        page.wait_for_timeout(200)
        assert violations(recorded, console) == [], path
    page.locator(".swagger-ui").first.wait_for()  # Swagger UI started from its script file
    assert recorded.errors == []


def test_staff_and_admin_pages_have_no_csp_violation(open_page, live_server, site):
    recorded, console = open_listening(open_page)
    page = recorded.page
    sign_in(page, live_server.url, "/accounts/login/?next=/staff/")
    page.goto(live_server.url + "/staff/", wait_until="load")
    assert page.url == live_server.url + "/staff/"
    assert violations(recorded, console) == []

    page.goto(f"{live_server.url}/admin/", wait_until="load")
    assert page.url == live_server.url + "/admin/"
    assert violations(recorded, console) == []
    page.goto(f"{live_server.url}/admin/gardens/neighbourhoodgarden/{site['garden'].pk}/change/", wait_until="load")
    page.locator(".leaflet-container").first.wait_for()  # the nonce let the widget's script run
    assert page.locator(".leaflet-container .leaflet-interactive").count() >= 1
    assert violations(recorded, console) == []
    assert recorded.errors == []
