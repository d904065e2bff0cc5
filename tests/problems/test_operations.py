"""Reporting problems and answering them: validation, joining duplicates, transitions, permissions."""

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from problems.models import JoinedReport, ProblemCategory, ProblemReport, ProblemStatus
from problems.operations import (
    Contact,
    categories_for,
    close_not_fixed,
    reply_to_problem,
    report_problem,
    resolve_problem,
    reveal_reporter_mobiles,
    start_work,
)
from registry.audit import AuditEntry
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import ElevatorFactory, GreenPlotFactory, make_district_admin, make_staff
from tests.problems.conftest import png_upload
from upkeep.models import UpkeepAction, UpkeepLog

ANONYMOUS = AnonymousUser()


def report(asset, category=ProblemCategory.LITTER, description="路边有很多垃圾", **kwargs):
    return report_problem(actor=ANONYMOUS, asset=asset, category=category, description=description, **kwargs)


def log_on(asset, staff, action=UpkeepAction.CLEANING):
    return UpkeepLog.objects.create(asset=asset, action=action, staff=staff, performed_at=timezone.now())


def state(report_):
    report_.refresh_from_db()
    return report_.status, report_.staff_reply, report_.resolved_by_log_id, report_.resolved_at


# Reporting ---------------------------------------------------------------------------------------

def test_anyone_reports_a_problem_in_words_and_it_is_audited_without_contact(plot):
    reported = report(plot, contact=Contact(name="李女士", mobile="+86 139-1234-5678", consent=True),
                      language="zh-hans")
    problem = reported.report
    assert reported.joined is None
    assert (problem.asset_id, problem.category, problem.status) == (plot.pk, "litter", ProblemStatus.OPEN)
    assert problem.reporter_mobile == "13912345678" and problem.masked_mobile == "139****5678"
    assert problem.language == "zh-hans"
    entry = AuditEntry.objects.get(action="problem.report")
    assert entry.asset_id == plot.pk and entry.actor is None
    assert entry.changes["status"] == [None, "open"] and entry.changes["description"] == [None, "路边有很多垃圾"]
    assert "13912345678" not in str(entry.changes) and "reporter_mobile" not in entry.changes


def test_a_photo_alone_is_enough_and_it_is_kept_private_with_the_report(plot, media_root):
    problem = report(plot, description="", photos=[png_upload()]).report
    photo = problem.photos.get()
    assert photo.asset_id == plot.pk and not photo.is_public and photo.uploaded_by is None
    assert (media_root / photo.large.name).is_file() and (media_root / photo.small.name).is_file()


def test_no_text_and_no_photo_is_refused_and_nothing_is_written(plot):
    with pytest.raises(ValidationError) as error:
        report(plot, description="   ")
    assert error.value.messages == ["Describe the problem or add a photo of it."]
    assert not ProblemReport.objects.exists() and not AuditEntry.objects.exists()


