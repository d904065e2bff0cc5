"""The safety staff pages and the ambassador's page, through the test client: each answers, each form
calls its operation, bad input gets its message and writes nothing; the ambassador sees only theirs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from problems.models import ProblemReport
from safety import operations
from safety.models import Intervention, Risk, SafetyRound
from tests.factories import GreenPlotFactory
from tests.safety.conftest import png_upload, raise_west_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(west_staff, checklist, district, ambassador):
    risk = raise_west_risk(west_staff, photos=[png_upload()])
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="清理杂物", responsible="物业")
    safety_round = operations.schedule_round(actor=west_staff, community=district["W1"], grid=district["W1S"],
                                             checklist=checklist, due_on=timezone.localdate())
    evaluation = operations.open_evaluation(actor=west_staff, community=district["W1"])
    return {"risk": risk, "intervention": intervention, "round": safety_round, "evaluation": evaluation,
            "ambassador": ambassador}


def test_every_page_answers_the_street_office(client, west_staff, world):
    client.force_login(west_staff)
    pages = [reverse("staff-safety"), reverse("staff-safety-layer"), reverse("staff-safety-csv"),
             reverse("staff-safety-risk-new"), reverse("staff-safety-risk", args=[world["risk"].pk]),
             reverse("staff-safety-rounds"), reverse("staff-safety-round", args=[world["round"].pk]),
             reverse("staff-safety-overdue"), reverse("staff-safety-ambassadors"),
             reverse("staff-safety-ambassador", args=[world["ambassador"].pk]),
             reverse("staff-safety-certificate", args=[world["ambassador"].pk]),
             reverse("staff-safety-evaluations") + "?community=W1",
             reverse("staff-safety-evaluation", args=[world["evaluation"].pk]),
             reverse("staff-safety-evaluation-report", args=[world["evaluation"].pk]),
             reverse("staff-safety-photo", args=["risk", world["risk"].photos.get().pk, "small"])]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    layer = client.get(reverse("staff-safety-layer")).json()
    assert [feature["id"] for feature in layer["features"]] == [world["risk"].pk]
    csv_text = client.get(reverse("staff-safety-csv")).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,category,severity,source,status")
    assert "堵塞疏散通道" in csv_text
    certificate = client.get(reverse("staff-safety-certificate", args=[world["ambassador"].pk])).content.decode()
    assert "陈阿姨" in certificate and "138" not in certificate  # the contact stays private


def test_close_without_evidence_shows_the_message_in_chinese(client, west_staff, world):
    client.force_login(west_staff)
    response = client.post(reverse("staff-safety-close", args=[world["intervention"].pk]),
                           {"close-note": "已清理"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "办结处置需要证据" in response.content.decode()
    assert Intervention.objects.get().status == "planned"
    response = client.post(reverse("staff-safety-close", args=[world["intervention"].pk]),
                           {"close-note": "已清理", "close-photos": [png_upload()]})
    assert response.status_code == 302
    assert Risk.objects.get().status == "removed"


def test_a_deadline_before_the_risk_page_message(client, west_staff, world):
    client.force_login(west_staff)
    found = timezone.localtime(world["risk"].found_at)
    response = client.post(reverse("staff-safety-risk-action", args=[world["risk"].pk, "plan"]), {
        "plan-measure": "加装灭火器", "plan-responsible": "物业",
        "plan-deadline": (found - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "before the risk was found" in response.content.decode()
    assert Intervention.objects.count() == 1


def test_a_round_on_the_page_with_an_item_of_another_checklist(client, grid_worker, west_staff, world, checklist):
    other = operations.create_checklist(actor=west_staff, name_zh="防汛", items=["排水沟通畅"])
    client.force_login(grid_worker)
    url = reverse("staff-safety-round", args=[world["round"].pk])
    answers = {f"item-{item.pk}": "pass" for item in checklist.items.all()}
    response = client.post(url, {**answers, f"item-{other.items.get().pk}": "fail"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "不在本次巡查的检查表中" in response.content.decode()
    assert SafetyRound.objects.filter(done_at__isnull=False).count() == 0
    first = checklist.items.first()
    response = client.post(url, {**answers, f"item-{first.pk}": "fail", f"note-{first.pk}": "灭火器过期"})
    assert response.status_code == 302
    failed = world["round"].answers.get(passed=False)
    response = client.post(reverse("staff-safety-answer-risk", args=[failed.pk]), {"lat": "23.1221", "lon": "113.2351"})
    risk = Risk.objects.get(round_answer=failed)
    assert response.url == reverse("staff-safety-risk", args=[risk.pk])
    assert risk.description == "灭火器过期" and risk.source == "round"


def test_raise_a_risk_from_a_problem_report_page(client, west_staff, world):
    report = ProblemReport.objects.create(asset=GreenPlotFactory(), category="safety_hazard", description="树枝将断")
    client.force_login(west_staff)
    url = reverse("staff-safety-from-problem", args=[report.pk])
    assert url in client.get(reverse("staff-safety")).content.decode()  # offered on the register
    assert "树枝将断" in client.get(url).content.decode()
    response = client.post(url, {"category": "falling", "severity": "high", "description": "树枝将断"})
    risk = Risk.objects.get(problem_report=report)
    assert response.url == reverse("staff-safety-risk", args=[risk.pk])
    assert url not in client.get(reverse("staff-safety")).content.decode()


def test_the_ambassador_reports_only_in_their_community(client, world):
    user = world["ambassador"].user
    client.force_login(user)
    url = reverse("safety-report")
    page = client.get(url)
    assert page.status_code == 200 and "staff-nav" not in page.content.decode()
    response = client.post(url, {"category": "electrical", "severity": "medium", "description": "电线裸露",
                                 "lat": "23.122", "lon": "113.235"})
    assert response.status_code == 302
    assert Risk.objects.filter(ambassador=world["ambassador"], source="ambassador").count() == 1
    before = Risk.objects.count()
    response = client.post(url, {"category": "electrical", "severity": "medium", "description": "电线裸露",
                                 "lat": "23.127", "lon": "113.245"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403 and "只能在自己的社区" in response.content.decode()
    assert Risk.objects.count() == before
    for name in ("staff-home", "staff-safety", "staff-safety-risk-new"):
        assert client.get(reverse(name)).status_code in (302, 403)


def test_who_is_not_an_ambassador_gets_no_report_page(client, west_staff, world):
    assert client.get(reverse("safety-report")).status_code == 302
    client.force_login(west_staff)
    assert client.get(reverse("safety-report")).status_code == 403


def test_the_admin_shows_the_rows_of_ones_area_read_only(client, east_staff, west_staff, world):
    for user in (west_staff, east_staff):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    client.force_login(west_staff)
    url = reverse("admin:safety_risk_change", args=[world["risk"].pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:safety_evaluation_changelist")).status_code == 200
    client.force_login(east_staff)
    assert client.get(url).status_code in (302, 404)


def test_the_statistics_page_has_a_site_section_per_community(client, west_staff, world):
    client.force_login(west_staff)
    response = client.get(reverse("staff-statistics") + "?street=W", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = response.content.decode()
    assert response.status_code == 200 and "SITE 安全闭环" in text
    section = text[text.index('class="statistics-site"'):]
    assert "W一社区" in section and "<td>1</td>" in section  # the world's one risk, found today


def test_risks_are_on_the_public_map_only_when_the_street_publishes(client, west_staff, east_staff, world):
    public = reverse("safety-published-risks")
    assert client.get(public).json()["features"] == []
    client.force_login(east_staff)
    assert client.post(reverse("staff-safety-publication"), {"street": "W", "publish": "1"}).status_code == 404
    client.force_login(west_staff)
    response = client.post(reverse("staff-safety-publication"), {"street": "W", "publish": "1"})
    assert response.status_code == 302
    client.logout()
    features = client.get(public).json()["features"]
    assert [feature["id"] for feature in features] == [world["risk"].pk]
    assert set(features[0]["properties"]) == {"category", "category_label", "severity", "severity_label"}
    operations.set_risk_publication(actor=west_staff, street=world["risk"].street, publish=False)
    assert client.get(public).json()["features"] == []


def test_the_public_map_offers_the_layer_once_a_street_publishes(client, west_staff, world):
    assert 'id="map-safety"' not in client.get(reverse("map")).content.decode()
    operations.set_risk_publication(actor=west_staff, street=world["risk"].street, publish=True)
    page = client.get(reverse("map"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="map-safety"' in page and "显示各街道公开的安全隐患" in page
