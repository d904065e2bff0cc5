"""State changes of problem reports: report, start work, reply, resolve, close without a fix.

Each is keyword-only and callable the same way from a view, the API, the admin or a command:
it checks permission with :mod:`registry.access`, writes in one transaction with its audit
record, and raises ``PermissionDenied`` or ``ValidationError`` (nothing written) otherwise.
Reporters who left an email address and agreed to be contacted are told of every staff action
once the transaction has committed (see :mod:`problems.notifications`).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from problems.models import ACTIVE_STATUSES, JoinedReport, ProblemCategory, ProblemReport, ProblemStatus
from problems.notifications import notify_reporters
from registry import audit
from registry.access import Action, can
from registry.assets import AssetKind
from registry.history import recorded_as
from registry.photos.pipeline import add_photo, validate_upload
from registry.queries import visible_assets
from upkeep.operations import log_upkeep

MAX_PHOTOS = 4
MAX_TEXT = 2000
#: The unique constraint that keeps one active report per asset and category (problems.models).
ONE_ACTIVE_CONSTRAINT = "problem_one_active_per_asset_category"
#: What the history keeps of a report: never the reporter's contact details.
AUDITED_FIELDS = ("category", "description", "public_description", "status", "staff_reply", "resolved_by_log_id", "triaged_by_id",
                  "started_at", "resolved_at")

#: Categories that only make sense for some kinds; the others apply to every asset.
KIND_CATEGORIES = {
    ProblemCategory.DAMAGED_PLANTS: {AssetKind.GARDEN, AssetKind.GREEN_PLOT},
    ProblemCategory.MURAL_DEFACED: {AssetKind.MURAL, AssetKind.PAINTED_BOX, AssetKind.HERITAGE},
    ProblemCategory.ELEVATOR_FAULT: {AssetKind.ELEVATOR},
}


def categories_for(kind: str) -> list[tuple[str, str]]:
    """(value, label) of the categories a resident may report on an asset of ``kind``."""
    return [(value, label) for value, label in ProblemCategory.choices
            if kind in KIND_CATEGORIES.get(value, {kind})]


@dataclass(frozen=True)
class Contact:
    """How a reporter may be reached, if they wish; kept only with their consent."""

    name: str = ""
    mobile: str = ""
    email: str = ""
    consent: bool = False

    def fields(self) -> dict:
        if not (self.mobile or self.email):
            return {"reporter_name": "", "reporter_mobile": "", "reporter_email": "", "contact_consent": False}
        if not self.consent:
            raise ValidationError({"contact_consent": _(
                "Tick the box to agree that the street office keeps your contact to reply, or leave it out.")})
        return {"reporter_name": self.name.strip(), "reporter_mobile": self.mobile.strip(),
                "reporter_email": self.email.strip(), "contact_consent": True}


@dataclass(frozen=True)
class Reported:
    """What :func:`report_problem` did: ``joined`` is set when the problem was already open; ``again``
    when this very report had been sent before (nothing new was written)."""

    report: ProblemReport
    joined: JoinedReport | None = None
    again: bool = False


@recorded_as("problem.report")
def report_problem(*, actor, asset, category: str, description: str = "", photos=(), contact: Contact = Contact(),
                   language: str = "", submission_key: str = "") -> Reported:
    """File a resident's report of a problem on ``asset`` (anyone may, signed in or not).

    Needs words or a photo. If the same problem (asset and category) is already open, the report
    is joined to it instead of opening another. Photos go through the photo pipeline and are not
    public (they may show people); staff see them with the report.

    ``submission_key`` (the form's random key, or the API's Idempotency-Key): a report sent again
    with the same key (a double tap, a retry) returns the first one with ``again`` set and writes
    nothing. Sendings with one key take turns on a transaction-level advisory lock, so two at the
    same instant are told apart too.
    """
    if not visible_assets(actor).filter(pk=asset.pk).exists():
        raise PermissionDenied(_("This asset cannot be reported on."))
    description, photos = (description or "").strip(), list(photos)
    _check_report(asset, category, description, photos)
    entry = _clean_entry(asset, category, {"description": description, "language": language[:10],
                                           "submission_key": submission_key, **contact.fields()})
    for upload in photos:  # every photo checked before any is stored: a bad second one leaves no first
        validate_upload(upload)
    with transaction.atomic():
        earlier = _sent_before(submission_key)
        if earlier is not None:
            if earlier.report.asset_id != asset.pk:
                raise ValidationError(_("This form was already used for another report; reload the page and "
                                        "report again."), code="submission_key_used")
            return earlier
        report, joined = _open_or_join(asset, category, entry)
        target = joined or report
        if photos:
            target.photos.add(*[add_photo(asset=asset, upload=upload, uploaded_by=_user(actor), is_public=False,
                                          caption=str(report.get_category_display())) for upload in photos])
        if joined is None:
            audit.record(actor=actor, action="problem.report", obj=report,
                         changes=audit.diff({}, audit.snapshot(report, AUDITED_FIELDS)))
        else:
            count = report.duplicates_count
            audit.record(actor=actor, action="problem.join", obj=report,
                         changes={"duplicates_count": [count - 1, count]})
    return Reported(report, joined)


def _sent_before(submission_key: str) -> Reported | None:
    """The report (or joined report) already sent with ``submission_key``, waiting for any sending of
    the same key still in progress (the lock is released when its transaction ends)."""
    if not submission_key:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["problems.report:" + submission_key])
    report = ProblemReport.objects.filter(submission_key=submission_key).first()
    if report is not None:
        return Reported(report, None, again=True)
    joined = JoinedReport.objects.filter(submission_key=submission_key).select_related("report").first()
    return Reported(joined.report, joined, again=True) if joined is not None else None


def _check_report(asset, category, description, photos) -> None:
    if category not in dict(categories_for(asset.kind)):
        raise ValidationError({"category": _("Choose one of the listed kinds of problem.")})
    if not description and not photos:
        raise ValidationError(_("Describe the problem or add a photo of it."), code="empty_report")
    if len(description) > MAX_TEXT:
        raise ValidationError({"description": _("Please keep the description under %(max)d characters.")
                               % {"max": MAX_TEXT}})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Add at most %(max)d photos.") % {"max": MAX_PHOTOS}})


def _clean_entry(asset, category, entry) -> dict:
    """``entry`` validated and normalised by the model's fields (mobile digits, email), before any write."""
    candidate = ProblemReport(asset=asset, category=category, **entry)
    candidate.full_clean(exclude=["asset"], validate_constraints=False)
    return {name: getattr(candidate, name) for name in entry}


