"""State changes of consultation meetings and resolutions, one named function each.

Each is keyword-only and callable the same way from a view, the API, the admin, the import or a
command: it checks permission with :mod:`registry.access` (``Action.RECORD_MEETING``: staff of the
meeting's street, grid and community workers of its community or grid, district administrators
everywhere), writes in one transaction with its audit record and pghistory context, and raises
``PermissionDenied`` or ``ValidationError`` (a message in the user's language, nothing written).

A resolution's life: ``record_meeting`` (with its resolutions) or ``add_resolution`` → adopted (or
rejected, not adopted by the meeting) → ``start_resolution`` (being carried out) →
``execute_resolution`` (executed: a date not before the meeting, evidence) or, from adopted or
being carried out, ``declare_not_feasible`` (a public reason).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from consultation.models import (
    OPEN, ConsultationPhoto, ConvenerRole, Meeting, MeetingLevel, Resolution, ResolutionStatus, VenueKind,
)
from problems.models import ProblemStatus
from registry import audit
from registry.access import Action, can, role_allows
from registry.history import operation
from registry.photos import renditions, storage
from registry.photos.pipeline import attach_renditions, read_upload

MAX_TEXT = 2000
MAX_PHOTOS = 8
RESOLUTION_AUDITED = ("text", "votes_for", "votes_against", "votes_abstain", "status", "responsible",
                      "responsible_adopter_id", "responsible_street_office", "due_date", "executed_on",
                      "not_feasible_reason", "carried_by_project_id", "carried_by_upkeep_id",
                      "carried_by_problem_id", "carried_by_adoption_id", "external_id")
MEETING_AUDITED = ("level", "community_id", "grid_id", "building_address", "building_id", "venue_kind", "date",
                   "convener_role", "topic", "participants", "households_present", "is_published")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_role(actor):
    if not role_allows(actor, Action.RECORD_MEETING):
        raise PermissionDenied(_("You may record consultation meetings only in your own area."))


def _require(actor, meeting: Meeting):
    _require_role(actor)
    if not can(actor, Action.RECORD_MEETING, meeting):
        raise PermissionDenied(_("You may record consultation meetings only in your own area."))


def _count(value, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: _("Give a whole number.")}) from None
    if number < 0:
        raise ValidationError({name: _("A count cannot be negative.")})
    return number


# Meetings ------------------------------------------------------------------------------------------

@dataclass
class ResolutionInput:
    """One resolution as a form, the import or the API gives it to :func:`record_meeting`."""

    text: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    adopted: bool = True
    responsible: str = ""
    responsible_adopter: object = None
    responsible_street_office: bool = False
    due_date: datetime.date | None = None
    external_id: str = ""
    extra: dict = field(default_factory=dict)


def _check_meeting(actor, meeting: Meeting) -> None:
    """Fields, area and permission of an unsaved or changed meeting; sets its street. Writes nothing."""
    _require_role(actor)
    errors = {}
    if meeting.level not in MeetingLevel.values:
        errors["level"] = _("Choose community, grid or building as the meeting's level.")
    if meeting.venue_kind not in VenueKind.values:
        errors["venue_kind"] = _("Choose one of the listed venues.")
    if meeting.convener_role not in ConvenerRole.values:
        errors["convener_role"] = _("Choose who convened the meeting.")
    if not isinstance(meeting.date, datetime.date):
        errors["date"] = _("Give the meeting's date.")
    meeting.topic = (meeting.topic or "").strip()
    if not meeting.topic:
        errors["topic"] = _("Give the meeting's topic.")
    elif len(meeting.topic) > 300:
        errors["topic"] = _("Please keep the topic under 300 characters.")
    for name in ("participants", "households_present"):
        try:
            setattr(meeting, name, _count(getattr(meeting, name), name))
        except ValidationError as error:
            errors.update(error.message_dict)
    if (meeting.participants is not None and meeting.households_present is not None
            and meeting.households_present > meeting.participants):
        errors["households_present"] = _("More household representatives than participants.")
    if meeting.community_id is None:
        errors["community"] = _("Choose the community.")
    if errors:
        raise ValidationError(errors)
    community = meeting.community
    meeting.street_id = community.street_id
    if meeting.grid_id is not None and meeting.grid.community_id != community.pk:
        raise ValidationError({"grid": _("This grid is not in the meeting's community.")})
    if meeting.building_id is not None and meeting.building.community_id != community.pk:
        raise ValidationError({"building": _("This building is not in the meeting's community.")})
    if not can(actor, Action.RECORD_MEETING, meeting):
        raise ValidationError({"community": _("This community is not in your area: choose one of your own.")})


def _check_resolution(resolution: Resolution, participants: int | None) -> None:
    errors = {}
    resolution.text = (resolution.text or "").strip()
    if not resolution.text:
        errors["text"] = _("Give the resolution's text.")
    elif len(resolution.text) > MAX_TEXT:
        errors["text"] = _("Please keep the text under %(max)d characters.") % {"max": MAX_TEXT}
    for name in ("votes_for", "votes_against", "votes_abstain"):
        try:
            setattr(resolution, name, _count(getattr(resolution, name), name) or 0)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    total = resolution.votes_for + resolution.votes_against + resolution.votes_abstain
    if participants is not None and total > participants:
        raise ValidationError({"votes_for": _(
            "The votes (%(votes)d) are more than the participants (%(participants)d).")
            % {"votes": total, "participants": participants}})
    if resolution.due_date is not None and resolution.due_date < resolution.meeting_date:
        raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
    resolution.responsible = (resolution.responsible or "").strip()[:200]


def _new_resolution(meeting: Meeting, given: ResolutionInput) -> Resolution:
    resolution = Resolution(
        meeting=meeting, text=given.text, votes_for=given.votes_for, votes_against=given.votes_against,
        votes_abstain=given.votes_abstain,
        status=ResolutionStatus.ADOPTED if given.adopted else ResolutionStatus.REJECTED,
        responsible=given.responsible, responsible_adopter=given.responsible_adopter,
        responsible_street_office=bool(given.responsible_street_office), due_date=given.due_date,
        external_id=(given.external_id or "").strip(), street_id=meeting.street_id,
        community_id=meeting.community_id, meeting_date=meeting.date)
    _check_resolution(resolution, meeting.participants)
    return resolution


def _check_photos(photos) -> list:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Add at most %(max)d photos.") % {"max": MAX_PHOTOS}})
    return [renditions.process(read_upload(upload)) for upload in photos]  # all checked before any write


def _save_photos(actor, processed, **owner) -> list[str]:
    created = []
    try:
        for rendition in processed:
            row = ConsultationPhoto(uploaded_by=_user(actor), **owner)
            created += attach_renditions(row, rendition)
            row.save()
    except BaseException:
        storage.delete_quietly(created)
        raise
    return created


def record_meeting(*, actor, community, level: str, date: datetime.date, topic: str, grid=None,
                   building=None, building_address: str = "", venue_kind: str = VenueKind.LIVING_ROOM,
                   convener_role: str = ConvenerRole.RESIDENTS_COMMITTEE, participants=None,
                   households_present=None, minutes: str = "", is_published: bool = True, assets=(),
                   projects=(), resolutions=(), photos=()) -> Meeting:
    """Record a meeting with its resolutions (each a :class:`ResolutionInput`) and photos, all or nothing."""
    meeting = Meeting(community=community, grid=grid, building=building, level=level, date=date, topic=topic,
                      building_address=(building_address or "").strip()[:300], venue_kind=venue_kind,
                      convener_role=convener_role, participants=participants,
                      households_present=households_present, minutes=(minutes or "").strip(),
                      is_published=is_published, created_by=_user(actor))
    _check_meeting(actor, meeting)
    rows = []
    for number, given in enumerate(resolutions, start=1):
        try:
            rows.append(_new_resolution(meeting, given))
        except ValidationError as error:
            raise ValidationError({"resolutions": _("Resolution %(number)d: %(message)s") % {
                "number": number, "message": " ".join(error.messages)}}) from None
    _check_unique_external_ids(rows)
    for asset in assets:
        if not can(actor, Action.RECORD_MEETING, asset):
            raise ValidationError({"assets": _("Link only assets of your own area.")})
    for project in projects:
        if not can(actor, Action.RECORD_MEETING, project):
            raise ValidationError({"projects": _("Link only projects of your own area.")})
    processed = _check_photos(list(photos))
    created = []
    try:
        with transaction.atomic(), operation("consultation.record_meeting", actor=actor):
            meeting.save()
            meeting.assets.set(assets)
            meeting.projects.set(projects)
            for row in rows:
                row.meeting = meeting
                row.save()
            created = _save_photos(actor, processed, meeting=meeting)
            audit.record(actor=actor, action="consultation.record_meeting", obj=meeting, asset=building,
                         changes={**audit.diff({}, audit.snapshot(meeting, MEETING_AUDITED)),
                                  "resolutions": [None, [row.pk for row in rows]]})
    except BaseException:
        storage.delete_quietly(created)
        raise
    return meeting


def _check_unique_external_ids(rows) -> None:
    ids = [row.external_id for row in rows if row.external_id]
    if len(ids) != len(set(ids)):
        raise ValidationError({"external_id": _("The same external id is given twice.")})
    taken = set(Resolution.objects.filter(external_id__in=ids).exclude(pk__in=[r.pk for r in rows if r.pk])
                .values_list("external_id", flat=True))
    if taken:
        raise ValidationError({"external_id": _("Another resolution already has the external id %(id)s.")
                               % {"id": sorted(taken)[0]}})


def add_resolution(*, actor, meeting: Meeting, resolution: ResolutionInput) -> Resolution:
    """Add one more resolution to a recorded meeting."""
    _require(actor, meeting)
    row = _new_resolution(meeting, resolution)
    _check_unique_external_ids([row])
    with transaction.atomic(), operation("consultation.add_resolution", actor=actor):
        row.save()
        audit.record(actor=actor, action="consultation.add_resolution", obj=row, asset=meeting.building,
                     changes=audit.diff({}, audit.snapshot(row, RESOLUTION_AUDITED)))
    return row


# Resolution statuses -------------------------------------------------------------------------------

def _change(actor, resolution: Resolution, name: str, before: dict | None = None, **values) -> Resolution:
    """Write ``values`` to ``resolution`` with its audit record and history context."""
    before = before if before is not None else audit.snapshot(resolution, RESOLUTION_AUDITED)
    with transaction.atomic(), operation(f"consultation.{name}", actor=actor):
        for key, value in values.items():
            setattr(resolution, key, value)
        resolution.save()
        audit.record(actor=actor, action=f"consultation.{name}", obj=resolution, asset=resolution.meeting.building,
                     changes=audit.diff(before, audit.snapshot(resolution, RESOLUTION_AUDITED)))
    return resolution


def _fresh(actor, resolution: Resolution) -> Resolution:
    _require(actor, resolution.meeting)
    resolution.refresh_from_db()
    return resolution


def start_resolution(*, actor, resolution: Resolution) -> Resolution:
    """adopted → being carried out."""
    resolution = _fresh(actor, resolution)
    if resolution.status != ResolutionStatus.ADOPTED:
        raise ValidationError({"status": _("Only an adopted resolution can start being carried out.")})
    return _change(actor, resolution, "start_resolution", status=ResolutionStatus.IN_PROGRESS)


def execute_resolution(*, actor, resolution: Resolution, executed_on: datetime.date | None, project=None,
                       upkeep_log=None, problem=None, adoption=None, photos=()) -> Resolution:
    """adopted or being carried out → executed, on a date not before the meeting, with its evidence:
    photos and what carried it out (a project, an upkeep log, a resolved problem report, an adoption)."""
    resolution = _fresh(actor, resolution)
    if resolution.status not in OPEN:
        raise ValidationError({"status": _("Only an adopted resolution or one being carried out can be executed.")})
    if not isinstance(executed_on, datetime.date):
        raise ValidationError({"executed_on": _("Give the date it was carried out.")})
    if executed_on < resolution.meeting_date:
        raise ValidationError({"executed_on": _("It cannot have been carried out before the meeting (%(date)s).")
                               % {"date": resolution.meeting_date.isoformat()}})
    for name, row in (("project", project), ("upkeep_log", upkeep_log), ("problem", problem),
                      ("adoption", adoption)):
        if row is not None and not can(actor, Action.RECORD_MEETING, row):
            raise ValidationError({name: _("Link only evidence from your own area.")})
    if problem is not None and problem.status != ProblemStatus.RESOLVED:
        raise ValidationError({"problem": _("Link a problem report only once it is resolved.")})
    processed = _check_photos(list(photos))
    created = []
    try:
        with transaction.atomic():
            created = _save_photos(actor, processed, resolution=resolution)
            _change(actor, resolution, "execute_resolution", status=ResolutionStatus.EXECUTED,
                    executed_on=executed_on, carried_by_project=project or resolution.carried_by_project,
                    carried_by_upkeep=upkeep_log or resolution.carried_by_upkeep,
                    carried_by_problem=problem or resolution.carried_by_problem,
                    carried_by_adoption=adoption or resolution.carried_by_adoption)
    except BaseException:
        storage.delete_quietly(created)
        raise
    return resolution


def declare_not_feasible(*, actor, resolution: Resolution, reason: str) -> Resolution:
    """adopted or being carried out → not feasible, with a reason the public reads."""
    resolution = _fresh(actor, resolution)
    if resolution.status not in OPEN:
        raise ValidationError({"status": _("Only an adopted resolution or one being carried out can be declared "
                                           "not feasible.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"not_feasible_reason": _("Say publicly why it cannot be carried out.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"not_feasible_reason": _("Please keep the text under %(max)d characters.")
                               % {"max": MAX_TEXT}})
    return _change(actor, resolution, "declare_not_feasible", status=ResolutionStatus.NOT_FEASIBLE,
                   not_feasible_reason=reason)


def update_resolution(*, actor, resolution: Resolution, **changes) -> Resolution:
    """Correct a resolution's own facts (text, votes, responsible party, due date, external id);
    its status changes only through the operations above."""
    allowed = {"text", "votes_for", "votes_against", "votes_abstain", "responsible", "responsible_adopter",
               "responsible_street_office", "due_date", "external_id"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"update_resolution cannot change {sorted(unknown)}")
    resolution = _fresh(actor, resolution)
    before = audit.snapshot(resolution, RESOLUTION_AUDITED)
    for key, value in changes.items():
        setattr(resolution, key, value)
    resolution.external_id = (resolution.external_id or "").strip()
    _check_resolution(resolution, resolution.meeting.participants)
    _check_unique_external_ids([resolution])
    return _change(actor, resolution, "update_resolution", before=before)
