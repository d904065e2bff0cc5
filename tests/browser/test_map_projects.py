"""The map's "renovation projects" layer: ticked, it draws the public projects by phase; a tap on one
opens a popup linking to its page; the phase filter leaves out the other phases."""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from projects import operations
from projects.models import ProjectKind
from projects.phases import Phase
from tests.factories import make_district_admin, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)

AT = (23.1225, 113.2355)  # lat, lon in street W


@pytest.fixture
def project(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    make_test_district()
    admin = make_district_admin("map-admin")
    project = operations.create_project(actor=admin, name_zh="荔枝湾花园改造", name_en="Lizhiwan garden renewal",
                                        kind=ProjectKind.GARDEN, site=Point(AT[1], AT[0], srid=4326))
    operations.change_phase(actor=admin, project=project, phase=Phase.CONSTRUCTION)
    return project


def test_the_projects_layer_draws_links_and_filters_by_phase(open_page, live_server, project):
    recorded = open_page(locale="en-US")
    page = recorded.page
    page.goto(f"{live_server.url}/?z=17&lat={AT[0]}&lon={AT[1]}&base=none", wait_until="domcontentloaded")
    page.wait_for_function("() => window.registryMap && window.registryMap.isIdle()")
    page.get_by_label("Show renovation projects").check()
    page.wait_for_selector("#map-projects[data-projects=loaded]")
    box = page.locator("#map").bounding_box()
    point = page.evaluate("([lat, lon]) => window.registryMap.latLngToContainerPoint(lat, lon)", list(AT))
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    popup = page.locator(".project-popup")
    popup.wait_for()
    assert popup.get_by_role("link").inner_text() == "Lizhiwan garden renewal"
    assert "construction · 50%" in popup.inner_text()
    assert popup.get_by_role("link").get_attribute("href") == f"/projects/{project.pk}/"

    page.keyboard.press("Escape")
    with page.expect_response(lambda response: "/tiles/projects/" in response.url and "phase=in_use" in response.url):
        page.get_by_label("Phase", exact=True).select_option("in_use")
    page.wait_for_selector("#map-projects[data-projects=loaded]")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(300)
    assert page.locator(".project-popup").count() == 0
    assert recorded.errors == [] and recorded.dialogs == []