def test_a_bad_photo_writes_no_report_and_no_file(plot, media_root):
    html = SimpleUploadedFile("garbage.jpg", b"<html><body>not a photo</body></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        report(plot, photos=[png_upload(), html])
    assert "not a photo in JPEG, PNG or WebP" in " ".join(error.value.messages)
    assert not ProblemReport.objects.exists() and not Photo.objects.exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


@pytest.mark.parametrize(("contact", "field"), [
    (Contact(mobile="13812345678"), "contact_consent"),
    (Contact(mobile="12345", consent=True), "reporter_mobile"),
    (Contact(email="not-an-address", consent=True), "reporter_email"),
])
def test_contact_needs_consent_and_real_formats(plot, contact, field):
    with pytest.raises(ValidationError) as error:
        report(plot, contact=contact)
    assert field in error.value.message_dict
    assert not ProblemReport.objects.exists()


def test_categories_fit_the_kind(plot, district):
    assert ProblemCategory.ELEVATOR_FAULT not in dict(categories_for(plot.kind))
    assert ProblemCategory.ELEVATOR_FAULT in dict(categories_for(ElevatorFactory().kind))
    with pytest.raises(ValidationError) as error:
        report(plot, category=ProblemCategory.ELEVATOR_FAULT)
    assert "category" in error.value.message_dict


def test_hidden_asset_cannot_be_reported_by_the_public(district):
    hidden = GreenPlotFactory(is_public=False)
    with pytest.raises(PermissionDenied):
        report(hidden)
    assert not ProblemReport.objects.exists()


def test_a_second_report_of_an_open_problem_is_joined_not_duplicated(plot):
    first = report(plot).report
    second = report(plot, description="又有垃圾了", photos=[png_upload()],
                    contact=Contact(email="wang@example.org", consent=True))
    assert second.report.pk == first.pk and second.joined is not None
    assert second.joined.description == "又有垃圾了" and second.joined.photos.count() == 1
    assert ProblemReport.objects.count() == 1 and JoinedReport.objects.count() == 1
    first.refresh_from_db()
    assert first.duplicates_count == 1 and first.reports_count == 2
    assert AuditEntry.objects.filter(action="problem.join", object_id=first.pk).get().changes == {
        "duplicates_count": [0, 1]}
    # Another category is another problem; a settled problem reported again is a new one.
    other = report(plot, category=ProblemCategory.DAMAGED_PLANTS).report
    assert other.pk != first.pk
    ProblemReport.objects.filter(pk=first.pk).update(status=ProblemStatus.CLOSED, resolved_at=timezone.now())
    assert report(plot).report.pk not in (first.pk, other.pk)


def test_the_database_refuses_two_open_reports_of_one_problem(plot):
    report(plot)
    with pytest.raises(IntegrityError, match="problem_one_active_per_asset_category"), transaction.atomic():
        ProblemReport.objects.create(asset=plot, category=ProblemCategory.LITTER, status=ProblemStatus.IN_PROGRESS)
    ProblemReport.objects.create(asset=plot, category=ProblemCategory.LITTER, status=ProblemStatus.RESOLVED)


@pytest.mark.django_db(transaction=True)
def test_a_racing_report_waits_for_the_first_and_joins_it(district):
    """The first reporter's transaction has inserted but not committed when the second looks for an
    open report: the second finds none, inserts, waits on the unique index, fails, and joins."""
    plot = GreenPlotFactory()
    inserted, errors = threading.Event(), []

    def first_reporter():
        try:
            with transaction.atomic():
                ProblemReport.objects.create(asset=plot, category=ProblemCategory.LITTER, description="先报的")
                inserted.set()
                time.sleep(0.5)  # the second reporter is now blocked on the unique index
        except Exception as error:  # noqa: BLE001 — surfaced by the assertion below
            errors.append(error)
            inserted.set()
        finally:
            connection.close()

    thread = threading.Thread(target=first_reporter)
    thread.start()
    assert inserted.wait(5)
    second = report(plot, description="后报的")
    thread.join(5)
    assert errors == []
    assert ProblemReport.objects.count() == 1
    assert second.joined is not None and second.report.description == "先报的"
    assert second.report.duplicates_count == 1


# Answering ---------------------------------------------------------------------------------------

KEY = "9d3b6f0a2c4e4b8f8a1d7c5e3b2a1f00"


def test_the_same_report_sent_twice_is_one_report_not_a_second_resident(plot, media_root):
    first = report(plot, photos=[png_upload()], submission_key=KEY)
    files = sorted(media_root.rglob("*.*"))
    again = report(plot, photos=[png_upload()], submission_key=KEY)
    assert (again.report, again.joined, again.again) == (first.report, None, True)
    first.report.refresh_from_db()
    assert first.report.duplicates_count == 0 and not JoinedReport.objects.exists()
    assert Photo.objects.count() == 1 and sorted(media_root.rglob("*.*")) == files
    assert AuditEntry.objects.filter(action__startswith="problem.").count() == 1
    # A second resident (another form, another key) still joins it; their resending does not.
    joined = report(plot, description="又看到垃圾", submission_key="b" * 32)
    assert report(plot, description="又看到垃圾", submission_key="b" * 32).joined == joined.joined
    assert JoinedReport.objects.count() == 1


def test_a_report_key_reused_on_another_asset_or_too_long_is_refused(plot, district):
    report(plot, submission_key=KEY)
    with pytest.raises(ValidationError) as refused:
        report(GreenPlotFactory(), submission_key=KEY)
    assert refused.value.code == "submission_key_used"
    with pytest.raises(ValidationError):
        report(plot, description="另一个", submission_key="k" * 65)
    assert ProblemReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_of_one_report_at_the_same_instant_make_one_report(district):
    plot = GreenPlotFactory()
    barrier, outcomes = threading.Barrier(2, timeout=30), [None, None]

    def send(index):
        try:
            barrier.wait()
            outcomes[index] = report(plot, submission_key=KEY).again
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == [False, True]
    assert ProblemReport.objects.count() == 1 and not JoinedReport.objects.exists()


def test_street_staff_take_a_report_through_to_resolved_with_the_log_that_fixed_it(plot, west_staff):
    problem = report(plot).report
    start_work(actor=west_staff, report=problem, reply="明早清理")
    assert problem.status == ProblemStatus.IN_PROGRESS and problem.started_at is not None
    assert problem.triaged_by == west_staff and problem.staff_reply == "明早清理"
    log = log_on(plot, west_staff)
    resolve_problem(actor=west_staff, report=problem, reply="已清理干净", upkeep_log=log)
    assert state(problem)[:3] == (ProblemStatus.RESOLVED, "已清理干净", log.pk)
    assert problem.resolved_at >= problem.started_at
    entries = AuditEntry.objects.filter(object_id=problem.pk, object_type="problems.problemreport")
    assert [entry.action for entry in entries.order_by("id")] == [
        "problem.report", "problem.in_progress", "problem.resolved"]
    assert entries.get(action="problem.resolved").changes["resolved_by_log_id"] == [None, log.pk]


def test_a_resolution_must_link_upkeep_of_the_same_asset(plot, west_staff, district):
    problem = report(plot).report
    other_log = log_on(GreenPlotFactory(), west_staff)
    with pytest.raises(ValidationError) as error:
        resolve_problem(actor=west_staff, report=problem, reply="已处理", upkeep_log=other_log)
    assert error.value.message_dict == {"upkeep_log": ["Choose upkeep done on this asset."]}
    with pytest.raises(ValidationError):
        resolve_problem(actor=west_staff, report=problem, reply="已处理", upkeep_log=None)
    assert state(problem) == (ProblemStatus.OPEN, "", None, None)


def test_closing_or_resolving_needs_a_public_reply(plot, west_staff):
    problem = report(plot).report
    with pytest.raises(ValidationError) as error:
        close_not_fixed(actor=west_staff, report=problem, reply="  ")
    assert "reply" in error.value.message_dict
    with pytest.raises(ValidationError):
        resolve_problem(actor=west_staff, report=problem, reply="", upkeep_log=log_on(plot, west_staff))
    assert state(problem) == (ProblemStatus.OPEN, "", None, None)
    close_not_fixed(actor=west_staff, report=problem, reply="这是私人物业，已转告物业公司")
    assert problem.status == ProblemStatus.CLOSED and problem.resolved_at is not None


def test_a_settled_report_cannot_change_status_again(plot, west_staff):
    problem = report(plot).report
    close_not_fixed(actor=west_staff, report=problem, reply="无法处理")
    for attempt in (lambda: start_work(actor=west_staff, report=problem),
                    lambda: resolve_problem(actor=west_staff, report=problem, reply="好了",
                                            upkeep_log=log_on(plot, west_staff)),
                    lambda: close_not_fixed(actor=west_staff, report=problem, reply="再关一次")):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.messages == ["This report is already closed, not fixed."]
    reply_to_problem(actor=west_staff, report=problem, reply="补充说明：已转告业主")
    assert state(problem)[:2] == (ProblemStatus.CLOSED, "补充说明：已转告业主")


@pytest.mark.parametrize("who", ["east_staff", "grid_worker", "anonymous", "plain_user"])
def test_only_staff_answering_for_the_assets_street_may_act(plot, district, who, east_staff, django_user_model):
    actor = {
        "east_staff": east_staff,
        "grid_worker": make_staff(Role.GRID_WORKER, grids=[district["W1S"]]),
        "anonymous": ANONYMOUS,
        "plain_user": django_user_model.objects.create_user("resident"),
    }[who]
    problem = report(plot).report
    log = UpkeepLog.objects.create(asset=plot, action=UpkeepAction.CLEANING, staff=make_district_admin(),
                                   performed_at=timezone.now())
    for attempt in (lambda: start_work(actor=actor, report=problem, reply="我来"),
                    lambda: reply_to_problem(actor=actor, report=problem, reply="我来"),
                    lambda: resolve_problem(actor=actor, report=problem, reply="好了", upkeep_log=log),
                    lambda: close_not_fixed(actor=actor, report=problem, reply="不修")):
        with pytest.raises(PermissionDenied):
            attempt()
    assert state(problem) == (ProblemStatus.OPEN, "", None, None)
    assert not AuditEntry.objects.exclude(action="problem.report").exists()


def test_district_admin_answers_everywhere(plot):
    problem = report(plot).report
    close_not_fixed(actor=make_district_admin(), report=problem, reply="重复")
    assert problem.status == ProblemStatus.CLOSED


def test_revealing_mobiles_needs_the_right_and_is_recorded(plot, west_staff, district):
    problem = report(plot, contact=Contact(mobile="13912345678", consent=True)).report
    joined = report(plot, contact=Contact(mobile="13712345678", consent=True)).joined
    with pytest.raises(PermissionDenied):
        reveal_reporter_mobiles(actor=west_staff, report=problem)
    revealer = make_staff(Role.STREET_STAFF, streets=[district["W"]], can_reveal_mobile=True)
    assert reveal_reporter_mobiles(actor=revealer, report=problem) == {
        "report": "13912345678", str(joined.pk): "13712345678"}
    entry = AuditEntry.objects.get(action="problem.reveal_mobile")
    assert entry.actor == revealer and "139" not in str(entry.changes)
