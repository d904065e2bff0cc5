"""Each operation of consultation, its permission and its bad inputs (clear message, nothing written)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from consultation import operations
from consultation.models import ConsultationPhoto, Meeting, MeetingLevel, Resolution, ResolutionStatus
from consultation.operations import ResolutionInput
from registry.audit import AuditEntry
from tests.consultation.conftest import MEETING_DATE, make_meeting, png_upload
from tests.factories import GreenPlotFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_meeting_with_resolutions_photos_and_audit(west_staff, district, media_root):
    plot = GreenPlotFactory()
    meeting = make_meeting(west_staff, district["W1"], assets=[plot], photos=[png_upload()], resolutions=[
        ResolutionInput(text="建设口袋花园", votes_for=30, votes_against=5, votes_abstain=5),
        ResolutionInput(text="增设停车位", votes_for=10, votes_against=25, adopted=False)])
    assert meeting.street == district["W"]
    assert list(meeting.assets.values_list("pk", flat=True)) == [plot.pk]
    first, second = meeting.resolutions.order_by("id")
    assert (first.status, second.status) == (ResolutionStatus.ADOPTED, ResolutionStatus.REJECTED)
    assert first.community == district["W1"] and first.meeting_date == MEETING_DATE
    assert ConsultationPhoto.objects.get(meeting=meeting).large.name
    assert AuditEntry.objects.filter(action="consultation.record_meeting", object_id=meeting.pk).exists()
    assert meeting.pgh_event_model.objects.filter(pgh_obj_id=meeting.pk).exists()


def test_grid_worker_records_in_their_community_only(grid_worker, district):
    meeting = make_meeting(grid_worker, district["W1"])
    assert meeting.resolutions.count() == 1
    with pytest.raises(ValidationError) as error:
        make_meeting(grid_worker, district["E1"])
    assert "not in your area" in str(error.value)


def test_community_of_another_street_is_refused_in_chinese(west_staff, district):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            make_meeting(west_staff, district["E1"])
        assert "不在您的辖区" in str(error.value)
    assert not Meeting.objects.exists()


def test_a_user_without_role_may_not_record(district):
    with pytest.raises(PermissionDenied):
        make_meeting(UserFactory(), district["W1"])


@pytest.mark.parametrize(("resolution", "participants", "message"), [
    (ResolutionInput(text="x", votes_for=30, votes_against=10, votes_abstain=1), 40, "more than the participants"),
    (ResolutionInput(text="x", votes_for=-1), 40, "cannot be negative"),
    (ResolutionInput(text=" "), 40, "resolution's text"),
    (ResolutionInput(text="x", due_date=MEETING_DATE - datetime.timedelta(days=1)), 40, "before the meeting"),
])
def test_bad_resolutions_write_nothing(west_staff, district, resolution, participants, message):
    good = ResolutionInput(text="好的决议", votes_for=1)
    with pytest.raises(ValidationError) as error:
        make_meeting(west_staff, district["W1"], participants=participants, resolutions=[good, resolution],
                     photos=[png_upload()])
    assert message in str(error.value) and "Resolution 2" in str(error.value)
    assert not Meeting.objects.exists() and not Resolution.objects.exists()
    assert not ConsultationPhoto.objects.exists()


def test_bad_meetings_write_nothing(west_staff, district):
    with pytest.raises(ValidationError) as error:
        make_meeting(west_staff, district["W1"], participants=-3)
    assert "cannot be negative" in str(error.value)
    with pytest.raises(ValidationError) as error:
        make_meeting(west_staff, district["W1"], level="street")
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_meeting(west_staff, district["W1"], level=MeetingLevel.GRID, grid=district["E1N"])
    assert "not in the meeting's community" in str(error.value)
    with pytest.raises(ValidationError):
        make_meeting(west_staff, district["W1"], participants=10, households_present=12)
    assert not Meeting.objects.exists()


def test_lifecycle_start_then_execute_with_upkeep_log_and_photo(west_staff, district):
    from upkeep.operations import log_upkeep

    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    operations.start_resolution(actor=west_staff, resolution=resolution)
    assert resolution.status == ResolutionStatus.IN_PROGRESS
    log = log_upkeep(actor=west_staff, asset=GreenPlotFactory(), action="watering")
    operations.execute_resolution(actor=west_staff, resolution=resolution, executed_on=datetime.date(2026, 6, 1),
                                  upkeep_log=log, photos=[png_upload()])
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTED and resolution.carried_by_upkeep == log
    assert resolution.photos.count() == 1
    entry = AuditEntry.objects.get(action="consultation.execute_resolution")
    assert entry.changes["status"] == ["in_progress", "executed"]
    with pytest.raises(ValidationError):  # executed is final
        operations.start_resolution(actor=west_staff, resolution=resolution)


def test_execute_refuses_no_date_and_a_date_before_the_meeting(west_staff, district):
    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    with pytest.raises(ValidationError) as error:
        operations.execute_resolution(actor=west_staff, resolution=resolution, executed_on=None)
    assert "date it was carried out" in str(error.value)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        operations.execute_resolution(actor=west_staff, resolution=resolution,
                                      executed_on=MEETING_DATE - datetime.timedelta(days=1), photos=[png_upload()])
    assert "议事日期" in str(error.value)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.ADOPTED and not ConsultationPhoto.objects.exists()


def test_not_feasible_needs_a_reason(west_staff, district):
    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    with pytest.raises(ValidationError) as error:
        operations.declare_not_feasible(actor=west_staff, resolution=resolution, reason="  ")
    assert "why it cannot be carried out" in str(error.value)
    operations.declare_not_feasible(actor=west_staff, resolution=resolution, reason="产权不清，无法施工")
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.NOT_FEASIBLE


def test_status_changes_are_refused_outside_the_area(west_staff, east_staff, grid_worker, district):
    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    with pytest.raises(PermissionDenied):
        operations.start_resolution(actor=east_staff, resolution=resolution)
    operations.start_resolution(actor=grid_worker, resolution=resolution)  # W1 is the grid worker's community


def test_database_refuses_executed_without_date_or_before_the_meeting(west_staff, district):
    from django.db import IntegrityError, transaction

    resolution = make_meeting(west_staff, district["W1"]).resolutions.get()
    for values in ({"status": "executed"}, {"executed_on": MEETING_DATE - datetime.timedelta(days=1)},
                   {"status": "not_feasible"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Resolution.objects.filter(pk=resolution.pk).update(**values)


def test_update_resolution_checks_votes_and_external_id(west_staff, district):
    first = make_meeting(west_staff, district["W1"]).resolutions.get()
    operations.update_resolution(actor=west_staff, resolution=first, external_id="LW-1")
    second = make_meeting(west_staff, district["W1"], topic="另一议题").resolutions.get()
    with pytest.raises(ValidationError) as error:
        operations.update_resolution(actor=west_staff, resolution=second, external_id="LW-1")
    assert "LW-1" in str(error.value)
    with pytest.raises(ValidationError):
        operations.update_resolution(actor=west_staff, resolution=second, votes_for=100)
    second.refresh_from_db()
    assert second.external_id == "" and second.votes_for == 37
