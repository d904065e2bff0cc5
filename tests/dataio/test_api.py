"""The REST API at /api/v1/: GeoJSON assets with filters, bad input as 400s, the pages' scoping, writes
through the operations, token auth, and a valid OpenAPI schema served with its docs page."""

import datetime
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from adoption.models import Adoption
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GreenPlotFactory,
    MuralFactory,
    PaintedBoxFactory,
    UserFactory,
    make_staff,
)
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db
MOBILE, EMAIL = "13912345678", "secret-contact@example.org"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def world(district):
    """West: a public plot adopted by a volunteer, a private box. East: a public mural, a private box."""
    adopter = AdopterFactory(display_name="荔湾志愿队", mobile=MOBILE, email=EMAIL, contact_person="王小姐")
    plot = GreenPlotFactory(name_zh="西区绿地", external_id="P-W")
    AdoptionFactory(asset=plot, adopter=adopter, period=(datetime.date(2025, 1, 1), datetime.date(2030, 1, 1)))
    return {
        "adopter": adopter, "plot": plot,
        "west_private": PaintedBoxFactory(name_zh="西区内部电箱", is_public=False, external_id="B-W"),
        "east_mural": MuralFactory(name_zh="东区壁画", external_id="M-E"),
        "east_private": PaintedBoxFactory(name_zh="东区内部电箱", is_public=False, external_id="B-E",
                                          geometry=Point(113.245, 23.127, srid=4326)),
        "west_staff": make_staff(Role.STREET_STAFF, streets=[district["W"]]),
        "east_staff": make_staff(Role.STREET_STAFF, streets=[district["E"]]),
    }


def names(response) -> list[str]:
    return sorted(f["properties"]["name_zh"] for f in response.json()["features"])


def test_anonymous_see_public_assets_as_geojson_with_public_adopter_fields(api, world):
    response = api.get("/api/v1/assets/")
    body = response.json()
    assert response.status_code == 200 and body["type"] == "FeatureCollection" and body["count"] == 2
    assert names(response) == ["东区壁画", "西区绿地"]
    plot = next(f for f in body["features"] if f["properties"]["name_zh"] == "西区绿地")
    assert plot["geometry"]["type"] == "Polygon"
    assert plot["properties"]["adopter"] == {"display_name": "荔湾志愿队", "kind": "volunteer"}
    assert "external_id" not in plot["properties"]
    text = response.content.decode()
    assert MOBILE not in text and EMAIL not in text and "王小姐" not in text


def test_street_staff_see_their_street_private_rows_not_another_streets(api, world):
    api.force_authenticate(world["west_staff"])
    assert names(api.get("/api/v1/assets/")) == ["东区壁画", "西区内部电箱", "西区绿地"]
    assert api.get(f"/api/v1/assets/{world['east_private'].pk}/").status_code == 404
    detail = api.get(f"/api/v1/assets/{world['west_private'].pk}/").json()["properties"]
    assert detail["external_id"] == "B-W" and detail["is_public"] is False and "painter" in detail["details"]


def test_token_authentication(api, world):
    user = world["east_staff"]
    user.set_password("correct horse battery")
    user.save()
    token = api.post("/api/v1/token/", {"username": user.username, "password": "correct horse battery"}).json()["token"]
    assert Token.objects.get(user=user).key == token
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert names(client.get("/api/v1/assets/")) == ["东区内部电箱", "东区壁画", "西区绿地"]
    assert APIClient(HTTP_AUTHORIZATION="Token nope").get("/api/v1/assets/").status_code == 401


