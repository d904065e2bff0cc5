"""State changes of upkeep: record care work on an asset, correct it, set an asset's schedule.

Callable the same way from a view, the API, the admin and a command: each checks permission,
runs in one transaction and writes the audit record.
"""

import datetime

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import audit
from registry.access import Action, can, upkeep_performer
from registry.history import recorded_as
from registry.photos.pipeline import add_photo, validate_upload
from registry.submissions import KEY_LENGTH
from upkeep.models import UpkeepLog, UpkeepSchedule

#: Clocks on phones drift; a log a few minutes "in the future" is not an error.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


class AlreadySubmitted(Exception):
    """The log with this submission key exists already (``.log``): the same form was sent twice."""

    def __init__(self, log: UpkeepLog):
        super().__init__(f"upkeep log {log.pk} was already sent with this submission key")
        self.log = log


@recorded_as("upkeep.log")
def log_upkeep(*, actor, asset, action: str, performed_at: datetime.datetime | None = None, notes: str = "",
               duration_minutes: int | None = None, participants: int = 1, photos=(), photos_before=(),
               position: Point | None = None, submission_key: str = "",
               recorded_at: datetime.datetime | None = None) -> UpkeepLog:
    """Record care work done on ``asset`` by ``actor`` (staff in scope, or the current adopter).

    ``photos`` (after, or during, the work) and ``photos_before`` are uploaded files, each taken
    through the photo pipeline and attached to the log. ``position`` is where the phone was when
    the work was logged (WGS-84), if the browser said. Raises PermissionDenied or
    ValidationError; on either, nothing is written.

    ``submission_key`` (the form's random key, or the API's Idempotency-Key) makes sending the same
    work twice harmless: the second time raises :class:`AlreadySubmitted` with the first log, and
    writes nothing — also when both arrive at once (the unique constraint decides, before any photo
    is stored).

    ``recorded_at`` is when the phone recorded the log, for one made offline and sent later: kept
    beside the time it arrived (``created_at``), and the correction window counts from it. In the
    future, or older than ``OFFLINE_LIMIT``, it is refused.
    """
    staff, adopter = upkeep_performer(actor, asset)
    _refuse_resubmission(submission_key, actor, asset)
    performed_at = performed_at or timezone.now()
    _check_not_future(performed_at)
    log = UpkeepLog(asset=asset, action=action, performed_at=performed_at, notes=notes, staff=staff,
                    adopter=adopter, duration_minutes=duration_minutes, participants=participants,
                    position=_checked_position(position), submission_key=submission_key or "",
                    recorded_at=_checked_recorded_at(recorded_at))
    log.full_clean(exclude=["submission_key"])  # checked above; its uniqueness by the database, below
    _validate_photos(photos, photos_before)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a duplicate key fails here, before any photo is stored
                log.save()
        except IntegrityError:
            _refuse_resubmission(submission_key, actor, asset)
            raise
        _add_photos(actor, log, photos, photos_before)
        audit.record(actor=actor, action="upkeep.log", obj=log, changes=audit.diff({}, audit.snapshot(log)))
    return log


def _refuse_resubmission(submission_key: str, actor, asset) -> None:
    """AlreadySubmitted if ``actor`` already logged work on ``asset`` with this key; ValidationError if the
    key was used for other work (a form copied between assets, or another person's key)."""
    if not submission_key:
        return
    if len(submission_key) > KEY_LENGTH:
        raise ValidationError(_("A submission key has at most %(max)d characters."), code="submission_key_long",
                              params={"max": KEY_LENGTH})
    sent = UpkeepLog.objects.filter(submission_key=submission_key).select_related("adopter").first()
    if sent is None:
        return
    if sent.asset_id == asset.pk and actor.pk in (sent.staff_id, getattr(sent.adopter, "user_id", None)):
        raise AlreadySubmitted(sent)
    raise ValidationError(_("This form was already used for other work; reload the page and log again."),
                          code="submission_key_used")


def _check_not_future(performed_at) -> None:
    if performed_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"performed_at": _("Care work cannot be logged in the future.")})


#: How old an offline log may be when it arrives: older ones are refused, to be logged again by hand.
OFFLINE_LIMIT = datetime.timedelta(days=7)


def _checked_recorded_at(recorded_at):
    if recorded_at is None:
        return None
    now = timezone.now()
    if recorded_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"recorded_at": ValidationError(
            _("The phone's clock says this log was made in the future. Check the phone's date and time, "
              "then log it again."), code="recorded_in_future")})
    if recorded_at < now - OFFLINE_LIMIT:
        raise ValidationError({"recorded_at": ValidationError(
            _("This log was made more than %(days)d days ago and was never sent. Log the work again with the form."),
            code="recorded_too_long_ago", params={"days": OFFLINE_LIMIT.days})})
    return recorded_at


def _checked_position(position):
    """``position`` as a WGS-84 point, or ValidationError for anything that is not a place on Earth."""
    if position is None:
        return None
    if not isinstance(position, Point) or position.empty or (position.srid or 4326) != 4326:
        raise ValidationError({"position": _("The position must be a WGS-84 point.")})
    if not (-180 <= position.x <= 180 and -90 <= position.y <= 90):
        raise ValidationError({"position": _("The position is not a valid latitude and longitude.")})
    return Point(position.x, position.y, srid=4326)


