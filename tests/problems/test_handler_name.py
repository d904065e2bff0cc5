"""Issue 13, item 15: the report's handler by name (Chinese order), not by user name, on the report's
page and in the asset's history."""

from django.urls import reverse

from tests.problems.test_views import file_report


def test_the_handler_is_named_family_name_first_on_the_report_and_in_the_history(client, plot, west_staff):
    west_staff.first_name, west_staff.last_name = "嘉欣", "陈"
    west_staff.save()
    report = file_report(plot)
    client.force_login(west_staff)
    assert client.post(reverse("staff-problem-action", args=[report.pk, "start"]), {"reply": "已派人"}).status_code == 302
    page = client.get(reverse("staff-problem-detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "陈嘉欣" in page and "嘉欣 陈" not in page
    history = client.get(reverse("asset-history", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = history.content.decode()
    assert history.status_code == 200
    assert "→ 陈嘉欣</td>" in text and "嘉欣 陈" not in text
    assert f"→ {west_staff.username}<" not in text  # the handler field's new value is the name, not "west"
