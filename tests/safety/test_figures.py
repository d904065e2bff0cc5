"""The evaluation indicators (safety.figures) on a fixture with known numbers, and what a signed-off
evaluation freezes of them; the reminders and the escalation of overdue interventions."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from registry.audit import AuditEntry
from safety import operations
from safety.figures import safety_figures
from safety.models import Intervention
from safety.reminders import escalate_overdue, remind_overdue
from tests.factories import UserFactory
from tests.safety.conftest import EAST_POINT, png_upload, raise_west_risk

pytestmark = pytest.mark.django_db

Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def at(month, day, hour=10):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour))


def removed(actor, *, found, closed, severity, deadline=None):
    risk = raise_west_risk(actor, severity=severity, found_at=found)
    intervention = operations.plan_intervention(actor=actor, risk=risk, measure="整改", responsible="物业",
                                                deadline=deadline)
    operations.close_intervention(actor=actor, intervention=intervention, photos=[png_upload()], closed_at=closed)
    return risk


@pytest.fixture
def quarter(admin, district, checklist):
    """Street W's community W1 in the third quarter of 2026, with the numbers the tests expect."""
    removed(admin, found=at(7, 1), closed=at(7, 2), severity="high")                   # 24 h, on its deadline
    removed(admin, found=at(7, 10), closed=at(7, 10, 22), severity="high")             # 12 h
    removed(admin, found=at(8, 1), closed=at(8, 4), severity="medium")                 # 72 h
    removed(admin, found=at(8, 10), closed=at(8, 12), severity="medium", deadline=at(8, 11))  # 48 h, late
    still_open = raise_west_risk(admin, severity="low", found_at=at(9, 1))
    operations.plan_intervention(actor=admin, risk=still_open, measure="加固", responsible="业主",
                                 deadline=at(9, 2))                                    # still planned: overdue
    accepted = raise_west_risk(admin, severity="low", found_at=at(9, 5))
    operations.accept_risk(actor=admin, risk=accepted, reason="业主已知悉并自行承担")
    raise_west_risk(admin, severity="high", found_at=at(7, 15), location=EAST_POINT)  # street E: not W1's
    raise_west_risk(admin, severity="high", found_at=at(10, 2))                       # after the quarter
    # Rounds: due 15 July done the day before; the next (due 14 August) done two days late; the
    # third (due 13 September) not done.
    first = operations.schedule_round(actor=admin, community=district["W1"], checklist=checklist,
                                      due_on=datetime.date(2026, 7, 15))
    items = {item.pk: True for item in checklist.items.all()}
    operations.record_round(actor=admin, safety_round=first, answers=items, done_at=at(7, 14))
    second = first.community.safety_rounds.get(due_on=datetime.date(2026, 8, 14))
    operations.record_round(actor=admin, safety_round=second, answers=items, done_at=at(8, 16))
    # Ambassadors: trained before the quarter and idle; trained in it; trained after it; never trained.
    people = [operations.add_ambassador(actor=admin, name=name, community=district["W1"])
              for name in ("甲", "乙", "丙", "丁")]
    for person, day in zip(people, (datetime.date(2026, 6, 1), datetime.date(2026, 8, 1), datetime.date(2026, 10, 5))):
        operations.record_training(actor=admin, community=district["W1"], topic="用电安全", date=day, trainer="供电所",
                                   attendees=[person])
    return district


def test_the_indicators_of_a_known_quarter(quarter):
    figures = safety_figures(community=quarter["W1"], date_from=Q3[0], date_to=Q3[1])
    assert figures["risks_found"] == {"high": 2, "medium": 2, "low": 2, "total": 6}
    assert figures["risks_removed"] == {"high": 2, "medium": 2, "low": 0, "total": 4}
    assert figures["median_hours_to_remove"] == {"high": 18.0, "medium": 60.0, "low": None}
    assert figures["open_risks"] == 1
    assert figures["overdue_interventions"] == 2
    assert figures["rounds"] == {"due": 3, "done": 2, "on_time": 1, "on_time_share": 0.333}
    assert figures["ambassadors"] == {"trained": 2, "active": 1}
    assert figures["community"] == "W1" and figures["period"] == {"from": "2026-07-01", "to": "2026-09-30"}


def test_street_and_district_figures(quarter):
    assert safety_figures(street=quarter["E"], date_from=Q3[0], date_to=Q3[1])["risks_found"]["total"] == 1
    assert safety_figures(date_from=Q3[0], date_to=Q3[1])["risks_found"]["total"] == 7
    assert safety_figures()["risks_found"]["total"] == 8


def test_the_signed_off_evaluation_keeps_its_indicators(quarter, west_staff):
    evaluation = operations.open_evaluation(actor=west_staff, community=quarter["W1"], period_start=Q3[0],
                                            period_end=Q3[1], checklist_score=80, conclusion="隐患处置及时")
    operations.sign_off_evaluation(actor=west_staff, evaluation=evaluation)
    raise_west_risk(west_staff, severity="high", found_at=at(9, 20))  # recorded late: the signed report stays
    evaluation.refresh_from_db()
    assert evaluation.indicators["risks_found"]["total"] == 6
    assert operations.evaluation_indicators(evaluation)["risks_found"]["total"] == 6
    assert safety_figures(community=quarter["W1"], date_from=Q3[0], date_to=Q3[1])["risks_found"]["total"] == 7


def test_reminders_and_escalation_go_once(west_staff, east_staff, admin, settings):
    west_staff.email, admin.email = "west@example.org", "admin@example.org"
    west_staff.save()
    admin.save()
    UserFactory(username="root", is_superuser=True, email="root@example.org")
    high = raise_west_risk(west_staff, severity="high", found_at=timezone.now() - datetime.timedelta(hours=30))
    low = raise_west_risk(west_staff, severity="low", found_at=timezone.now() - datetime.timedelta(hours=30))
    late_high = operations.plan_intervention(actor=west_staff, risk=high, measure="清理", responsible="物业")
    operations.plan_intervention(actor=west_staff, risk=low, measure="加固", responsible="物业",
                                 deadline=timezone.now() - datetime.timedelta(hours=1))
    escalated = escalate_overdue()
    assert [row.pk for row in escalated] == [late_high.pk]  # only the high-severity one
    assert sorted(address for message in mail.outbox for address in message.to) == ["admin@example.org",
                                                                                    "root@example.org"]
    assert AuditEntry.objects.filter(action="safety.escalate", object_id=high.pk).count() == 1
    mail.outbox.clear()
    assert remind_overdue() == 1 and mail.outbox[0].to == ["west@example.org"]
    assert "清理" in mail.outbox[0].body and "加固" in mail.outbox[0].body
    mail.outbox.clear()
    assert escalate_overdue() == [] and remind_overdue() == 0 and mail.outbox == []
    assert Intervention.objects.filter(reminded_at__isnull=False).count() == 2
