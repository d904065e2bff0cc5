"""The consultation API: figures, lists (published only for the public) and status changes."""

import datetime

import pytest
from rest_framework.test import APIClient

from consultation.models import ResolutionStatus
from tests.consultation.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


def test_figures_endpoint_with_filters_and_bad_input(client, west_staff, district):
    make_meeting(west_staff, district["W1"])
    body = client.get("/api/v1/consultation/figures/", {"street": "W", "from": "2026-01-01"}).json()
    assert (body["formed"], body["executed"], body["execution_rate"], body["street"]) == (1, 0, 0.0, "W")
    assert client.get("/api/v1/consultation/figures/", {"community": "E1"}).json()["execution_rate"] is None
    assert client.get("/api/v1/consultation/figures/", {"street": "X"}).status_code == 400
    assert client.get("/api/v1/consultation/figures/", {"from": "2026-13-01"}).status_code == 400
    assert client.get("/api/v1/consultation/figures/", {"street": "W", "community": "E1"}).status_code == 400
    assert client.get("/api/v1/consultation/figures/", {"bogus": "1"}).status_code == 400


def test_lists_show_the_public_only_published_meetings(client, west_staff, district):
    make_meeting(west_staff, district["W1"])
    make_meeting(west_staff, district["W1"], topic="内部", is_published=False)
    meetings = client.get("/api/v1/consultation/meetings/").json()["results"]
    assert [m["topic"] for m in meetings] == ["楼道加装扶手"]
    assert meetings[0]["resolutions"][0]["votes_for"] == 37
    client.force_authenticate(west_staff)
    assert len(client.get("/api/v1/consultation/meetings/", {"community": "W1"}).json()["results"]) == 2
    resolutions = client.get("/api/v1/consultation/resolutions/", {"status": "adopted", "level": "building"})
    assert resolutions.status_code == 200 and len(resolutions.json()["results"]) == 2
    assert client.get("/api/v1/consultation/resolutions/", {"status": "done"}).status_code == 400


def test_status_changes_through_the_api(client, west_staff, east_staff, district):
    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    url = f"/api/v1/consultation/resolutions/{resolution.pk}/"
    assert client.post(url + "start/").status_code in (401, 403)
    client.force_authenticate(east_staff)
    assert client.post(url + "start/").status_code == 403
    client.force_authenticate(west_staff)
    assert client.post(url + "start/").json()["status"] == ResolutionStatus.IN_PROGRESS
    bad = client.post(url + "execute/", {"executed_on": "2026-01-01"}, format="json")
    assert bad.status_code == 400 and "不能早于议事日期" in str(bad.json())
    done = client.post(url + "execute/", {"executed_on": "2026-06-01"}, format="json").json()
    assert done["status"] == "executed" and done["executed_on"] == str(datetime.date(2026, 6, 1))
    assert client.post(url + "not-feasible/", {"reason": "x"}, format="json").status_code == 400
