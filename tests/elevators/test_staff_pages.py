"""The staff programme page, its CSV, and recording a stage from the phone."""

import pytest
from django.test import Client

from elevators.models import StageEvent
from registry.staffing import Role
from retrofits.models import RetrofitStage
from tests.elevators.conftest import make_retrofit
from tests.elevators.test_figures import events, programme  # noqa: F401 — the fixture
from tests.factories import make_district_admin, make_staff

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_street_staff_see_their_streets_figures_and_queue(programme, district):  # noqa: F811
    staff = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    page = signed_in(staff).get("/staff/elevators/", {"end": "2023-01-01"})
    assert page.status_code == 200
    assert page.context["street"] == district["E"] and page.context["figures"]["total"] == 3
    assert 'data-figure="in_service">1<' in page.content.decode()
    assert signed_in(staff).get("/staff/elevators/", {"street": "W"}).status_code == 404


def test_the_district_sees_every_street_and_the_csv(programme):  # noqa: F811
    client = signed_in(make_district_admin())
    assert client.get("/staff/elevators/", {"end": "2023-01-01"}).context["figures"]["total"] == 4
    csv = client.get("/staff/elevators.csv", {"end": "2023-01-01"}).content.decode("utf-8-sig").splitlines()
    assert csv[0] == "street,figure,stage,value"
    assert ",total,,4" in csv and ",median_days,consent,20.0" in csv
    assert ",maintained,,0" in csv and ",faults_per_100,,0.0" in csv  # how the elevator in service is looked after


def test_a_bad_period_is_a_400_with_its_message(programme, district):  # noqa: F811
    staff = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    page = signed_in(staff).get("/staff/elevators/", {"start": "2023-01-01", "end": "2022-01-01"},
                                HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "before its start" in page.content.decode()


def test_grid_workers_and_the_public_are_kept_out(district):
    worker = make_staff(Role.GRID_WORKER, communities=[district["E1"]])
    assert signed_in(worker).get("/staff/elevators/").status_code == 403
    assert Client().get("/staff/elevators/").status_code == 302


def test_recording_a_planning_permit_from_the_page(district):
    retrofit = make_retrofit()
    events(retrofit, accepted="2024-01-05", consent="2024-02-01")
    staff = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    url = f"/staff/retrofits/{retrofit.pk}/stage/"
    form = signed_in(staff).get(url)
    assert form.status_code == 200 and form.context["form"].initial["stage"] == "planning_permit"
    refused = signed_in(staff).post(url, {"stage": "planning_permit", "happened_on": "2024-03-01"},
                                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400 and "规划许可证" in refused.content.decode()
    assert StageEvent.objects.filter(retrofit=retrofit).count() == 2
    done = signed_in(staff).post(url, {"stage": "planning_permit", "happened_on": "2024-03-01",
                                       "document_number": "穗规建证〔2024〕18号"})
    assert done.status_code == 302
    retrofit.refresh_from_db()
    assert retrofit.stage == RetrofitStage.PLANNING_PERMIT


def test_another_streets_retrofit_is_not_found(district):
    retrofit = make_retrofit()
    west = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    assert signed_in(west).get(f"/staff/retrofits/{retrofit.pk}/stage/").status_code == 404
    assert signed_in(west).post(f"/staff/retrofits/{retrofit.pk}/stage/",
                                {"stage": "accepted", "happened_on": "2024-01-01"}).status_code == 404
    assert not StageEvent.objects.filter(retrofit=retrofit).exists()


def test_the_programme_page_in_chinese(programme, district):  # noqa: F811
    page = signed_in(make_district_admin()).get("/staff/elevators/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "加装电梯工作" in text and "90% 在此天数内" in text and "绿色通道" in text
    assert "受理宗数：" in text


def test_the_form_asks_for_both_shares_with_the_consent(district):
    retrofit = make_retrofit()
    events(retrofit, accepted="2024-01-05")
    staff = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    refused = signed_in(staff).post(f"/staff/retrofits/{retrofit.pk}/stage/",
                                    {"stage": "consent", "happened_on": "2024-02-01", "owners_share": "80"})
    assert refused.status_code == 400
    assert refused.context["form"].errors["floor_area_share"] == ["请填写同意比例（百分比）。"]
    assert StageEvent.objects.filter(retrofit=retrofit).count() == 1
