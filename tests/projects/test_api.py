"""The REST API of projects: scoped reading, the operations behind writing, the bad inputs, the schema."""

import datetime
import re

import pytest
from rest_framework.test import APIClient

from projects import operations
from projects.models import FundingLine, Project
from projects.phases import Phase
from registry.staffing import Role
from tests.dataio.test_ogc import ogrinfo
from tests.factories import AdopterFactory, make_staff
from tests.projects.conftest import CREDIT_CODE, make_project, png_upload


@pytest.fixture
def api():
    return APIClient()


def test_the_list_is_scoped_filtered_and_carries_totals(api, west_staff, west_project, east_project):
    make_project(west_staff, name="内部项目", is_public=False)
    operations.add_funding(actor=west_staff, project=west_project, source="district_budget", amount_planned="300.50")
    rows = api.get("/api/v1/projects/").json()["results"]
    assert sorted(row["name_zh"] for row in rows) == sorted([west_project.name_zh, east_project.name_zh])
    west = api.get("/api/v1/projects/", {"street": "W"}).json()["results"]
    assert [(row["street"], row["funding_planned"], row["phase"], row["progress"]) for row in west] == [
        ("W", "300.50", "proposal", "0.0")]
    api.force_authenticate(west_staff)
    assert len(api.get("/api/v1/projects/").json()["results"]) == 3
    assert api.get("/api/v1/projects/", {"colour": "red"}).status_code == 400


def test_the_detail_shows_public_funding_and_contractors_without_contacts(api, west_staff, west_project):
    sponsor = AdopterFactory(display_name="荔湾花木有限公司", mobile="13912345678")
    operations.add_funding(actor=west_staff, project=west_project, source="enterprise", sponsor=sponsor,
                           amount_planned="1000")
    operations.add_contractor(actor=west_staff, project=west_project, role="construction", name="西关建设",
                              credit_code=CREDIT_CODE)
    response = api.get(f"/api/v1/projects/{west_project.pk}/")
    data = response.json()
    assert data["funding_lines"][0]["sponsor"] == "荔湾花木有限公司" and "13912345678" not in response.content.decode()
    assert data["contractors"][0]["name"] == "西关建设" and CREDIT_CODE not in response.content.decode()
    assert data["site"]["type"] == "Point" and data["phase_events"][0]["phase"] == "proposal"


def test_staff_create_and_run_a_project_through_the_api(api, west_staff):
    api.force_authenticate(west_staff)
    response = api.post("/api/v1/projects/", {"name_zh": "API花园", "kind": "garden",
                                              "site": "POINT(113.236 23.123)"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(f"/api/v1/projects/{pk}/phase/", {"phase": "construction"}, format="json")
    assert response.json()["phase"] == "construction" and response.json()["progress"] == "50.0"
    response = api.post(f"/api/v1/projects/{pk}/funding/", {"source": "residents", "amount_planned": "10",
                                                            "amount_received": "12"}, format="json")
    assert response.status_code == 201 and response.json()["warnings"]
    response = api.post(f"/api/v1/projects/{pk}/milestones/", {
        "date": "2026-04-01", "text": "完工", "progress": 100, "photos": [png_upload("a.png"), png_upload("b.png")],
        "stages": ["before", "after"]}, format="multipart")
    assert response.status_code == 201, response.content
    assert [photo["stage"] for photo in response.json()["photos"]] == ["before", "after"]
    assert Project.objects.get(pk=pk).rolled_progress == 100


@pytest.mark.parametrize("path, body, field", [
    ("phase", {"phase": "proposal"}, "note"),
    ("funding", {"source": "street_budget", "amount_planned": "-1"}, "amount_planned"),
    ("funding", {"source": "street_budget", "amount_planned": "很多"}, "amount_planned"),
    ("contractors", {"role": "design", "name": "设计院", "credit_code": "123"}, "credit_code"),
])
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(api, west_staff, west_project, path, body, field):
    operations.change_phase(actor=west_staff, project=west_project, phase=Phase.DESIGN,
                            date=datetime.date(2026, 4, 1))
    api.force_authenticate(west_staff)
    response = api.post(f"/api/v1/projects/{west_project.pk}/{path}/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not FundingLine.objects.exists() and not west_project.contractors.exists()
    assert Project.objects.get(pk=west_project.pk).phase == Phase.DESIGN


def test_a_milestone_photo_without_a_stage_is_refused(api, west_staff, west_project):
    api.force_authenticate(west_staff)
    response = api.post(f"/api/v1/projects/{west_project.pk}/milestones/", {
        "date": "2026-04-01", "text": "x", "photos": [png_upload()], "stages": ["sideways"]}, format="multipart")
    assert response.status_code == 400 and not west_project.milestones.exists()


def test_another_streets_staff_get_403_and_anonymous_401_or_403(api, east_staff, west_project):
    assert api.post(f"/api/v1/projects/{west_project.pk}/phase/", {"phase": "design"},
                    format="json").status_code in (401, 403)
    api.force_authenticate(east_staff)
    assert api.post(f"/api/v1/projects/{west_project.pk}/phase/", {"phase": "design"},
                    format="json").status_code == 403
    response = api.post("/api/v1/projects/", {"name_zh": "越界", "kind": "garden", "site": "POINT(113.236 23.123)"},
                        format="json")
    assert response.status_code == 403
    assert Project.objects.count() == 1 and Project.objects.get().phase == Phase.PROPOSAL


def test_the_openapi_schema_lists_the_project_endpoints(api, db):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/projects/{id}/phase/",
                 "/api/v1/projects/{id}/funding/", "/api/v1/projects/{id}/contractors/",
                 "/api/v1/projects/{id}/milestones/"):
        assert path in schema["paths"], path


# OGC API – Features: the projects collection ---------------------------------------------------------

def test_the_ogc_collection_holds_the_public_projects(client, west_staff, west_project, east_project):
    make_project(west_staff, name="内部项目", is_public=False)
    operations.add_funding(actor=west_staff, project=west_project, source="district_budget", amount_planned="500")
    collections = client.get("/ogc/collections").json()["collections"]
    assert "projects" in [collection["id"] for collection in collections]
    items = client.get("/ogc/collections/projects/items").json()
    assert items["numberMatched"] == 2 and "external_id" not in items["features"][0]["properties"]
    west = next(f for f in items["features"] if f["id"] == west_project.pk)
    assert west["geometry"]["type"] == "Point" and west["properties"]["funding_planned"] == "500.00"
    assert client.get("/ogc/collections/projects/items", {"bbox": "113.24,23.12,113.25,23.13"}).json()[
        "numberMatched"] == 1
    assert client.get(f"/ogc/collections/projects/items/{west_project.pk}").json()["properties"]["phase"] == "proposal"
    client.force_login(west_staff)
    assert client.get("/ogc/collections/projects/items").json()["numberMatched"] == 3


@pytest.mark.django_db(transaction=True)
def test_gdal_reads_the_projects_collection_with_the_public_count(live_server, district):
    staff = make_staff(Role.STREET_STAFF, username="west-gdal", streets=[district["W"]])
    for number in range(3):
        make_project(staff, name=f"公开项目{number}")
    make_project(staff, name="内部项目", is_public=False)
    summary = ogrinfo("-so", f"OAPIF:{live_server.url}/ogc/", "projects")
    assert re.search(r"Feature Count: 3\b", summary), summary
    full = ogrinfo("-oo", "PAGE_SIZE=2", "-q", f"OAPIF:{live_server.url}/ogc/", "projects")
    assert full.count("OGRFeature(") == 3 and "内部项目" not in full
