"""The asset page's problem sections render no template syntax as text (a multi-line {# #} would)."""

from django.urls import reverse

from tests.problems.test_views import file_report


def test_the_asset_page_shows_no_template_syntax(client, plot, west_staff):
    report = file_report(plot)
    client.force_login(west_staff)
    client.post(reverse("staff-problem-action", args=[report.pk, "close"]), {"reply": "已处理"})
    file_report(plot)
    client.logout()
    text = client.get(reverse("asset-detail", args=[plot.pk])).content.decode()
    assert not any(tag in text for tag in ("{#", "#}", "{%", "{{"))