def test_filters_bbox_search_and_paging(api, world):
    assert names(api.get("/api/v1/assets/?kind=mural")) == ["东区壁画"]
    assert names(api.get("/api/v1/assets/?street=W")) == ["西区绿地"]
    assert names(api.get("/api/v1/assets/?bbox=113.244,23.126,113.246,23.128")) == ["东区壁画"]
    assert names(api.get("/api/v1/assets/?q=绿地")) == ["西区绿地"]
    page = api.get("/api/v1/assets/?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["features"]) == 1 and page["previous"] and not page["next"]


@pytest.mark.parametrize("query, field", [
    ("bbox=1,2,3", "bbox"), ("bbox=abc", "bbox"), ("bbox=114,23,113,24", "bbox"), ("limit=0", "limit"),
    ("limit=x", "limit"), ("limit=100000", "limit"), ("offset=-5", "offset"), ("colour=red", "detail"),
    ("kind=parks", "detail"), ("street=NOWHERE", "detail"), ("looking=maybe", "detail"),
])
def test_bad_queries_are_400_with_a_message(api, world, query, field):
    response = api.get(f"/api/v1/assets/?{query}")
    assert response.status_code == 400 and field in response.json(), response.content


def test_other_lists_refuse_unknown_filters_and_bad_values(api, world):
    assert api.get("/api/v1/upkeep/?colour=red").status_code == 400
    assert api.get("/api/v1/adoptions/?status=granted").status_code == 400
    assert api.get("/api/v1/problems/?category=aliens").status_code == 400
    assert api.get("/api/v1/areas/communities/?street=W").json()["features"][0]["properties"]["code"] == "W1"
    assert api.get("/api/v1/kinds/").json()[0]["id"] == "garden"


def test_adopters_list_public_fields_only(api, world):
    AdopterFactory(display_name="未认领的人")  # no granted adoption: not credited anywhere
    body = api.get("/api/v1/adopters/").json()
    assert body["results"] == [{"id": world["adopter"].pk, "display_name": "荔湾志愿队", "kind": "volunteer"}]


def test_adoption_apply_and_decide_through_the_operations_within_scope(api, world):
    applicant = AdopterFactory(user=UserFactory(), display_name="街坊")
    free_plot = GreenPlotFactory(name_zh="空地")
    api.force_authenticate(applicant.user)
    first = datetime.date.today() + datetime.timedelta(days=7)
    response = api.post("/api/v1/adoptions/", {"asset": free_plot.pk, "first_day": first.isoformat(),
                                               "last_day": (first + datetime.timedelta(days=180)).isoformat(),
                                               "duties": "每周浇水", "care_interval_days": 7}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "requested"
    adoption_id = response.json()["id"]
    assert api.post("/api/v1/adoptions/", {"asset": free_plot.pk, "colour": "red"}, format="json").status_code == 400

    api.force_authenticate(world["east_staff"])  # another street: the application is not theirs to see
    assert api.post(f"/api/v1/adoptions/{adoption_id}/approve/", {}, format="json").status_code == 404
    api.force_authenticate(world["west_staff"])
    approved = api.post(f"/api/v1/adoptions/{adoption_id}/approve/", {"reason": "欢迎"}, format="json")
    assert approved.status_code == 200 and Adoption.objects.get(pk=adoption_id).status == "approved"

    api.force_authenticate(None)
    public = api.get("/api/v1/adoptions/").json()["results"]
    assert {a["id"] for a in public} >= {adoption_id} and all("decision_reason" not in a for a in public)


def test_upkeep_logs_written_by_staff_in_scope_only(api, world):
    api.force_authenticate(world["west_staff"])
    response = api.post("/api/v1/upkeep/", {"asset": world["plot"].pk, "action": "watering", "notes": "浇透",
                                            "duration_minutes": 30}, format="json")
    assert response.status_code == 201 and response.json()["notes"] == "浇透"
    denied = api.post("/api/v1/upkeep/", {"asset": world["east_mural"].pk, "action": "cleaning"}, format="json")
    assert denied.status_code == 403
    unseen = api.post("/api/v1/upkeep/", {"asset": world["east_private"].pk, "action": "cleaning"}, format="json")
    assert unseen.status_code == 400
    api.force_authenticate(None)
    assert api.post("/api/v1/upkeep/", {"asset": world["plot"].pk, "action": "watering"}, format="json"
                    ).status_code in (401, 403)
    logs = api.get(f"/api/v1/upkeep/?asset={world['plot'].pk}").json()["results"]
    assert [log["action"] for log in logs] == ["watering"] and "notes" not in logs[0]
    assert UpkeepLog.objects.count() == 1


def test_problem_reports_filed_by_anyone_answered_by_their_street_contacts_never_returned(api, world):
    filed = api.post("/api/v1/problems/", {"asset": world["plot"].pk, "category": "litter", "description": "很多垃圾",
                                           "reporter_mobile": MOBILE, "contact_consent": True}, format="json")
    assert filed.status_code == 201 and MOBILE not in filed.content.decode()
    report_id = filed.json()["id"]
    listed = api.get("/api/v1/problems/").json()["results"]
    assert [p["id"] for p in listed] == [report_id] and "description" not in listed[0]

    api.force_authenticate(world["east_staff"])
    assert api.post(f"/api/v1/problems/{report_id}/start/", {}, format="json").status_code == 403
    api.force_authenticate(world["west_staff"])
    started = api.post(f"/api/v1/problems/{report_id}/start/", {"reply": "马上处理"}, format="json")
    assert started.status_code == 200 and started.json()["status"] == "in_progress"
    assert started.json()["description"] == "很多垃圾" and MOBILE not in started.content.decode()


def jpeg_file(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 140, 60)).save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_photo_upload_goes_through_the_pipeline_for_people_allowed(api, world):
    url = f"/api/v1/assets/{world['plot'].pk}/photos/"
    assert api.post(url, {"image": jpeg_file()}, format="multipart").status_code in (401, 403)
    api.force_authenticate(world["east_staff"])
    assert api.post(url, {"image": jpeg_file()}, format="multipart").status_code == 403
    assert api.post(f"/api/v1/assets/{world['west_private'].pk}/photos/", {"image": jpeg_file()},
                    format="multipart").status_code == 404
    api.force_authenticate(world["west_staff"])
    not_image = io.BytesIO(b"not an image at all")
    not_image.name = "x.jpg"
    assert api.post(url, {"image": not_image}, format="multipart").status_code == 400
    created = api.post(url, {"image": jpeg_file(), "caption": "新苗"}, format="multipart")
    assert created.status_code == 201 and created.json()["caption"] == "新苗"
    assert [p["caption"] for p in api.get(url).json()["results"]] == ["新苗"]
    assert AuditEntry.objects.filter(action="photo.add").count() == 1  # the pipeline's entry, not a second one


def test_openapi_schema_validates_and_the_docs_page_is_local_and_csp_friendly(client, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200 and "/api/v1/assets/" in json.loads(schema.content)["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower() and "<script>" not in docs.replace(" ", "")
    assert "//" not in "".join(part.split('"')[0] for part in docs.split('src="')[1:])  # scripts from this site
