"""log_upkeep's position, correct_upkeep's 24-hour rule, per-asset schedules: permission, audit, bad input."""

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.audit import AuditEntry
from registry.staffing import Role
from tests.factories import GardenFactory, MuralFactory, make_staff
from upkeep.models import UpkeepAction, UpkeepLog, UpkeepSchedule
from upkeep.operations import (
    correct_upkeep,
    log_upkeep,
    may_correct,
    remove_upkeep_schedule,
    set_upkeep_schedule,
)


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, streets=[district["W"]])


@pytest.fixture
def garden(district):
    return GardenFactory()  # street W


def test_a_log_records_where_the_phone_was(west_staff, garden):
    log = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING,
                     position=Point(113.2351, 23.1221, srid=4326))
    log.refresh_from_db()
    assert (round(log.position.x, 4), round(log.position.y, 4)) == (113.2351, 23.1221)
    assert AuditEntry.objects.get(action="upkeep.log", object_id=log.pk).changes["position"][1].startswith("SRID=4326")


@pytest.mark.parametrize("position", [Point(200, 23, srid=4326), Point(113, 95, srid=4326),
                                      Point(12600000, 2600000, srid=3857), "113.2,23.1"])
def test_a_position_that_is_not_a_place_is_refused(west_staff, garden, position):
    with pytest.raises(ValidationError) as error:
        log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, position=position)
    assert "position" in error.value.message_dict
    assert not UpkeepLog.objects.exists() and not AuditEntry.objects.exists()


def test_a_log_in_the_future_is_refused(west_staff, garden):
    with pytest.raises(ValidationError) as error:
        log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING,
                   performed_at=timezone.now() + datetime.timedelta(hours=2))
    assert error.value.message_dict["performed_at"] == ["Care work cannot be logged in the future."]
    assert not UpkeepLog.objects.exists()


def test_staff_cannot_log_on_another_streets_asset(west_staff):
    east = MuralFactory()
    with pytest.raises(PermissionDenied):
        log_upkeep(actor=west_staff, asset=east, action=UpkeepAction.INSPECTION)
    assert not UpkeepLog.objects.exists()


def test_staff_correct_their_own_log_within_24_hours_and_the_audit_keeps_the_old_values(west_staff, garden):
    log = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, notes="浇水", participants=1)
    assert may_correct(west_staff, log)
    corrected = correct_upkeep(actor=west_staff, log=log, action=UpkeepAction.WEEDING, notes="其实是除草",
                               participants=2)
    assert (corrected.action, corrected.notes, corrected.participants) == ("weeding", "其实是除草", 2)
    entry = AuditEntry.objects.get(action="upkeep.correct")
    assert entry.changes == {"action": ["watering", "weeding"], "notes": ["浇水", "其实是除草"],
                             "participants": [1, 2]}
    assert entry.actor == west_staff and entry.asset_id == garden.pk


def test_after_24_hours_a_log_can_no_longer_be_corrected(west_staff, garden):
    log = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING)
    UpkeepLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1))
    log.refresh_from_db()
    assert not may_correct(west_staff, log)
    with pytest.raises(PermissionDenied, match="24 hours"):
        correct_upkeep(actor=west_staff, log=log, notes="too late")
    assert UpkeepLog.objects.get(pk=log.pk).notes == ""


def test_only_the_staff_member_who_logged_it_may_correct_a_log(district, west_staff, garden):
    log = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING)
    colleague = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    assert not may_correct(colleague, log)
    with pytest.raises(PermissionDenied, match="yourself"):
        correct_upkeep(actor=colleague, log=log, notes="not mine")
    # Moved to another street since: no longer theirs to change.
    west_staff.staff_assignment.streets.set([district["E"]])
    del west_staff._registry_scope
    with pytest.raises(PermissionDenied):
        correct_upkeep(actor=west_staff, log=log, notes="moved away")
    assert not AuditEntry.objects.filter(action="upkeep.correct").exists()


def test_a_correction_cannot_move_the_work_into_the_future_or_change_other_fields(west_staff, garden):
    log = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING)
    with pytest.raises(ValidationError):
        correct_upkeep(actor=west_staff, log=log, performed_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        correct_upkeep(actor=west_staff, log=log, action="dancing")
    with pytest.raises(TypeError):
        correct_upkeep(actor=west_staff, log=log, asset=MuralFactory())
    assert UpkeepLog.objects.get(pk=log.pk).action == "watering"


def test_street_staff_set_and_remove_an_assets_schedule_with_history(district, west_staff, garden):
    schedule = set_upkeep_schedule(actor=west_staff, asset=garden, action=UpkeepAction.WATERING,
                                   interval_days=5, summer_interval_days=2)
    again = set_upkeep_schedule(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, interval_days=6)
    assert again.pk == schedule.pk and UpkeepSchedule.objects.get().interval_days == 6
    assert AuditEntry.objects.filter(action="upkeep.schedule").count() == 2
    with pytest.raises(ValidationError):
        set_upkeep_schedule(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, interval_days=0)
    grid_worker = make_staff(Role.GRID_WORKER, grids=[district["W1S"]])
    with pytest.raises(PermissionDenied):
        set_upkeep_schedule(actor=grid_worker, asset=garden, action=UpkeepAction.WATERING, interval_days=1)
    with pytest.raises(PermissionDenied):
        set_upkeep_schedule(actor=west_staff, asset=MuralFactory(), action=UpkeepAction.INSPECTION, interval_days=1)
    remove_upkeep_schedule(actor=west_staff, schedule=again)
    assert not UpkeepSchedule.objects.exists()
    assert AuditEntry.objects.get(action="upkeep.schedule.remove").changes["interval_days"] == [6, None]


def test_a_bad_photo_among_good_ones_stores_nothing(west_staff, garden, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from registry.photos import Photo

    settings.MEDIA_ROOT = str(tmp_path)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG")
    good = SimpleUploadedFile("good.jpg", buffer.getvalue(), content_type="image/jpeg")
    html = SimpleUploadedFile("bad.jpg", b"<html><body>not a photo</body></html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, photos=[good, html])
    assert not UpkeepLog.objects.exists() and not Photo.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