def _open_or_join(asset, category, entry) -> tuple[ProblemReport, JoinedReport | None]:
    """The active report of this problem, locked, with ``entry`` joined to it — or a new report.

    Two residents reporting at once: both find none, both insert; the unique constraint makes
    the second wait for the first and fail, and the second then joins the first's report.
    """
    active = ProblemReport.objects.select_for_update().filter(asset=asset, category=category,
                                                              status__in=ACTIVE_STATUSES)
    report = active.first()
    if report is None:
        try:
            with transaction.atomic():  # a savepoint: the race below must not spoil the outer transaction
                report = ProblemReport.objects.create(asset=asset, category=category, **entry)
            return report, None
        except IntegrityError as error:
            if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) != ONE_ACTIVE_CONSTRAINT:
                raise
            report = active.get()
    joined = JoinedReport.objects.create(report=report, **entry)
    ProblemReport.objects.filter(pk=report.pk).update(duplicates_count=F("duplicates_count") + 1)
    report.refresh_from_db(fields=["duplicates_count"])
    return report, joined


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# Staff: the transitions ---------------------------------------------------------------------------

@recorded_as("problem.in_progress")
def start_work(*, actor, report: ProblemReport, reply: str = "") -> ProblemReport:
    """Open → in progress: the street office is on it (an optional public reply says how)."""
    return _transition(actor, report, ProblemStatus.IN_PROGRESS, (ProblemStatus.OPEN,), reply,
                       reply_required=False, started_at=timezone.now())


@recorded_as("problem.reply")
def reply_to_problem(*, actor, report: ProblemReport, reply: str) -> ProblemReport:
    """Change the public reply without changing the status."""
    return _transition(actor, report, None, tuple(ProblemStatus.values), reply)


@recorded_as("problem.resolved")
def resolve_problem(*, actor, report: ProblemReport, reply: str, upkeep_log) -> ProblemReport:
    """Open or in progress → resolved, linking the upkeep log (on the same asset) that fixed it."""
    if upkeep_log is None or upkeep_log.asset_id != report.asset_id:
        raise ValidationError({"upkeep_log": _("Choose upkeep done on this asset.")})
    return _transition(actor, report, ProblemStatus.RESOLVED, ACTIVE_STATUSES, reply,
                       resolved_by_log=upkeep_log, resolved_at=timezone.now())


