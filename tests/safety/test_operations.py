"""Each operation of the SITE loop: what it writes, who may do it, and bad input that writes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from problems.models import ProblemReport
from registry.audit import AuditEntry
from safety import operations
from safety.models import (
    Evaluation, Intervention, InterventionStatus, Risk, RiskEvent, RiskSource, RiskStatus, RoundAnswer, SafetyRound,
)
from tests.factories import GreenPlotFactory
from tests.safety.conftest import EAST_POINT, png_upload, raise_west_risk

pytestmark = pytest.mark.django_db


def zh_message(call, **kwargs) -> str:
    """The ValidationError's message of ``call(**kwargs)`` as a Chinese user reads it."""
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        call(**kwargs)
    with translation.override("zh-hans"):
        return " ".join(error.value.messages)


def counts():
    return (Risk.objects.count(), Intervention.objects.count(), RoundAnswer.objects.count(),
            Evaluation.objects.count(), AuditEntry.objects.count())


def test_raise_risk_places_it_and_records_history(west_staff, district):
    risk = raise_west_risk(west_staff, photos=[png_upload()])
    assert (risk.street, risk.community, risk.grid) == (district["W"], district["W1"], district["W1S"])
    assert risk.status == RiskStatus.FOUND and risk.photos.count() == 1
    assert AuditEntry.objects.filter(action="safety.raise_risk", object_id=risk.pk).exists()
    event = RiskEvent.objects.get(pgh_obj_id=risk.pk, pgh_label="insert")
    assert event.pgh_context.metadata["operation"] == "safety.raise_risk"


def test_staff_cannot_raise_a_risk_in_another_street(east_staff):
    with pytest.raises(PermissionDenied):
        raise_west_risk(east_staff)
    assert Risk.objects.count() == 0


@pytest.mark.parametrize("severity,hours", [("high", 24), ("medium", 7 * 24), ("low", 30 * 24)])
def test_default_deadline_by_severity(west_staff, severity, hours):
    risk = raise_west_risk(west_staff, severity=severity)
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="清理杂物", responsible="物业")
    assert intervention.deadline - risk.found_at == datetime.timedelta(hours=hours)
    risk.refresh_from_db()
    assert risk.status == RiskStatus.INTERVENTION


def test_deadlines_come_from_settings(west_staff, settings):
    settings.SAFETY_DEADLINE_HOURS = {"high": 2, "medium": 48, "low": 96}
    risk = raise_west_risk(west_staff, severity="high")
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="断电", responsible="电工")
    assert intervention.deadline - risk.found_at == datetime.timedelta(hours=2)


def test_a_deadline_before_the_risk_was_found_is_refused(west_staff):
    risk = raise_west_risk(west_staff)
    before = counts()
    with pytest.raises(ValidationError) as error:
        operations.plan_intervention(actor=west_staff, risk=risk, measure="清理", responsible="物业",
                                     deadline=risk.found_at - datetime.timedelta(hours=1))
    assert "before the risk was found" in str(error.value)
    assert counts() == before
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        operations.plan_intervention(actor=west_staff, risk=risk, measure="清理", responsible="物业",
                                     deadline=risk.found_at - datetime.timedelta(hours=1))
    assert "期限不能早于" in str(error.value)


def test_close_with_a_photo_removes_the_risk(west_staff, media_root):
    risk = raise_west_risk(west_staff)
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="清理", responsible="物业")
    operations.close_intervention(actor=west_staff, intervention=intervention, note="已清理",
                                  photos=[png_upload()])
    risk.refresh_from_db()
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.DONE and intervention.photos.count() == 1
    assert risk.status == RiskStatus.REMOVED and risk.removed_at == intervention.closed_at
    # the orphan-photo sweep keeps the evidence's files (registry.photos.storage: safety registers them)
    from registry.photos.storage import orphan_files, referenced_files

    photo = intervention.photos.get()
    assert {photo.large.name, photo.small.name} <= referenced_files()
    assert not {photo.large.name, photo.small.name} & set(orphan_files(datetime.timedelta(0)))


