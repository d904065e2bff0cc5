"""State changes of the SITE safety loop, one named function each.

Each is keyword-only and callable the same way from a view, the API, the admin, the demo loader or a
command: it checks permission with :mod:`registry.access`, writes in one transaction with its audit
record (``registry.audit``) under a named pghistory context (``registry.history.operation``), and
raises ``PermissionDenied`` or ``ValidationError`` (a message in the user's language, nothing
written, no file left) otherwise.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import audit
from registry.access import Action, can, is_staff_member, role_allows
from registry.geography import assign_geography
from registry.geometry import representative_point
from registry.history import operation
from registry.photos import renditions, storage
from registry.photos.pipeline import attach_renditions, read_upload
from registry.validators import validate_mobile
from safety.figures import safety_figures
from safety.models import (
    Ambassador, AmbassadorKind, Checklist, ChecklistItem, Evaluation, Intervention, InterventionPhoto,
    InterventionStatus, Risk, RiskCategory, RiskPhoto, RiskPublication, RiskSource, RiskStatus, RoundAnswer,
    SafetyRound, Severity, Training, TrainingPhoto,
)
from safety.queries import Place, ambassador_of
from safety.queries import place_of as _at

MAX_TEXT = 2000
MAX_PHOTOS = 8


class _Area:
    """A community (and grid) as ``registry.access.can`` reads a row: street, community, grid ids."""

    def __init__(self, community, grid=None):
        self.street_id, self.community_id = community.street_id, community.pk
        self.grid_id = grid.pk if grid is not None else None


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@contextmanager
def _writing(name: str, actor, created_files: list):
    """One transaction under the operation's name; files written inside are removed if it fails."""
    try:
        with transaction.atomic(), operation(name, actor=actor):
            yield
    except BaseException:
        storage.delete_quietly(created_files)
        raise


def _text(value, field: str, *, required: bool = True, limit: int = MAX_TEXT, message=None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("Please keep this under %(max)d characters.") % {"max": limit}})
    return value


def _process_photos(photos) -> list:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Add at most %(max)d photos.") % {"max": MAX_PHOTOS}})
    return [renditions.process(read_upload(upload)) for upload in photos]  # all checked before any write


def _save_photos(model, processed, actor, **owner) -> list[str]:
    created = []
    for rendition in processed:
        row = model(uploaded_by=_user(actor), **owner)
        created += attach_renditions(row, rendition)
        row.save()
    return created


def default_deadline(severity: str, found_at: datetime.datetime) -> datetime.datetime:
    """The deadline of an intervention on a risk of ``severity`` found at ``found_at`` (settings
    ``SAFETY_DEADLINE_HOURS``: high 24 h, medium 7 days, low 30 days)."""
    return found_at + datetime.timedelta(hours=settings.SAFETY_DEADLINE_HOURS[severity])


# Risks (S) -----------------------------------------------------------------------------------------

def _place(risk: Risk) -> None:
    if not isinstance(risk.location, GEOSGeometry) or risk.location.geom_type != "Point":
        raise ValidationError({"location": _("Give the risk's place as a point on the map.")})
    if risk.location.srid != 4326:
        risk.location = risk.location.transform(4326, clone=True)
    try:
        assign_geography(risk)
    except ValidationError:
        raise ValidationError({"location": _("This place is outside the district.")}) from None