def _validate_photos(photos, photos_before) -> None:
    """Check every upload before any is stored, so a bad third photo leaves no files of the first two."""
    for upload in (*photos_before, *photos):
        validate_upload(upload)


def _add_photos(actor, log, photos, photos_before) -> None:
    """Photos of a log through the pipeline: before-work ones captioned so, the others as the work's."""
    if not photos and not photos_before:
        return
    for uploads, caption in ((photos_before, _("Before the work")), (photos, "")):
        for upload in uploads:
            add_photo(asset=log.asset, upload=upload, uploaded_by=actor, upkeep_log=log, caption=str(caption))


#: How long after logging it a staff member may correct their own log.
CORRECTION_WINDOW = datetime.timedelta(hours=24)
#: What a correction may change: the work itself, never the asset, who did it or when it was logged.
CORRECTABLE_FIELDS = ("action", "performed_at", "notes", "duration_minutes", "participants")


def correction_deadline(log: UpkeepLog) -> datetime.datetime:
    """24 hours from when the log was made: on the phone (``recorded_at``, an offline log) or on arrival."""
    return (log.recorded_at or log.created_at) + CORRECTION_WINDOW


def _logged_by(actor, log: UpkeepLog) -> bool:
    """Whether ``log`` is ``actor``'s own, on an asset still in their scope."""
    return (log.staff_id is not None and log.staff_id == getattr(actor, "pk", None)
            and can(actor, Action.LOG_UPKEEP, log.asset))


def may_correct(actor, log: UpkeepLog, now: datetime.datetime | None = None) -> bool:
    """Whether ``actor`` may still correct ``log``: their own, still in their scope, within 24 hours."""
    return _logged_by(actor, log) and (now or timezone.now()) <= correction_deadline(log)


@recorded_as("upkeep.correct")
def correct_upkeep(*, actor, log: UpkeepLog, photos=(), photos_before=(), **changes) -> UpkeepLog:
    """Correct ``log``'s work (``CORRECTABLE_FIELDS``) and add photos: by the staff member who logged
    it, within 24 hours of logging it. The audit record keeps the old values.
    """
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise TypeError(f"correct_upkeep cannot change {', '.join(sorted(unknown))}")
    _validate_photos(photos, photos_before)
    with transaction.atomic():
        log = UpkeepLog.objects.select_for_update().select_related("asset").get(pk=log.pk)
        if not _logged_by(actor, log):
            raise PermissionDenied(_("You can correct only the upkeep you logged yourself."))
        if timezone.now() > correction_deadline(log):
            raise PermissionDenied(_("An upkeep log can be corrected for 24 hours after it was logged."))
        before = audit.snapshot(log, list(CORRECTABLE_FIELDS))
        for name, value in changes.items():
            setattr(log, name, value)
        _check_not_future(log.performed_at)
        log.full_clean()
        log.save(update_fields=list(changes) or None)
        _add_photos(actor, log, photos, photos_before)
        changed = audit.diff(before, audit.snapshot(log, list(CORRECTABLE_FIELDS)))
        added = len(photos) + len(photos_before)
        if added:
            changed["photos"] = [None, added]
        audit.record(actor=actor, action="upkeep.correct", obj=log, changes=changed)
    return log


@recorded_as("upkeep.schedule")
def set_upkeep_schedule(*, actor, asset, action: str, interval_days: int,
                        summer_interval_days: int | None = None, active: bool = True) -> UpkeepSchedule:
    """Give ``asset`` its own interval for ``action`` (or switch the round off), overriding the kind's default."""
    if not can(actor, Action.CHANGE_ASSET, asset):
        raise PermissionDenied(_("You can change schedules only of assets you look after."))
    with transaction.atomic():
        schedule = UpkeepSchedule.objects.select_for_update().filter(asset=asset, action=action).first()
        before = audit.snapshot(schedule) if schedule else {}
        schedule = schedule or UpkeepSchedule(asset=asset, action=action)
        schedule.interval_days, schedule.summer_interval_days, schedule.active = (
            interval_days, summer_interval_days, active)
        schedule.full_clean()
        schedule.save()
        audit.record(actor=actor, action="upkeep.schedule", obj=schedule,
                     changes=audit.diff(before, audit.snapshot(schedule)))
    return schedule


@recorded_as("upkeep.schedule.remove")
def remove_upkeep_schedule(*, actor, schedule: UpkeepSchedule) -> None:
    """Drop ``schedule``: its asset goes back to its kind's default for that action."""
    if not can(actor, Action.CHANGE_ASSET, schedule.asset):
        raise PermissionDenied(_("You can change schedules only of assets you look after."))
    with transaction.atomic():
        audit.record(actor=actor, action="upkeep.schedule.remove", obj=schedule,
                     changes={name: [value, None] for name, value in audit.snapshot(schedule).items()})
        schedule.delete()
