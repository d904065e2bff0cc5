"""Issue 13, item 1: the street office's public reply stays on the asset page once a report is
resolved or closed — the last 90 days there, older ones behind a link to all answered problems."""

import datetime

from django.urls import reverse
from django.utils import timezone

from problems.models import ProblemReport
from tests.problems.test_views import file_report
from upkeep.models import UpkeepAction, UpkeepLog


def asset_page(client, asset, language="en"):
    response = client.get(reverse("asset-detail", args=[asset.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_reply_stays_on_the_asset_page_after_resolve(client, plot, west_staff):
    problem = file_report(plot)
    log = UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=west_staff,
                                   performed_at=timezone.now())
    client.force_login(west_staff)
    response = client.post(reverse("staff-problem-action", args=[problem.pk, "resolve"]),
                           {"upkeep_log": log.pk, "reply": "垃圾已于周一清理"})
    assert response.status_code == 302
    client.logout()
    page = asset_page(client, plot)
    assert "open problem" not in page
    assert "Problems answered" in page and "垃圾已于周一清理" in page and "Resolved on" in page
    assert reverse("asset-answered-problems", args=[plot.pk]) not in page  # nothing older to link to
    zh = asset_page(client, plot, "zh-hans")
    assert "已答复的问题" in zh and "垃圾已于周一清理" in zh


def test_the_reply_stays_on_the_asset_page_after_close(client, plot, west_staff):
    problem = file_report(plot)
    client.force_login(west_staff)
    response = client.post(reverse("staff-problem-action", args=[problem.pk, "close"]),
                           {"reply": "该处属私人物业，已转告业主"})
    assert response.status_code == 302
    client.logout()
    page = asset_page(client, plot)
    assert "该处属私人物业，已转告业主" in page and "Closed on" in page and "closed, not fixed" in page


def test_after_90_days_the_reply_moves_to_the_page_of_all_answered_problems(client, plot, west_staff):
    problem = file_report(plot)
    client.force_login(west_staff)
    client.post(reverse("staff-problem-action", args=[problem.pk, "close"]), {"reply": "去年的答复"})
    ProblemReport.objects.filter(pk=problem.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=91))
    client.logout()
    page = asset_page(client, plot)
    all_url = reverse("asset-answered-problems", args=[plot.pk])
    assert "去年的答复" not in page and f'href="{all_url}"' in page
    listing = client.get(all_url, HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200 and "去年的答复" in listing.content.decode()


def test_the_page_of_answered_problems_hides_open_reports_words_and_unknown_assets(client, plot):
    open_report = file_report(plot, description="居民原话不公开")
    listing = client.get(reverse("asset-answered-problems", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = listing.content.decode()
    assert "居民原话不公开" not in text and "has not answered a problem" in text
    assert open_report.status == "open"
    assert client.get(reverse("asset-answered-problems", args=[987654])).status_code == 404


def test_more_answers_than_the_page_shows_are_behind_the_link(client, plot, west_staff):
    from problems.models import ProblemCategory
    from problems.queries import RECENTLY_ANSWERED_SHOWN

    client.force_login(west_staff)
    for n in range(RECENTLY_ANSWERED_SHOWN + 1):
        report = file_report(plot, category=ProblemCategory.LITTER)
        client.post(reverse("staff-problem-action", args=[report.pk, "close"]), {"reply": f"答复{n}号"})
    client.logout()
    page = asset_page(client, plot)
    assert page.count('class="problem problem-closed"') == RECENTLY_ANSWERED_SHOWN
    assert "答复10号" in page and "答复0号<" not in page  # the latest answers first
    assert f'href="{reverse("asset-answered-problems", args=[plot.pk])}"' in page