def raise_risk(*, actor, location: Point, category: str, severity: str, description: str,
               source: str = RiskSource.ROUND, asset=None, found_at: datetime.datetime | None = None, photos=(),
               problem_report=None, round_answer: RoundAnswer | None = None) -> Risk:
    """Record a risk found at ``location`` (a WGS-84 point; the asset's place when one is given).

    A safety ambassador (no staff member) may report only in their own community; their risk's source
    is "ambassador". Staff may record risks in the part of the district they work in.
    """
    if category not in RiskCategory.values:
        raise ValidationError({"category": _("Choose one of the listed risk categories.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose high, medium or low severity.")})
    if source not in RiskSource.values:
        raise ValidationError({"source": _("Choose one of the listed sources.")})
    description = _text(description, "description", message=_("Describe the risk."))
    if location is None and asset is not None:
        location = asset.location
    now = timezone.now()
    found_at = found_at or now
    if found_at > now + datetime.timedelta(minutes=5):
        raise ValidationError({"found_at": _("A risk cannot be found in the future.")})
    risk = Risk(location=location, asset=asset, category=category, severity=severity, source=source,
                description=description, found_at=found_at, problem_report=problem_report,
                round_answer=round_answer, reported_by=_user(actor))
    _place(risk)
    ambassador = None if is_staff_member(actor) else ambassador_of(actor)
    if ambassador is not None:
        risk.source, risk.ambassador = RiskSource.AMBASSADOR, ambassador
    if not can(actor, Action.REPORT_RISK, _at(risk)):
        if ambassador is not None:  # a permission matter, said plainly: where they may report
            raise PermissionDenied(_("As a safety ambassador you can report risks only in your own "
                                     "community (%(community)s).") % {"community": ambassador.community})
        raise PermissionDenied(_("You can record risks only in the part of the district you work in."))
    if asset is not None and asset.street_id != risk.street_id and not can(actor, Action.REPORT_RISK, asset):
        raise ValidationError({"asset": _("Choose an asset of your own area.")})
    processed = _process_photos(photos)
    created = []
    with _writing("safety.raise_risk", actor, created):
        risk.save()
        created += _save_photos(RiskPhoto, processed, actor, risk=risk)
        audit.record(actor=actor, action="safety.raise_risk", obj=risk, asset=asset, changes=audit.diff(
            {}, audit.snapshot(risk, ["category", "severity", "source", "street_id", "community_id",
                                      "problem_report_id", "found_at"])))
    return risk


def raise_risk_from_problem(*, actor, report, category: str, severity: str, description: str = "", photos=()) -> Risk:
    """A staff member turns a resident's problem report into a risk at its asset; the report stays linked."""
    if not can(actor, Action.HANDLE_SAFETY, report.asset):
        raise PermissionDenied(_("You can record risks only in the part of the district you work in."))
    if report.safety_risks.exists():
        raise ValidationError(_("A risk has already been raised from this problem report."))
    return raise_risk(actor=actor, location=report.asset.location, asset=report.asset, category=category,
                      severity=severity, description=description or report.description or str(report),
                      source=RiskSource.RESIDENT, problem_report=report, photos=photos)


def accept_risk(*, actor, risk: Risk, reason: str) -> Risk:
    """Accept a risk that will not be removed (a reason is required); its planned interventions are cancelled."""
    if not can(actor, Action.MANAGE_SAFETY, _at(risk)):
        raise PermissionDenied(_("Only the street office can accept a risk."))
    reason = _text(reason, "reason", message=_("Say why the risk is accepted."))
    if not risk.is_open:
        raise ValidationError(_("This risk is no longer open."))
    with _writing("safety.accept_risk", actor, []):
        before = risk.status
        risk.status, risk.accepted_reason = RiskStatus.ACCEPTED, reason
        risk.save(update_fields=["status", "accepted_reason"])
        risk.interventions.filter(status=InterventionStatus.PLANNED).update(status=InterventionStatus.CANCELLED)
        audit.record(actor=actor, action="safety.accept_risk", obj=risk, asset=risk.asset,
                     changes={"status": [before, risk.status], "accepted_reason": [None, reason]})
    return risk


# Interventions (I) ---------------------------------------------------------------------------------

def plan_intervention(*, actor, risk: Risk, measure: str, responsible: str,
                      deadline: datetime.datetime | None = None) -> Intervention:
    """Plan a measure against an open risk; the deadline defaults from the risk's severity."""
    if not can(actor, Action.HANDLE_SAFETY, _at(risk)):
        raise PermissionDenied(_("You can plan interventions only in the part of the district you work in."))
    if not risk.is_open:
        raise ValidationError(_("This risk is no longer open."))
    measure = _text(measure, "measure", message=_("Say what will be done."))
    responsible = _text(responsible, "responsible", limit=200, message=_("Name who is responsible."))
    deadline = deadline or default_deadline(risk.severity, risk.found_at)
    if deadline < risk.found_at:
        raise ValidationError({"deadline": _("The deadline cannot be before the risk was found (%(found)s).")
                               % {"found": timezone.localtime(risk.found_at).strftime("%Y-%m-%d %H:%M")}})
    intervention = Intervention(risk=risk, measure=measure, responsible=responsible, deadline=deadline,
                                created_by=_user(actor))
    with _writing("safety.plan_intervention", actor, []):
        intervention.save()
        if risk.status == RiskStatus.FOUND:
            risk.status = RiskStatus.INTERVENTION
            risk.save(update_fields=["status"])
        audit.record(actor=actor, action="safety.plan_intervention", obj=risk, asset=risk.asset, changes={
            "intervention": [None, {"id": intervention.pk, "measure": measure, "responsible": responsible,
                                    "deadline": deadline.isoformat()}]})
    return intervention


