"""Issue 13, item 16: a report's staff page has one public-reply box and one set of actions
(resolve, start, close, save the reply), each button sending that one form to its action."""

import re

from django.urls import reverse
from django.utils import timezone

from problems.models import ProblemReport, ProblemStatus
from tests.problems.test_views import file_report
from upkeep.models import UpkeepAction, UpkeepLog


def answer_section(client, report):
    response = client.get(reverse("staff-problem-detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return re.search(r'<section class="problem-actions".*?</section>', response.content.decode(), re.S).group(0)


def action_url(report, action):
    return reverse("staff-problem-action", args=[report.pk, action])


def test_one_reply_box_and_one_set_of_actions(client, plot, west_staff):
    report = file_report(plot)
    UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=west_staff, performed_at=timezone.now())
    client.force_login(west_staff)
    section = answer_section(client, report)
    assert section.count("<form") == 1 and section.count('name="reply"') == 1
    assert section.count("Public reply") == 1
    for action in ("resolve", "start", "close"):
        assert section.count(f'formaction="{action_url(report, action)}"') == 1, action
    assert f'action="{action_url(report, "reply")}"' in section and section.count("Save reply") == 1
    assert section.count('name="upkeep_log"') == 1


def test_a_settled_report_keeps_only_the_reply_box(client, plot, west_staff):
    report = file_report(plot)
    client.force_login(west_staff)
    assert client.post(action_url(report, "close"), {"reply": "非公共设施"}).status_code == 302
    section = answer_section(client, report)
    assert section.count('name="reply"') == 1 and "非公共设施</textarea>" in section
    assert "formaction" not in section and "Save reply" in section


def test_resolving_from_the_one_box_without_choosing_upkeep_says_so_and_writes_nothing(client, plot, west_staff):
    report = file_report(plot)
    UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=west_staff, performed_at=timezone.now())
    client.force_login(west_staff)
    response = client.post(action_url(report, "resolve"), {"reply": "已清理"}, HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 400 and "Choose upkeep done on this asset." in text
    assert text.count('name="reply"') == 1 and "已清理</textarea>" in text  # the words typed are kept
    assert ProblemReport.objects.get().status == ProblemStatus.OPEN


def test_closing_from_the_one_box_without_a_reply_is_refused(client, plot, west_staff):
    report = file_report(plot)
    client.force_login(west_staff)
    response = client.post(action_url(report, "close"), {"reply": " "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Write a public reply" in response.content.decode()
    assert ProblemReport.objects.get().status == ProblemStatus.OPEN