def test_closing_without_evidence_writes_nothing(west_staff):
    risk = raise_west_risk(west_staff)
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="清理", responsible="物业")
    before = counts()
    with pytest.raises(ValidationError) as error:
        operations.close_intervention(actor=west_staff, intervention=intervention, note="已清理")
    assert "needs evidence" in str(error.value)
    assert "证据" in zh_message(operations.close_intervention, actor=west_staff, intervention=intervention)
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PLANNED and counts() == before


def test_a_bad_photo_leaves_no_row_and_no_file(west_staff, media_root):
    risk = raise_west_risk(west_staff)
    intervention = operations.plan_intervention(actor=west_staff, risk=risk, measure="清理", responsible="物业")
    fake = SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        operations.close_intervention(actor=west_staff, intervention=intervention, photos=[png_upload(), fake])
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.PLANNED
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_accept_a_risk_needs_a_reason(west_staff, grid_worker):
    risk = raise_west_risk(west_staff, severity="low")
    with pytest.raises(ValidationError):
        operations.accept_risk(actor=west_staff, risk=risk, reason="  ")
    with pytest.raises(PermissionDenied):
        operations.accept_risk(actor=grid_worker, risk=risk, reason="业主自行承担")
    operations.accept_risk(actor=west_staff, risk=risk, reason="业主自行承担")
    risk.refresh_from_db()
    assert risk.status == RiskStatus.ACCEPTED


def test_raise_a_risk_from_a_problem_report(west_staff, district):
    asset = GreenPlotFactory()
    report = ProblemReport.objects.create(asset=asset, category="safety_hazard", description="电箱门脱落")
    risk = operations.raise_risk_from_problem(actor=west_staff, report=report, category="electrical",
                                              severity="medium")
    assert risk.problem_report == report and risk.asset == asset and risk.source == RiskSource.RESIDENT
    assert risk.description == "电箱门脱落"
    with pytest.raises(ValidationError):
        operations.raise_risk_from_problem(actor=west_staff, report=report, category="electrical", severity="medium")


def test_a_round_records_answers_schedules_the_next_and_a_failed_item_raises_a_risk(
        grid_worker, admin, checklist, district, settings):
    safety_round = operations.schedule_round(actor=admin, community=district["W1"], grid=district["W1S"],
                                             checklist=checklist, due_on=timezone.localdate())
    items = list(checklist.items.all())
    operations.record_round(actor=grid_worker, safety_round=safety_round,
                            answers={items[0].pk: True, items[1].pk: (False, "三楼楼道堆满纸箱"), items[2].pk: True})
    assert safety_round.is_done and safety_round.answers.count() == 3
    following = SafetyRound.objects.exclude(pk=safety_round.pk).get()
    assert following.due_on == safety_round.due_on + datetime.timedelta(days=settings.SAFETY_ROUND_INTERVAL_DAYS)
    failed = safety_round.answers.get(passed=False)
    risk = operations.raise_risk_from_answer(actor=grid_worker, answer=failed)
    assert (risk.source, risk.category, risk.severity, risk.grid) == ("round", "fire", "high", district["W1S"])
    assert risk.description == "三楼楼道堆满纸箱" and risk.round_answer == failed
    with pytest.raises(ValidationError):
        operations.raise_risk_from_answer(actor=grid_worker, answer=failed)
    with pytest.raises(ValidationError):
        operations.raise_risk_from_answer(actor=grid_worker, answer=safety_round.answers.filter(passed=True).first())