def close_intervention(*, actor, intervention: Intervention, note: str = "", photos=(), upkeep_log=None,
                       closed_at: datetime.datetime | None = None, removes_risk: bool = True) -> Intervention:
    """Close a planned intervention with its evidence: at least one photo or an upkeep log. Unless
    ``removes_risk`` is false, the risk is removed at the same time."""
    risk = intervention.risk
    if not can(actor, Action.HANDLE_SAFETY, _at(risk)):
        raise PermissionDenied(_("You can close interventions only in the part of the district you work in."))
    if intervention.status != InterventionStatus.PLANNED:
        raise ValidationError(_("This intervention is already closed."))
    note = _text(note, "note", required=False)
    photos = list(photos or ())
    if not photos and upkeep_log is None:
        raise ValidationError({"photos": _("Closing an intervention needs evidence: a photo or an upkeep log.")})
    if upkeep_log is not None and risk.asset_id and upkeep_log.asset_id != risk.asset_id:
        raise ValidationError({"upkeep_log": _("The upkeep log is of another asset.")})
    closed_at = closed_at or timezone.now()
    if closed_at < risk.found_at:
        raise ValidationError({"closed_at": _("An intervention cannot close before the risk was found.")})
    processed = _process_photos(photos)
    created = []
    with _writing("safety.close_intervention", actor, created):
        locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if locked.status != InterventionStatus.PLANNED:
            raise ValidationError(_("This intervention is already closed."))
        intervention.status, intervention.closed_at = InterventionStatus.DONE, closed_at
        intervention.closing_note, intervention.upkeep_log = note, upkeep_log
        intervention.save(update_fields=["status", "closed_at", "closing_note", "upkeep_log"])
        created += _save_photos(InterventionPhoto, processed, actor, intervention=intervention)
        if removes_risk and risk.is_open:
            risk.status, risk.removed_at = RiskStatus.REMOVED, closed_at
            risk.save(update_fields=["status", "removed_at"])
        audit.record(actor=actor, action="safety.close_intervention", obj=risk, asset=risk.asset, changes={
            "intervention": [intervention.pk, {"status": "done", "photos": len(processed),
                                               "upkeep_log_id": getattr(upkeep_log, "pk", None)}],
            "status": [RiskStatus.INTERVENTION, risk.status]})
    return intervention


# Rounds --------------------------------------------------------------------------------------------

def create_checklist(*, actor, name_zh: str, items: Iterable, name_en: str = "") -> Checklist:
    """A checklist with its items: each a text, or a (text_zh, category, severity) tuple."""
    if not role_allows(actor, Action.MANAGE_SAFETY):
        raise PermissionDenied(_("Only the street office can change checklists."))
    name_zh = _text(name_zh, "name_zh", limit=200)
    rows = []
    for position, item in enumerate(items):
        text, category, severity = (item, RiskCategory.FIRE, Severity.MEDIUM) if isinstance(item, str) else item
        if category not in RiskCategory.values or severity not in Severity.values:
            raise ValidationError({"items": _("Choose one of the listed risk categories.")})
        rows.append(ChecklistItem(text_zh=_text(text, "items", limit=200), category=category, severity=severity,
                                  position=position))
    if not rows:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    with _writing("safety.create_checklist", actor, []):
        checklist = Checklist.objects.create(name_zh=name_zh, name_en=(name_en or "").strip())
        for row in rows:
            row.checklist = checklist
        ChecklistItem.objects.bulk_create(rows)
        audit.record(actor=actor, action="safety.create_checklist", obj=checklist,
                     changes={"items": [None, [row.text_zh for row in rows]]})
    return checklist


