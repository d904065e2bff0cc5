"""State changes of renovation projects, one named function each.

Each is keyword-only and callable the same way from a view, the API, the admin, the import or a
command: it checks permission with :mod:`registry.access` (staff of the project's street; district
administrators everywhere), writes in one transaction with its audit record, and raises
``PermissionDenied`` or ``ValidationError`` (with a message in the user's language, nothing
written) otherwise.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import (
    AssetRole, Contractor, ContractorRole, FundingLine, FundingSource, Milestone, MilestonePhoto, PhaseEvent,
    PhotoStage, Project, ProjectAsset, ProjectKind,
)
from projects.phases import Phase, rank
from projects.queries import descendant_ids
from registry import audit
from registry.access import Action, can
from registry.assets import Asset, AssetKind, AssetStatus
from registry.geography import assign_geography
from registry.geometry import POLYGONAL, PUNCTUAL, representative_point, validate_geometry
from registry.history import recorded_as
from registry.photos import renditions, storage
from registry.photos.pipeline import attach_renditions, read_upload
from registry.validators import normalize_credit_code, validate_credit_code

MAX_TEXT = 2000
MAX_PHOTOS = 8
#: The fields a project's history keeps, and that update_project may change.
EDITABLE_FIELDS = ("name_zh", "name_en", "kind", "site", "description", "planned_start", "planned_end",
                   "actual_start", "actual_end", "is_public", "parent", "weight", "external_id")
AUDITED_FIELDS = tuple(name if name not in ("parent",) else "parent_id" for name in EDITABLE_FIELDS) + (
    "street_id", "community_id", "phase", "progress")


def _require(actor, project):
    if not can(actor, Action.CHANGE_PROJECT, project):
        raise PermissionDenied(_("You may run only the projects of your own street."))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# Project ------------------------------------------------------------------------------------------

def place_site(project: Project) -> None:
    """Check the site (point or polygon, WGS-84) and derive point, street, community and grid."""
    try:
        project.site = validate_geometry(project.site, POLYGONAL + PUNCTUAL)
        project.location = representative_point(project.site)
        assign_geography(project)
    except ValidationError as error:
        raise ValidationError({"site": error.messages}) from None


def _check_dates(values: dict) -> None:
    errors = {}
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            errors[end] = _("The end date cannot be before the start date.")
    if errors:
        raise ValidationError(errors)


def _check_parent(actor, project: Project, parent: Project | None) -> None:
    if parent is None:
        return
    if project.pk is not None and (parent.pk == project.pk or parent.pk in descendant_ids(project.pk)):
        raise ValidationError({"parent": _("A project cannot be part of itself or of one of its own parts.")})
    if not can(actor, Action.CHANGE_PROJECT, parent):
        raise ValidationError({"parent": _("Choose a project of your own street as the parent.")})


def _check_fields(project: Project) -> None:
    if not (project.name_zh or "").strip():
        raise ValidationError({"name_zh": _("A project needs a Chinese name.")})
    if project.kind not in ProjectKind.values:
        raise ValidationError({"kind": _("Choose one of the listed kinds of project.")})
    if not isinstance(project.weight, int) or project.weight < 1:
        raise ValidationError({"weight": _("The weight is a whole number of at least 1.")})
    if len(project.description or "") > 20000:
        raise ValidationError({"description": _("The description is too long.")})
    external_id = project.external_id or ""
    if external_id and Project.objects.filter(external_id=external_id).exclude(pk=project.pk).exists():
        raise ValidationError({"external_id": _("Another project already has this external id.")})


def check_project(*, actor, project: Project, parent_changed: bool = True) -> None:
    """Everything create_project and update_project check, writing nothing: dates, fields, the site
    (placing ``project`` in its street), the actor's permission there, and the parent. For forms
    (the admin's) that want the operation's messages on their fields before saving."""
    _check_dates({name: getattr(project, name) for name in ("planned_start", "planned_end", "actual_start",
                                                            "actual_end")})
    _check_fields(project)
    place_site(project)
    _require(actor, project)
    if parent_changed:
        _check_parent(actor, project, project.parent)


@recorded_as("project.create")
def create_project(*, actor, name_zh: str, kind: str, site: GEOSGeometry, name_en: str = "", description: str = "",
                   planned_start=None, planned_end=None, actual_start=None, actual_end=None, is_public=True,
                   parent: Project | None = None, weight: int = 1, external_id: str = "",
                   date: datetime.date | None = None) -> Project:
    """Create a project in the proposal phase (its first phase event), in the street its site lies in."""
    values = {"planned_start": planned_start, "planned_end": planned_end, "actual_start": actual_start,
              "actual_end": actual_end}
    project = Project(name_zh=(name_zh or "").strip(), name_en=(name_en or "").strip(), kind=kind, site=site,
                      description=description or "", is_public=is_public, parent=parent, weight=weight,
                      external_id=(external_id or "").strip(), created_by=_user(actor), **values)
    check_project(actor=actor, project=project)
    with transaction.atomic():
        project.save()
        PhaseEvent.objects.create(project=project, phase=Phase.PROPOSAL, date=date or timezone.localdate(),
                                  actor=_user(actor), note=str(_("Project created.")))
        audit.record(actor=actor, action="project.create", obj=project,
                     changes=audit.diff({}, audit.snapshot(project, AUDITED_FIELDS)))
    project.refresh_from_db(fields=["rolled_progress"])
    return project


@recorded_as("project.change")
def update_project(*, actor, project: Project, **changes) -> Project:
    """Change the project's own facts (any of EDITABLE_FIELDS); a new site may move it to another
    street, which the actor must also work in."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_project() cannot change {', '.join(sorted(unknown))}")
    _require(actor, project)
    before = audit.snapshot(project, AUDITED_FIELDS)
    _check_dates({name: changes.get(name, getattr(project, name))
                  for name in ("planned_start", "planned_end", "actual_start", "actual_end")})
    if "parent" in changes:
        _check_parent(actor, project, changes["parent"])
    for name, value in changes.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    _check_fields(project)
    if "site" in changes:
        place_site(project)
        _require(actor, project)
    with transaction.atomic():
        project.save()
        audit.record(actor=actor, action="project.update", obj=project,
                     changes=audit.diff(before, audit.snapshot(project, AUDITED_FIELDS)))
    project.refresh_from_db(fields=["rolled_progress"])
    return project


