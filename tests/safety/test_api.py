"""The safety REST API: risks of one's area, the operations' messages as 400/403, the figures' JSON."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safety import operations
from safety.figures import safety_figures
from safety.models import Intervention, Risk
from tests.safety.conftest import png_upload, raise_west_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_risks_are_not_public_and_are_scoped(api, west_staff, east_staff):
    risk = raise_west_risk(west_staff)
    assert api.get("/api/v1/safety/risks/").status_code in (401, 403)
    api.force_authenticate(east_staff)
    assert api.get("/api/v1/safety/risks/").json()["results"] == []
    assert api.get(f"/api/v1/safety/risks/{risk.pk}/").status_code == 404
    api.force_authenticate(west_staff)
    body = api.get("/api/v1/safety/risks/?severity=high").json()
    assert [row["id"] for row in body["results"]] == [risk.pk] and body["results"][0]["community"] == "W1"
    assert api.get("/api/v1/safety/risks/?severity=urgent").status_code == 400
    assert api.get("/api/v1/safety/risks/?colour=red").status_code == 400


def test_record_plan_and_close_through_the_api(api, west_staff):
    api.force_authenticate(west_staff)
    response = api.post("/api/v1/safety/risks/", {"lon": 113.235, "lat": 23.122, "category": "electrical",
                                                  "severity": "medium", "description": "电箱门锁损坏"}, format="json")
    assert response.status_code == 201, response.content
    risk_id = response.json()["id"]
    found = Risk.objects.get(pk=risk_id).found_at
    late = api.post(f"/api/v1/safety/risks/{risk_id}/interventions/", {
        "measure": "更换门锁", "responsible": "供电所", "deadline": (found - datetime.timedelta(hours=2)).isoformat()},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert late.status_code == 400 and "期限不能早于" in late.content.decode()
    planned = api.post(f"/api/v1/safety/risks/{risk_id}/interventions/",
                       {"measure": "更换门锁", "responsible": "供电所"}, format="json")
    assert planned.status_code == 201
    intervention_id = planned.json()["id"]
    empty = api.post(f"/api/v1/safety/interventions/{intervention_id}/close/", {"note": "已更换"}, format="multipart",
                     HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 400 and "evidence" in empty.content.decode()
    closed = api.post(f"/api/v1/safety/interventions/{intervention_id}/close/",
                      {"note": "已更换", "photos": [png_upload()]}, format="multipart")
    assert closed.status_code == 200 and closed.json()["status"] == "done" and closed.json()["photos"] == 1
    assert Risk.objects.get(pk=risk_id).status == "removed"


def test_the_ambassador_posts_only_in_their_community(api, ambassador):
    api.force_authenticate(ambassador.user)
    body = {"category": "fire", "severity": "high", "description": "楼道堆物"}
    assert api.post("/api/v1/safety/risks/", {**body, "lon": 113.235, "lat": 23.122}, format="json").status_code == 201
    outside = api.post("/api/v1/safety/risks/", {**body, "lon": 113.245, "lat": 23.127}, format="json",
                       HTTP_ACCEPT_LANGUAGE="en")
    assert outside.status_code == 403 and "own community" in outside.content.decode()
    assert Risk.objects.count() == 1
    # One right: reading the register, planning, accepting are not theirs.
    assert api.get("/api/v1/safety/risks/").json()["results"] == []


def test_the_figures_endpoint_is_the_figures_function(api, west_staff, district):
    raise_west_risk(west_staff, found_at=timezone.now() - datetime.timedelta(days=1))
    response = api.get("/api/v1/safety/figures/?community=W1")
    assert response.status_code == 200
    assert response.json() == safety_figures(community=district["W1"])
    assert api.get("/api/v1/safety/figures/?street=NOPE").status_code == 400
    assert api.get("/api/v1/safety/figures/?from=2026-09-01&to=2026-08-01").status_code == 400


def test_evaluations_for_the_street_office(api, west_staff, grid_worker, district):
    operations.open_evaluation(actor=west_staff, community=district["W1"])
    api.force_authenticate(grid_worker)
    assert api.get("/api/v1/safety/evaluations/").json()["results"] == []
    api.force_authenticate(west_staff)
    rows = api.get("/api/v1/safety/evaluations/").json()["results"]
    assert len(rows) == 1 and rows[0]["indicators"]["risks_found"]["total"] == 0
    assert Intervention.objects.count() == 0


def test_close_with_an_upkeep_log_as_evidence(api, west_staff, district):
    from tests.factories import GreenPlotFactory
    from upkeep.models import UpkeepLog

    asset = GreenPlotFactory()
    risk = raise_west_risk(west_staff, asset=asset, location=None)
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="修剪枯枝", responsible="园林所")
    log = UpkeepLog.objects.create(asset=asset, action="pruning", staff=west_staff, performed_at=timezone.now())
    api.force_authenticate(west_staff)
    missing = api.post(f"/api/v1/safety/interventions/{intervention.pk}/close/", {"upkeep_log": 999999},
                       format="json")
    assert missing.status_code == 400
    closed = api.post(f"/api/v1/safety/interventions/{intervention.pk}/close/", {"upkeep_log": log.pk}, format="json")
    assert closed.status_code == 200 and closed.json()["upkeep_log"] == log.pk