def schedule_round(*, actor, community, checklist: Checklist, due_on: datetime.date, grid=None) -> SafetyRound:
    if grid is not None and grid.community_id != community.pk:
        raise ValidationError({"grid": _("The grid is not in this community.")})
    safety_round = SafetyRound(community=community, grid=grid, street_id=community.street_id, checklist=checklist,
                               due_on=due_on)
    if not can(actor, Action.HANDLE_SAFETY, _Area(community, grid)):
        raise PermissionDenied(_("You can schedule rounds only in the part of the district you work in."))
    with _writing("safety.schedule_round", actor, []):
        safety_round.save()
        audit.record(actor=actor, action="safety.schedule_round", obj=safety_round,
                     changes={"due_on": [None, due_on.isoformat()], "community_id": [None, community.pk]})
    return safety_round


def record_round(*, actor, safety_round: SafetyRound, answers: dict,
                 done_at: datetime.datetime | None = None) -> SafetyRound:
    """Record a round: ``answers`` maps each checklist item's id to (passed, note) or to passed.

    Every item of the round's checklist must be answered, and only those. The next round of the
    community (or grid) is scheduled ``SAFETY_ROUND_INTERVAL_DAYS`` after this one's due day.
    """
    if not can(actor, Action.HANDLE_SAFETY, _at(safety_round)):
        raise PermissionDenied(_("You can do rounds only in the part of the district you work in."))
    if safety_round.is_done:
        raise ValidationError(_("This round has already been recorded."))
    items = {item.pk: item for item in safety_round.checklist.items.all()}
    rows = []
    for key, value in answers.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in items:
            raise ValidationError({"answers": _("An answer was given for an item that is not in this round's "
                                                "checklist.")})
        passed, note = value if isinstance(value, (tuple, list)) else (value, "")
        if not isinstance(passed, bool):
            raise ValidationError({"answers": _("Answer each item with passed or failed.")})
        rows.append(RoundAnswer(round=safety_round, item=items[item_id], passed=passed,
                                note=_text(note, "answers", required=False, limit=500)))
    missing = set(items) - {row.item_id for row in rows}
    if missing:
        raise ValidationError({"answers": _("Answer every item of the checklist (%(count)d left).")
                               % {"count": len(missing)}})
    done_at = done_at or timezone.now()
    with _writing("safety.record_round", actor, []):
        RoundAnswer.objects.bulk_create(rows)
        safety_round.done_at, safety_round.done_by = done_at, _user(actor)
        safety_round.save(update_fields=["done_at", "done_by"])
        SafetyRound.objects.create(
            community_id=safety_round.community_id, grid_id=safety_round.grid_id, street_id=safety_round.street_id,
            checklist_id=safety_round.checklist_id,
            due_on=safety_round.due_on + datetime.timedelta(days=settings.SAFETY_ROUND_INTERVAL_DAYS))
        audit.record(actor=actor, action="safety.record_round", obj=safety_round, changes={
            "done_at": [None, done_at.isoformat()], "failed": [None, [row.item_id for row in rows if not row.passed]]})
    return safety_round


def raise_risk_from_answer(*, actor, answer: RoundAnswer, location: Point | None = None, description: str = "",
                           severity: str | None = None, photos=()) -> Risk:
    """The one tap on a failed item: a risk of the item's category and severity, found by the round,
    at ``location`` (the phone's position) or else inside the round's grid or community."""
    if answer.passed:
        raise ValidationError(_("Only a failed item raises a risk."))
    if hasattr(answer, "risk"):
        raise ValidationError(_("This item has already raised a risk."))
    safety_round = answer.round
    if location is None:
        area = safety_round.grid or safety_round.community
        location = representative_point(area.boundary)
    text = description or answer.note or answer.item.text_zh
    return raise_risk(actor=actor, location=location, category=answer.item.category,
                      severity=severity or answer.item.severity, description=text, source=RiskSource.ROUND,
                      found_at=safety_round.done_at, round_answer=answer, photos=photos)


# Ambassadors and trainings (T) ---------------------------------------------------------------------

def add_ambassador(*, actor, name: str, community, kind: str = AmbassadorKind.RESIDENT, grid=None,
                   mobile: str = "") -> Ambassador:
    if not can(actor, Action.MANAGE_SAFETY, _Area(community, grid)):
        raise PermissionDenied(_("You can add ambassadors only in your own street."))
    if kind not in AmbassadorKind.values:
        raise ValidationError({"kind": _("Choose one of the listed kinds of ambassador.")})
    if grid is not None and grid.community_id != community.pk:
        raise ValidationError({"grid": _("The grid is not in this community.")})
    name = _text(name, "name", limit=100, message=_("Give the ambassador's name."))
    mobile = (mobile or "").strip()
    if mobile:
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            raise ValidationError({"mobile": error.messages}) from None
    ambassador = Ambassador(name=name, kind=kind, community=community, grid=grid, street_id=community.street_id,
                            mobile=mobile)
    with _writing("safety.add_ambassador", actor, []):
        ambassador.save()
        audit.record(actor=actor, action="safety.add_ambassador", obj=ambassador,
                     changes={"name": [None, name], "community_id": [None, community.pk]})  # never the mobile
    return ambassador