# Phases --------------------------------------------------------------------------------------------

@recorded_as("project.phase")
def change_phase(*, actor, project: Project, phase: str, date: datetime.date | None = None, note: str = "",
                 document_number: str = "") -> PhaseEvent:
    """Move the project to ``phase``: forward to any later phase, back to an earlier one only with a
    reason (``note``). Appends a phase event; the progress follows the phase's default unless a
    milestone has set one."""
    _require(actor, project)
    note, document_number = (note or "").strip(), (document_number or "").strip()
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Choose one of the listed phases.")})
    if phase == project.phase:
        raise ValidationError({"phase": _("The project is already in this phase.")})
    going_back = rank(phase) < rank(project.phase)
    if going_back and not note:
        raise ValidationError({"note": _("Going back to an earlier phase needs a reason.")})
    if len(note) > MAX_TEXT or len(document_number) > 100:
        raise ValidationError(_("The note or the document number is too long."))
    date = date or timezone.localdate()
    with transaction.atomic():
        locked = Project.objects.select_for_update().only("phase").get(pk=project.pk)
        if locked.phase != project.phase:  # changed meanwhile by someone else: decide again
            raise ValidationError(_("Someone else changed this project's phase meanwhile; reload and try again."))
        event = PhaseEvent.objects.create(project=project, phase=phase, previous_phase=locked.phase, date=date,
                                          actor=_user(actor), note=note, document_number=document_number,
                                          is_return=going_back)
        Project.objects.filter(pk=project.pk).update(phase=phase, updated_at=timezone.now())
        audit.record(actor=actor, action="project.return_phase" if going_back else "project.advance_phase",
                     obj=project, changes={"phase": [locked.phase, phase]})
    project.phase = phase
    project.refresh_from_db(fields=["rolled_progress"])
    return event


# Funding -------------------------------------------------------------------------------------------