@recorded_as("problem.closed")
def close_not_fixed(*, actor, report: ProblemReport, reply: str) -> ProblemReport:
    """Open or in progress → closed without a fix; the public reply says why."""
    return _transition(actor, report, ProblemStatus.CLOSED, ACTIVE_STATUSES, reply, resolved_at=timezone.now())


def _transition(actor, report, status, allowed_from, reply, *, reply_required=True, **fields) -> ProblemReport:
    """Move ``report`` to ``status`` (None: keep it) with ``reply`` and ``fields``, audited, then notify."""
    if not can(actor, Action.TRIAGE_PROBLEM, report.asset):
        raise PermissionDenied(_("You can answer problem reports only on assets in your area."))
    reply = (reply or "").strip()
    if reply_required and not reply:
        raise ValidationError({"reply": _("Write a public reply for the reporter and the asset page.")})
    if len(reply) > MAX_TEXT:
        raise ValidationError({"reply": _("Please keep the reply under %(max)d characters.") % {"max": MAX_TEXT}})
    with transaction.atomic():
        locked = ProblemReport.objects.select_for_update().get(pk=report.pk)
        if locked.status not in allowed_from:
            raise ValidationError(_("This report is already %(status)s.") % {"status": locked.get_status_display()},
                                  code="wrong_status")
        before = audit.snapshot(locked, AUDITED_FIELDS)
        if reply:
            locked.staff_reply = reply
        locked.status = status or locked.status
        locked.triaged_by = actor
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        changes = audit.diff(before, audit.snapshot(locked, AUDITED_FIELDS))
        audit.record(actor=actor, action=f"problem.{status or 'reply'}", obj=locked, changes=changes)
        if "status" in changes or "staff_reply" in changes:
            transaction.on_commit(lambda: notify_reporters(locked.pk))
    report.refresh_from_db()
    return report


@recorded_as("problem.moderate")
def moderate_problem_text(*, actor, report: ProblemReport, public_text: str) -> ProblemReport:
    """Set what the public reads of ``report`` (empty: nothing); the resident's own words stay as written.

    Mobiles, e-mail addresses and ID numbers left in it are masked on the way out all the same
    (``registry.moderation``); this is for the rest: a name, an address, an insult.
    """
    if not can(actor, Action.TRIAGE_PROBLEM, report.asset):
        raise PermissionDenied(_("You can answer problem reports only on assets in your area."))
    public_text = (public_text or "").strip()
    if len(public_text) > MAX_TEXT:
        raise ValidationError({"public_text": _("Please keep the public text under %(max)d characters.")
                               % {"max": MAX_TEXT}})
    with transaction.atomic():
        locked = ProblemReport.objects.select_for_update().get(pk=report.pk)
        before = audit.snapshot(locked, AUDITED_FIELDS)
        locked.public_description = public_text
        locked.save(update_fields=["public_description"])
        audit.record(actor=actor, action="problem.moderate", obj=locked,
                     changes=audit.diff(before, audit.snapshot(locked, AUDITED_FIELDS)))
    report.refresh_from_db()
    return report


def reveal_reporter_mobiles(*, actor, report: ProblemReport) -> dict[str, str]:
    """The reporters' full mobile numbers (first report "report", joined ones by id), audited.

    Only for staff who answer this report and may reveal mobile numbers; each reveal is recorded.
    """
    if not (can(actor, Action.TRIAGE_PROBLEM, report.asset) and can(actor, Action.REVEAL_MOBILE, report.asset)):
        raise PermissionDenied(_("You may not see reporters' mobile numbers."))
    numbers = {"report": report.reporter_mobile} if report.reporter_mobile else {}
    numbers.update({str(joined.pk): joined.reporter_mobile
                    for joined in report.joined_reports.exclude(reporter_mobile="")})
    with transaction.atomic():
        audit.record(actor=actor, action="problem.reveal_mobile", obj=report,
                     changes={"revealed": [None, len(numbers)]})
    return numbers


@recorded_as("problem.log_work")
def log_work(*, actor, asset, resolves=(), reply: str = "", **work):
    """Log ``work`` on ``asset`` (see ``upkeep.operations.log_upkeep``) and resolve each report in
    ``resolves`` with it, in one transaction: a report a colleague closed a moment earlier undoes
    the log too (and its photos: the pipeline leaves no file behind a rolled-back transaction).
    Both halves check permission and write their own audit entries."""
    with transaction.atomic():
        log = log_upkeep(actor=actor, asset=asset, **work)
        for report in resolves:
            resolve_problem(actor=actor, report=report, reply=reply, upkeep_log=log)
    return log
