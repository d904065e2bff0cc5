"""The resident's report form and the staff's problem pages, over HTTP."""

import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from problems.models import ProblemReport, ProblemStatus
from problems.operations import Contact, report_problem
from registry.audit import AuditEntry
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import GreenPlotFactory, make_staff
from tests.problems.conftest import png_upload
from upkeep.models import UpkeepAction, UpkeepLog


def report_url(asset):
    return reverse("report-problem", args=[asset.pk])


def post_report(client, asset, **data):
    data = {"category": "litter", "description": "花坛里有垃圾", **data}
    return client.post(report_url(asset), data, HTTP_ACCEPT_LANGUAGE="en")


def file_report(asset, **kwargs):
    from django.contrib.auth.models import AnonymousUser

    return report_problem(actor=AnonymousUser(), asset=asset, category=kwargs.pop("category", "litter"),
                          description=kwargs.pop("description", "有垃圾"), **kwargs).report


# Residents ---------------------------------------------------------------------------------------

def test_the_asset_page_links_to_the_report_form(client, plot):
    page = client.get(reverse("asset-detail", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{report_url(plot)}"' in page


def test_the_form_offers_the_categories_of_the_kind(client, plot):
    response = client.get(report_url(plot), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="damaged_plants"' in text and 'value="elevator_fault"' not in text
    assert 'enctype="multipart/form-data"' in text and 'accept="image/jpeg,image/png,image/webp"' in text


def test_anonymous_report_in_words_lands_on_the_thank_you_page_and_the_asset_page(client, plot):
    response = post_report(client, plot)
    assert response.status_code == 302
    assert response["Location"] == reverse("report-problem-sent", args=[plot.pk])
    problem = ProblemReport.objects.get()
    assert (problem.asset_id, problem.category, problem.description) == (plot.pk, "litter", "花坛里有垃圾")
    assert problem.language == "en"
    assert "Your report has been received" in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get(reverse("asset-detail", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 open problem" in page and "litter" in page
    assert "花坛里有垃圾" not in page  # residents' words are for staff; the public sees category and reply


def test_anonymous_report_with_a_photo_only(client, plot):
    response = client.post(report_url(plot), {"category": "litter", "description": "", "photos": [png_upload()]})
    assert response.status_code == 302
    photo = ProblemReport.objects.get().photos.get()
    assert not photo.is_public


def test_a_report_with_no_words_and_no_photo_is_refused(client, plot):
    response = post_report(client, plot, description="  ")
    assert response.status_code == 400
    assert "Describe the problem or add a photo of it." in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_a_web_page_named_jpg_is_refused_on_the_field(client, plot, media_root):
    fake = SimpleUploadedFile("photo.jpg", b"<!DOCTYPE html><html></html>", content_type="image/jpeg")
    response = client.post(report_url(plot), {"category": "litter", "description": "x", "photos": [fake]},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This file is not a photo in JPEG, PNG or WebP format." in response.content.decode()
    assert not ProblemReport.objects.exists() and not Photo.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_contact_is_validated_and_needs_consent(client, plot):
    response = post_report(client, plot, reporter_mobile="1234")
    assert response.status_code == 400 and "mainland China mobile number" in response.content.decode()
    response = post_report(client, plot, reporter_mobile="13812345678")
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert not ProblemReport.objects.exists()
    assert post_report(client, plot, reporter_mobile="138 1234 5678", contact_consent="on").status_code == 302
    assert ProblemReport.objects.get().reporter_mobile == "13812345678"


def test_a_second_report_is_joined_and_told_so(client, plot):
    post_report(client, plot)
    response = post_report(client, plot, description="还是很脏")
    assert response["Location"].endswith("?joined=2")
    assert "(2 reports so far)" in client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ProblemReport.objects.get().duplicates_count == 1


def test_the_form_sent_twice_is_one_report_and_thanks_both_times(client, plot):
    page = client.get(report_url(plot)).content.decode()
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)
    first, again = post_report(client, plot, submission_key=key), post_report(client, plot, submission_key=key)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert ProblemReport.objects.get().duplicates_count == 0


def test_the_api_answers_a_repeated_idempotency_key_with_the_first_report(client, plot):
    body = {"asset": plot.pk, "category": "litter", "description": "很多垃圾"}
    sent = [client.post("/api/v1/problems/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
            for _ in range(2)]
    assert [response.status_code for response in sent] == [201, 200]
    assert sent[0].json()["id"] == sent[1].json()["id"]
    assert ProblemReport.objects.get().duplicates_count == 0


def test_the_honeypot_pretends_success_and_writes_nothing(client, plot):
    response = post_report(client, plot, website="http://spam.example")
    assert response.status_code == 302 and not ProblemReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, plot, settings):
    settings.PROBLEM_REPORT_RATE = "2/h"
    assert post_report(client, plot).status_code == 302
    assert post_report(client, plot).status_code == 302
    response = post_report(client, plot)
    assert response.status_code == 429
    assert "Too many reports" in response.content.decode()
    assert ProblemReport.objects.get().reports_count == 2
    other = client.post(report_url(plot), {"category": "litter", "description": "x"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302  # another address is not limited


def test_through_a_trusted_proxy_two_clients_get_separate_buckets(client, plot, settings):
    """Behind nginx every request comes from 127.0.0.1: the limit counts the forwarded client."""
    settings.PROBLEM_REPORT_RATE, settings.TRUSTED_PROXIES = "1/h", ["127.0.0.1"]
    via_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT_LANGUAGE": "en"}
    first = {"category": "litter", "description": "x"}
    assert client.post(report_url(plot), first, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy).status_code == 302
    assert client.post(report_url(plot), first, HTTP_X_FORWARDED_FOR="198.51.100.1",
                       **via_proxy).status_code == 429
    assert client.post(report_url(plot), first, HTTP_X_FORWARDED_FOR="198.51.100.2",
                       **via_proxy).status_code == 302  # another resident, another bucket
    # and the audit trail records where each report came from
    assert set(AuditEntry.objects.filter(action__startswith="problem.").values_list("client_address", flat=True)) \
        == {"198.51.100.1", "198.51.100.2"}


def test_a_forged_forwarded_header_from_a_non_proxy_changes_no_bucket(client, plot, settings):
    settings.PROBLEM_REPORT_RATE, settings.TRUSTED_PROXIES = "1/h", ["127.0.0.1"]
    data = {"category": "litter", "description": "x"}
    assert client.post(report_url(plot), data, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.1.1.1",
                       HTTP_ACCEPT_LANGUAGE="en").status_code == 302
    assert client.post(report_url(plot), data, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="2.2.2.2",
                       HTTP_ACCEPT_LANGUAGE="en").status_code == 429


def test_hidden_and_unknown_assets_have_no_report_form(client, district):
    hidden = GreenPlotFactory(is_public=False)
    assert client.get(report_url(hidden)).status_code == 404
    assert post_report(client, hidden).status_code == 404
    assert client.get(reverse("report-problem", args=[999999])).status_code == 404


# Staff -------------------------------------------------------------------------------------------

def test_staff_list_shows_their_streets_reports_only(client, plot, east_mural, west_staff):
    west = file_report(plot)
    east = file_report(east_mural, category="mural_defaced")
    client.force_login(west_staff)
    text = client.get(reverse("staff-problems"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("staff-problem-detail", args=[west.pk]) in text
    assert reverse("staff-problem-detail", args=[east.pk]) not in text
    filtered = client.get(reverse("staff-problems"), {"category": "damaged_plants"}).content.decode()
    assert reverse("staff-problem-detail", args=[west.pk]) not in filtered
    assert client.get(reverse("staff-problem-detail", args=[east.pk])).status_code == 404


def test_staff_list_filters_by_status(client, plot, west_staff):
    problem = file_report(plot)
    client.force_login(west_staff)
    url = reverse("staff-problem-detail", args=[problem.pk])
    assert url in client.get(reverse("staff-problems")).content.decode()
    assert url not in client.get(reverse("staff-problems"), {"status": "resolved"}).content.decode()
    assert url in client.get(reverse("staff-problems"), {"status": "open"}).content.decode()


def test_staff_pages_need_a_staff_member(client, plot, django_user_model):
    problem = file_report(plot)
    response = client.get(reverse("staff-problems"))
    assert response.status_code == 302 and "next=/staff/problems/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("resident", is_staff=True))
    assert client.get(reverse("staff-problems")).status_code == 403
    assert client.get(reverse("staff-problem-detail", args=[problem.pk])).status_code == 403
    assert client.post(reverse("staff-problem-action", args=[problem.pk, "close"]),
                       {"reply": "不修"}).status_code == 403
    assert ProblemReport.objects.get().status == ProblemStatus.OPEN


def test_staff_resolve_a_report_with_a_recent_log_and_the_reporter_is_emailed(
        client, plot, west_staff, django_capture_on_commit_callbacks):
    problem = file_report(plot, contact=Contact(email="li@example.org", consent=True), language="en")
    log = UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=west_staff,
                                   performed_at=timezone.now())
    client.force_login(west_staff)
    detail = client.get(reverse("staff-problem-detail", args=[problem.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert f'value="{log.pk}"' in detail.content.decode() and "li@example.org" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff-problem-action", args=[problem.pk, "resolve"]),
                               {"upkeep_log": log.pk, "reply": "已清理"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_by_log_id, problem.staff_reply) == ("resolved", log.pk, "已清理")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.org"]
    assert f"#{problem.pk}" in mail.outbox[0].subject and "已清理" in mail.outbox[0].body


def test_staff_cannot_resolve_with_another_assets_log(client, plot, west_staff, district):
    problem = file_report(plot)
    foreign = UpkeepLog.objects.create(asset=GreenPlotFactory(), action=UpkeepAction.CLEANING, staff=west_staff,
                                       performed_at=timezone.now())
    client.force_login(west_staff)
    response = client.post(reverse("staff-problem-action", args=[problem.pk, "resolve"]),
                           {"upkeep_log": foreign.pk, "reply": "已清理"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Choose upkeep done on this asset." in response.content.decode()
    assert ProblemReport.objects.get().status == ProblemStatus.OPEN


def test_other_street_staff_cannot_act_by_tampered_id(client, plot, east_staff):
    problem = file_report(plot)
    client.force_login(east_staff)
    for action in ("start", "reply", "close"):
        response = client.post(reverse("staff-problem-action", args=[problem.pk, action]), {"reply": "我来处理"})
        assert response.status_code == 404
    assert client.post(reverse("staff-problem-reveal", args=[problem.pk])).status_code == 404
    problem.refresh_from_db()
    assert (problem.status, problem.staff_reply) == (ProblemStatus.OPEN, "")
    assert not AuditEntry.objects.exclude(action="problem.report").exists()


def test_start_then_close_with_messages_for_empty_reply(client, plot, west_staff):
    problem = file_report(plot)
    client.force_login(west_staff)
    assert client.post(reverse("staff-problem-action", args=[problem.pk, "start"]), {"reply": ""}).status_code == 302
    response = client.post(reverse("staff-problem-action", args=[problem.pk, "close"]), {"reply": ""},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Write a public reply" in response.content.decode()
    assert client.post(reverse("staff-problem-action", args=[problem.pk, "close"]),
                       {"reply": "不属于公共区域"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    assert client.post(reverse("staff-problem-action", args=[problem.pk, "unknown"]), {}).status_code == 404


def test_grid_workers_see_their_grids_reports_without_actions(client, plot, district):
    problem = file_report(plot)
    worker = make_staff(Role.GRID_WORKER, grids=[district["W1S"]])
    client.force_login(worker)
    response = client.get(reverse("staff-problem-detail", args=[problem.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Close, not fixed" not in response.content.decode()
    assert client.post(reverse("staff-problem-action", args=[problem.pk, "close"]),
                       {"reply": "x"}).status_code == 403


def test_mobile_is_masked_until_revealed_by_staff_who_may(client, plot, district):
    problem = file_report(plot, contact=Contact(mobile="13912345678", consent=True))
    plain = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(plain)
    text = client.get(reverse("staff-problem-detail", args=[problem.pk])).content.decode()
    assert "139****5678" in text and "13912345678" not in text
    assert client.post(reverse("staff-problem-reveal", args=[problem.pk])).status_code == 403
    revealer = make_staff(Role.STREET_STAFF, streets=[district["W"]], can_reveal_mobile=True)
    client.force_login(revealer)
    text = client.get(reverse("staff-problem-detail", args=[problem.pk])).content.decode()
    assert "13912345678" not in text
    response = client.post(reverse("staff-problem-reveal", args=[problem.pk]))
    assert response.status_code == 200 and 'href="tel:13912345678"' in response.content.decode()
    assert AuditEntry.objects.filter(action="problem.reveal_mobile", actor=revealer).count() == 1


def test_without_recent_upkeep_the_detail_links_to_the_workbench(client, plot, west_staff):
    problem = file_report(plot)
    client.force_login(west_staff)
    text = client.get(reverse("staff-problem-detail", args=[problem.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No upkeep has been logged on this asset since the report." in text
    assert f'href="{reverse("staff-log-upkeep", args=[plot.pk])}"' in text
    assert f'href="{reverse("asset-history", args=[plot.pk])}"' in text