def parse_amount(value, field_name: str) -> Decimal:
    """A yuan amount with at most two decimals, not negative, from a Decimal, a number or a text."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field_name: _("Enter an amount in yuan, such as 12000.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field_name: _("Enter an amount in yuan, such as 12000.50.")})
    if amount < 0:
        raise ValidationError({field_name: _("An amount cannot be negative.")})
    if amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e12"):
        raise ValidationError({field_name: _("Enter yuan with at most two decimals (and under a trillion).")})
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class FundingAdded:
    line: FundingLine
    #: Things worth a second look that do not stop the line (received more than planned, no note).
    warnings: list = field(default_factory=list)


@recorded_as("project.funding")
def add_funding(*, actor, project: Project, source: str, amount_planned, amount_received=0, sponsor=None,
                sponsor_name: str = "", date: datetime.date | None = None, note: str = "") -> FundingAdded:
    """Add a funding line; received above planned without a note is saved with a warning."""
    _require(actor, project)
    if source not in FundingSource.values:
        raise ValidationError({"source": _("Choose one of the listed funding sources.")})
    planned = parse_amount(amount_planned, "amount_planned")
    received = parse_amount(amount_received if amount_received not in (None, "") else 0, "amount_received")
    note, sponsor_name = (note or "").strip(), (sponsor_name or "").strip()
    if len(note) > 500 or len(sponsor_name) > 100:
        raise ValidationError(_("The note or the sponsor's name is too long."))
    warnings = []
    if received > planned and not note:
        warnings.append(_("More was received than planned; add a note saying why."))
    line = FundingLine(project=project, source=source, sponsor=sponsor, sponsor_name=sponsor_name,
                       amount_planned=planned, amount_received=received, date=date, note=note)
    with transaction.atomic():
        line.save()
        audit.record(actor=actor, action="project.add_funding", obj=project, changes={"funding": [None, {
            "id": line.pk, "source": source, "sponsor_id": line.sponsor_id, "sponsor_name": sponsor_name,
            "amount_planned": str(planned), "amount_received": str(received)}]})
    return FundingAdded(line, warnings)


# Contractors ---------------------------------------------------------------------------------------

@recorded_as("project.contractor")
def add_contractor(*, actor, project: Project, role: str, name: str, credit_code: str = "",
                   contract_start=None, contract_end=None) -> Contractor:
    _require(actor, project)
    name = (name or "").strip()
    if role not in ContractorRole.values:
        raise ValidationError({"role": _("Choose one of the listed contractor roles.")})
    if not name or len(name) > 200:
        raise ValidationError({"name": _("Give the contractor's name (up to 200 characters).")})
    credit_code = normalize_credit_code(credit_code or "") if credit_code else ""
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as error:
            raise ValidationError({"credit_code": error.messages}) from None
    if contract_start and contract_end and contract_end < contract_start:
        raise ValidationError({"contract_end": _("The end date cannot be before the start date.")})
    contractor = Contractor(project=project, role=role, name=name, credit_code=credit_code,
                            contract_start=contract_start, contract_end=contract_end)
    with transaction.atomic():
        contractor.save()
        audit.record(actor=actor, action="project.add_contractor", obj=project, changes={"contractor": [None, {
            "id": contractor.pk, "role": role, "name": name, "credit_code": credit_code}]})
    return contractor


# Milestones and photos -----------------------------------------------------------------------------

@dataclass(frozen=True)
class TaggedPhoto:
    """An uploaded photo and its stage: before, during or after."""

    upload: object
    stage: str
    caption: str = ""


def _check_photos(photos) -> list:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Add at most %(max)d photos.") % {"max": MAX_PHOTOS}})
    processed = []
    for photo in photos:
        if photo.stage not in PhotoStage.values:
            raise ValidationError({"photos": _("Tag each photo as before, during or after.")})
        processed.append(renditions.process(read_upload(photo.upload)))  # every photo checked before any write
    return processed


@recorded_as("project.milestone")
def add_milestone(*, actor, project: Project, date: datetime.date, text: str, progress: int | None = None,
                  photos=()) -> Milestone:
    """Add a dated milestone with its photos (each a :class:`TaggedPhoto`); a progress given here
    becomes the project's progress. The photos go through the core's photo pipeline."""
    _require(actor, project)
    text, photos = (text or "").strip(), list(photos)
    if not text:
        raise ValidationError({"text": _("Say what happened at this milestone.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Please keep the text under %(max)d characters.") % {"max": MAX_TEXT}})
    if date is None:
        raise ValidationError({"date": _("Give the milestone's date.")})
    if progress is not None and not (isinstance(progress, int) and 0 <= progress <= 100):
        raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")})
    processed = _check_photos(photos)
    created_files = []
    try:
        with transaction.atomic():
            milestone = Milestone.objects.create(project=project, date=date, text=text, progress=progress,
                                                 created_by=_user(actor))
            for photo, rendition in zip(photos, processed):
                row = MilestonePhoto(milestone=milestone, stage=photo.stage, caption=(photo.caption or "")[:200],
                                     uploaded_by=_user(actor))
                created_files += attach_renditions(row, rendition)
                row.save()
            if progress is not None:
                Project.objects.filter(pk=project.pk).update(progress=progress)
            audit.record(actor=actor, action="project.add_milestone", obj=project, changes={"milestone": [None, {
                "id": milestone.pk, "date": date.isoformat(), "progress": progress,
                "photos": [photo.stage for photo in photos]}]})
    except BaseException:
        storage.delete_quietly(created_files)
        raise
    project.refresh_from_db(fields=["progress", "rolled_progress"])
    return milestone


# Assets --------------------------------------------------------------------------------------------

@recorded_as("project.link_asset")
def link_asset(*, actor, project: Project, asset, role: str = AssetRole.RENOVATES) -> ProjectAsset:
    """Record that ``project`` renovates (or created) ``asset``; the asset must be the actor's too."""
    _require(actor, project)
    if role not in AssetRole.values:
        raise ValidationError({"role": _("Choose whether the project renovates or creates the asset.")})
    if not can(actor, Action.CHANGE_ASSET, asset):
        raise ValidationError({"asset": _("Choose an asset of your own street.")})
    with transaction.atomic():
        link, created = ProjectAsset.objects.get_or_create(project=project, asset=asset, defaults={"role": role})
        if not created and link.role != role:
            link.role = role
            link.save(update_fields=["role"])
        audit.record(actor=actor, action="project.link_asset", obj=project, asset=asset,
                     changes={"asset": [None, {"id": asset.pk, "role": role}]})
    return link


