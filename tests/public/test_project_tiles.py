"""The map's "renovation projects" layer: vector tiles of visible projects with a phase filter."""

import mapbox_vector_tile
import pytest
from django.core.cache import cache
from django.urls import reverse

from projects import operations
from projects.phases import Phase
from registry.map_version import current_map_version
from registry.staffing import Role
from tests.factories import make_staff
from tests.projects.conftest import make_project

# The z14 tile holding the test district's points of street W (113.235, 23.122) and E (113.245, 23.127).
Z, X, Y = 14, 13345, 7109


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(district):
    return make_staff(Role.STREET_STAFF, username="west-tiles", streets=[district["W"]])


def features(client, **query):
    response = client.get(reverse("tiles:project-tile", args=[Z, X, Y]), query)
    assert response.status_code == 200, response.content
    return mapbox_vector_tile.decode(response.content).get("projects", {}).get("features", [])


def test_the_layer_draws_visible_projects_with_their_phase_and_progress(client, staff):
    garden = make_project(staff, name="逢源花园")
    operations.change_phase(actor=staff, project=garden, phase=Phase.CONSTRUCTION)
    make_project(staff, name="内部项目", is_public=False)
    drawn = features(client)
    assert [(f["properties"]["name"], f["properties"]["phase"], f["properties"]["progress"]) for f in drawn] == [
        ("逢源花园", "construction", 50.0)]
    assert drawn[0]["geometry"]["type"] == "Point"
    client.force_login(staff)
    assert len(features(client)) == 2  # staff of the street also see its internal project


def test_the_phase_filter(client, staff):
    built = make_project(staff, name="施工中")
    operations.change_phase(actor=staff, project=built, phase=Phase.CONSTRUCTION)
    make_project(staff, name="立项中")
    assert [f["properties"]["name"] for f in features(client, phase="construction")] == ["施工中"]
    assert len(features(client, phase="construction,proposal")) == 2
    assert features(client, phase="in_use") == []
    response = client.get(reverse("tiles:project-tile", args=[Z, X, Y]), {"phase": "dreaming"})
    assert response.status_code == 400 and "dreaming" in response.content.decode()


def test_a_change_shows_on_the_next_load(client, staff):
    project = make_project(staff, name="逢源花园")
    before = current_map_version()
    assert features(client)[0]["properties"]["phase"] == "proposal"
    operations.change_phase(actor=staff, project=project, phase=Phase.DESIGN)
    assert current_map_version() != before
    assert features(client)[0]["properties"]["phase"] == "design"


def test_a_tile_outside_the_pyramid_is_404(client, db):
    assert client.get(reverse("tiles:project-tile", args=[3, 9, 0])).status_code == 404