def test_an_answer_for_an_item_not_in_the_checklist_writes_nothing(grid_worker, admin, checklist, district):
    other = operations.create_checklist(actor=admin, name_zh="防汛", items=["排水沟通畅"])
    safety_round = operations.schedule_round(actor=admin, community=district["W1"], grid=district["W1S"],
                                             checklist=checklist,
                                             due_on=timezone.localdate())
    answers = {item.pk: True for item in checklist.items.all()}
    answers[other.items.get().pk] = False
    before = counts(), SafetyRound.objects.count()
    with pytest.raises(ValidationError) as error:
        operations.record_round(actor=grid_worker, safety_round=safety_round, answers=answers)
    assert "not in this round's checklist" in str(error.value)
    assert "不在本次巡查的检查表中" in zh_message(operations.record_round, actor=grid_worker,
                                                  safety_round=safety_round, answers=answers)
    safety_round.refresh_from_db()
    assert not safety_round.is_done and (counts(), SafetyRound.objects.count()) == before


def test_every_item_must_be_answered(grid_worker, admin, checklist, district):
    safety_round = operations.schedule_round(actor=admin, community=district["W1"], grid=district["W1S"],
                                             checklist=checklist,
                                             due_on=timezone.localdate())
    with pytest.raises(ValidationError):
        operations.record_round(actor=grid_worker, safety_round=safety_round,
                                answers={checklist.items.first().pk: True})
    assert RoundAnswer.objects.count() == 0


def test_an_ambassador_reports_in_their_community(ambassador, district):
    risk = raise_west_risk(ambassador.user, source="round")
    assert risk.source == RiskSource.AMBASSADOR and risk.ambassador == ambassador


def test_an_ambassador_reporting_outside_their_community_gets_a_message(ambassador):
    before = counts()
    with pytest.raises(PermissionDenied) as error:
        raise_west_risk(ambassador.user, location=EAST_POINT)
    assert "only in your own community (W一社区)" in str(error.value)
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as error:
        raise_west_risk(ambassador.user, location=EAST_POINT)
    assert "只能在自己的社区" in str(error.value)
    assert counts() == before


def test_an_ambassador_has_no_other_right(ambassador):
    risk = raise_west_risk(ambassador.user)
    with pytest.raises(PermissionDenied):
        operations.plan_intervention(actor=ambassador.user, risk=risk, measure="清理", responsible="物业")


def test_only_a_trained_ambassador_gets_an_account(west_staff, district):
    person = operations.add_ambassador(actor=west_staff, name="李师傅", community=district["W1"], kind="shop_owner")
    with pytest.raises(ValidationError):
        operations.create_ambassador_account(actor=west_staff, ambassador=person, username="li",
                                             password="Safety-ambassador-2026")
    with pytest.raises(ValidationError):
        operations.add_ambassador(actor=west_staff, name="王", community=district["W1"], mobile="12345")


def test_evaluation_sign_off_freezes_and_a_signed_period_is_refused(west_staff, district):
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
    evaluation = operations.open_evaluation(actor=west_staff, community=district["W1"], period_start=start,
                                            period_end=end)
    with pytest.raises(ValidationError):
        operations.sign_off_evaluation(actor=west_staff, evaluation=evaluation)  # no score, no conclusion yet
    operations.update_evaluation(actor=west_staff, evaluation=evaluation, checklist_score=85, conclusion="整体良好")
    operations.sign_off_evaluation(actor=west_staff, evaluation=evaluation)
    assert evaluation.is_signed_off and evaluation.indicators["risks_found"]["total"] == 0
    before = counts()
    with pytest.raises(ValidationError) as error:
        operations.open_evaluation(actor=west_staff, community=district["W1"], period_start=start, period_end=end)
    assert "already been signed off" in str(error.value)
    assert "已签批" in zh_message(operations.update_evaluation, actor=west_staff, evaluation=evaluation,
                                  checklist_score=90, conclusion="改")
    evaluation.refresh_from_db()
    assert evaluation.checklist_score == 85 and counts() == before


def test_quarter_of():
    assert operations.quarter_of(datetime.date(2026, 5, 17)) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert operations.quarter_of(datetime.date(2026, 12, 7)) == (datetime.date(2026, 10, 1),
                                                                 datetime.date(2026, 12, 31))