#: The asset kind a project of each kind creates when it is done (the others renovate existing assets).
CREATES_KIND = {ProjectKind.GARDEN: AssetKind.GARDEN, ProjectKind.GARDEN_PARKING: AssetKind.GARDEN,
                ProjectKind.MURAL: AssetKind.MURAL, ProjectKind.ELEVATOR: AssetKind.ELEVATOR}


@recorded_as("project.create_asset")
def create_asset(*, actor, project: Project):
    """Create the asset a project made (a garden, a mural, an elevator) on the project's site, with its
    names and description, and link it back (role "creates"). Once per project; the asset is of the
    actor's street as the project is, in use if the project is, else under renovation."""
    _require(actor, project)
    kind = CREATES_KIND.get(project.kind)
    if kind is None:
        raise ValidationError(_("Projects of this kind renovate assets; they do not create one."))
    if project.asset_links.filter(role=AssetRole.CREATES).exists():
        raise ValidationError(_("This project has already created its asset."))
    asset = Asset.kind_models[kind](
        name_zh=project.name_zh, name_en=project.name_en, geometry=project.site, description=project.description,
        is_public=project.is_public, created_by=_user(actor), updated_by=_user(actor),
        status=AssetStatus.IN_USE if project.phase == Phase.IN_USE else AssetStatus.UNDER_RENOVATION)
    try:
        asset.full_clean()
    except ValidationError as error:
        raise ValidationError({"site": error.message_dict.get("geometry", error.messages)}) from None
    with transaction.atomic():
        asset.save()
        audit.record(actor=actor, action="asset.create", obj=asset,
                     changes=audit.diff({}, audit.snapshot(asset, ["name_zh", "kind", "status", "street_id"])))
        link = ProjectAsset.objects.create(project=project, asset=asset, role=AssetRole.CREATES)
        audit.record(actor=actor, action="project.create_asset", obj=project, asset=asset,
                     changes={"asset": [None, {"id": asset.pk, "role": AssetRole.CREATES}]})
    return link