def record_training(*, actor, community, topic: str, date: datetime.date, trainer: str, attendees=(),
                    photos=()) -> Training:
    """A training session of a community; attendees must be ambassadors of that community."""
    if not can(actor, Action.MANAGE_SAFETY, _Area(community)):
        raise PermissionDenied(_("You can record trainings only in your own street."))
    topic = _text(topic, "topic", limit=200, message=_("Give the training's topic."))
    trainer = _text(trainer, "trainer", limit=100, message=_("Name the trainer."))
    if date is None or date > timezone.localdate():
        raise ValidationError({"date": _("Give the day the training took place (not in the future).")})
    attendees = list(attendees)
    if any(person.community_id != community.pk for person in attendees):
        raise ValidationError({"attendees": _("Every attendee must be an ambassador of this community.")})
    processed = _process_photos(photos)
    created = []
    with _writing("safety.record_training", actor, created):
        training = Training.objects.create(community=community, street_id=community.street_id, topic=topic,
                                           date=date, trainer=trainer, created_by=_user(actor))
        training.attendees.set(attendees)
        created += _save_photos(TrainingPhoto, processed, actor, training=training)
        audit.record(actor=actor, action="safety.record_training", obj=training,
                     changes={"topic": [None, topic], "attendees": [None, [person.pk for person in attendees]]})
    return training


def create_ambassador_account(*, actor, ambassador: Ambassador, username: str, password: str):
    """Give a trained ambassador an account with one right: report risks in their own community."""
    if not can(actor, Action.MANAGE_SAFETY, _at(ambassador)):
        raise PermissionDenied(_("You can manage ambassadors only in your own street."))
    if ambassador.user_id:
        raise ValidationError(_("This ambassador already has an account."))
    if not ambassador.trainings.exists():
        raise ValidationError(_("Only a trained ambassador can get an account."))
    username = _text(username, "username", limit=150)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    try:
        validate_password(password)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    with _writing("safety.create_ambassador_account", actor, []):
        user = User.objects.create_user(username=username, password=password)
        ambassador.user = user
        ambassador.save(update_fields=["user"])
        audit.record(actor=actor, action="safety.create_ambassador_account", obj=ambassador,
                     changes={"user_id": [None, user.pk]})
    return user


# Evaluations (E) -----------------------------------------------------------------------------------

def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The evaluation period containing ``day`` (a quarter by default, settings SAFETY_EVALUATION_MONTHS)."""
    months = settings.SAFETY_EVALUATION_MONTHS
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + months
    end = datetime.date(day.year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def _check_period_open(community, start, end, exclude=None):
    signed = Evaluation.objects.filter(community=community, signed_off_at__isnull=False,
                                       period_start__lte=end, period_end__gte=start)
    if exclude is not None:
        signed = signed.exclude(pk=exclude.pk)
    if signed.exists():
        raise ValidationError(_("This period of %(community)s has already been signed off; it cannot be evaluated "
                                "again.") % {"community": community})


def open_evaluation(*, actor, community, period_start: datetime.date | None = None,
                    period_end: datetime.date | None = None, checklist_score: int | None = None,
                    conclusion: str = "") -> Evaluation:
    """Open (or return the open) evaluation of ``community`` for a period (the current quarter by default)."""
    if not can(actor, Action.MANAGE_SAFETY, _Area(community)):
        raise PermissionDenied(_("You can evaluate only the communities of your own street."))
    if period_start is None or period_end is None:
        period_start, period_end = quarter_of(period_start or timezone.localdate())
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end date cannot be before the start date.")})
    _check_period_open(community, period_start, period_end)
    _check_score(checklist_score)
    existing = Evaluation.objects.filter(community=community, period_start=period_start,
                                         period_end=period_end).first()
    if existing is not None:
        return existing
    evaluation = Evaluation(community=community, street_id=community.street_id, period_start=period_start,
                            period_end=period_end, checklist_score=checklist_score,
                            conclusion=_text(conclusion, "conclusion", required=False, limit=4000),
                            evaluator=_user(actor))
    with _writing("safety.open_evaluation", actor, []):
        evaluation.save()
        audit.record(actor=actor, action="safety.open_evaluation", obj=evaluation, changes={
            "period": [None, f"{period_start.isoformat()}/{period_end.isoformat()}"]})
    return evaluation


def _check_score(score):
    if score is not None and not (isinstance(score, int) and 0 <= score <= 100):
        raise ValidationError({"checklist_score": _("The checklist score is a whole number from 0 to 100.")})


def update_evaluation(*, actor, evaluation: Evaluation, checklist_score: int | None, conclusion: str) -> Evaluation:
    if not can(actor, Action.MANAGE_SAFETY, _Area(evaluation.community)):
        raise PermissionDenied(_("You can evaluate only the communities of your own street."))
    if evaluation.is_signed_off:
        raise ValidationError(_("This evaluation has been signed off; it cannot change."))
    _check_score(checklist_score)
    conclusion = _text(conclusion, "conclusion", required=False, limit=4000)
    with _writing("safety.update_evaluation", actor, []):
        before = audit.snapshot(evaluation, ["checklist_score", "conclusion"])
        evaluation.checklist_score, evaluation.conclusion = checklist_score, conclusion
        evaluation.evaluator = _user(actor) or evaluation.evaluator
        evaluation.save(update_fields=["checklist_score", "conclusion", "evaluator"])
        audit.record(actor=actor, action="safety.update_evaluation", obj=evaluation,
                     changes=audit.diff(before, audit.snapshot(evaluation, ["checklist_score", "conclusion"])))
    return evaluation


def sign_off_evaluation(*, actor, evaluation: Evaluation) -> Evaluation:
    """The street signs the evaluation off: its indicators are computed and frozen; nothing changes after."""
    if not can(actor, Action.MANAGE_SAFETY, _Area(evaluation.community)):
        raise PermissionDenied(_("You can sign off only the evaluations of your own street."))
    if evaluation.is_signed_off:
        raise ValidationError(_("This evaluation has already been signed off."))
    if evaluation.checklist_score is None or not evaluation.conclusion:
        raise ValidationError(_("Enter the checklist score and the conclusion before signing off."))
    _check_period_open(evaluation.community, evaluation.period_start, evaluation.period_end, exclude=evaluation)
    with _writing("safety.sign_off_evaluation", actor, []):
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.is_signed_off:
            raise ValidationError(_("This evaluation has already been signed off."))
        evaluation.indicators = evaluation_indicators(evaluation)
        evaluation.signed_off_at, evaluation.signed_off_by = timezone.now(), _user(actor)
        evaluation.save(update_fields=["indicators", "signed_off_at", "signed_off_by"])
        audit.record(actor=actor, action="safety.sign_off_evaluation", obj=evaluation,
                     changes={"signed_off_at": [None, evaluation.signed_off_at.isoformat()]})
    return evaluation


def evaluation_indicators(evaluation: Evaluation) -> dict:
    """The indicators of an evaluation: frozen once signed off, else computed now."""
    if evaluation.is_signed_off and evaluation.indicators:
        return evaluation.indicators
    return safety_figures(community=evaluation.community, date_from=evaluation.period_start,
                          date_to=evaluation.period_end)


# Publication -----------------------------------------------------------------------------------------

def set_risk_publication(*, actor, street, publish: bool) -> RiskPublication:
    """Show (or stop showing) the street's open risks on the public map: category, severity and place,
    never the description, photos or who reported them."""
    if not can(actor, Action.MANAGE_SAFETY, _at_street(street)):
        raise PermissionDenied(_("Only the street office can publish its risks."))
    with _writing("safety.set_risk_publication", actor, []):
        row, _created = RiskPublication.objects.select_for_update().get_or_create(street=street)
        before = row.publish
        row.publish, row.updated_by = bool(publish), _user(actor)
        row.save()
        audit.record(actor=actor, action="safety.set_risk_publication", obj=row,
                     changes={"publish": [before, row.publish]})
    return row


def _at_street(street):
    return Place(street.pk, None, None)
