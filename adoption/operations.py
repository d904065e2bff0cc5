"""State changes of adoptions: apply, decide, withdraw, end, renew, and revealing a mobile number.

Each is one keyword-only function that checks permission with ``registry.access``, runs in one
transaction and writes the audit record, so a view, the admin, the API and a command change an
adoption the same way. Refusals are ``PermissionDenied`` or ``ValidationError`` with a message in
the user's language; on either, nothing is written.

The database has the last word on overlaps: the exclusion constraint
``adoption_no_overlapping_granted`` refuses a second granted adoption of one asset for an
overlapping period, even when two staff approve at the same instant. ``approve_adoption`` turns
that refusal into a clear message.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import GRANTED_STATUSES, Adoption, AdoptionStatus, NoticeKind
from adoption.notices import notify
from adoption.queries import current_adoptions
from registry import audit
from registry.access import Action, asset_scope, can
from registry.assets import Asset
from registry.history import recorded_as

OVERLAP_CONSTRAINT = "adoption_no_overlapping_granted"
#: The longest period one application may ask for; longer commitments are renewed.
MAX_PERIOD_DAYS = 3 * 366
ALREADY_ADOPTED = _("This asset is already adopted for part of that period.")


def period_of(first_day: datetime.date, last_day: datetime.date) -> DateRange:
    """The stored range for an adoption from ``first_day`` to ``last_day`` inclusive."""
    return DateRange(first_day, last_day + datetime.timedelta(days=1))


def _check_period(first_day, last_day, *, today) -> None:
    if first_day is None or last_day is None:
        raise ValidationError({"first_day": _("Give the first and the last day of the adoption.")})
    if last_day < first_day:
        raise ValidationError({"last_day": _("The adoption cannot end before it starts.")})
    if first_day < today:
        raise ValidationError({"first_day": _("The adoption cannot start in the past.")})
    if (last_day - first_day).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"last_day": _("An adoption can last at most three years; ask to renew it later.")})


def _granted_overlap(asset, period, exclude_pk=None):
    granted = Adoption.objects.filter(asset=asset, status__in=GRANTED_STATUSES, period__overlap=period)
    return granted.exclude(pk=exclude_pk) if exclude_pk else granted


def _adopter_of(actor):
    """The signed-in ``actor``'s adopter profile, or None."""
    return getattr(actor, "adopter", None) if getattr(actor, "is_authenticated", False) else None


def _own_adopter(actor):
    adopter = _adopter_of(actor)
    if adopter is None:
        raise PermissionDenied(_("Sign up as an adopter first."))
    return adopter


def _check_adopter_owns(actor, adoption) -> None:
    adopter = _adopter_of(actor)
    if adopter is None or adopter.pk != adoption.adopter_id:
        raise PermissionDenied(_("This is not your adoption."))


def _locked(adoption) -> Adoption:
    """The adoption re-read under a row lock: two decisions on one application queue up.

    Only the adoption's row is locked (``of=self``), not its asset's: decisions on different
    applications for one asset run side by side, and the exclusion constraint decides between them.
    """
    return (Adoption.objects.select_for_update(of=("self",)).select_related("asset", "adopter")
            .get(pk=adoption.pk))


def _record(actor, action, adoption, before) -> None:
    audit.record(actor=actor, action=action, obj=adoption, changes=audit.diff(before, audit.snapshot(adoption)))


@recorded_as("adoption.apply")
def apply_for_adoption(*, actor, asset, first_day, last_day, duties: str, care_interval_days: int | None,
                       people: int = 1, renewal: bool = False) -> Adoption:
    """``actor``'s adopter asks to adopt ``asset`` from ``first_day`` to ``last_day``: status "requested".

    Refused when the asset is not adoptable, has a current adopter (unless ``renewal``: the
    current adopter asking for the period after theirs), is already adopted for part of that
    period, or the adopter already has an application for it waiting.
    """
    adopter = _own_adopter(actor)
    if not Asset.objects.filter(asset_scope(actor), pk=asset.pk).exists():
        raise PermissionDenied(_("This asset is not open to the public."))
    today = timezone.localdate()
    _check_period(first_day, last_day, today=today)
    if not asset.is_adoptable:
        raise ValidationError(_("This asset cannot be adopted."))
    period = period_of(first_day, last_day)
    with transaction.atomic():
        if not renewal and current_adoptions(today).filter(asset=asset).exists():
            raise ValidationError(_("This asset already has an adopter."))
        if _granted_overlap(asset, period).exists():
            raise ValidationError(ALREADY_ADOPTED)
        if Adoption.objects.filter(asset=asset, adopter=adopter, status=AdoptionStatus.REQUESTED).exists():
            raise ValidationError(_("You have already applied to adopt this asset; your application is waiting "
                                    "for a decision."))
        adoption = Adoption(adopter=adopter, asset=asset, period=period, duties=duties.strip(),
                            care_interval_days=care_interval_days, people=people)
        adoption.full_clean(validate_constraints=False)
        adoption.save()
        _record(actor, "adoption.apply", adoption, {})
    return adoption


def _decide(*, actor, adoption, status, reason, action) -> Adoption:
    """Shared by approve and reject: permission, the lock, the state check, audit and the notice."""
    if not can(actor, Action.DECIDE_ADOPTION, adoption.asset):
        raise PermissionDenied(_("You may decide only applications for assets in your street."))
    with transaction.atomic():
        adoption = _locked(adoption)
        if adoption.status != AdoptionStatus.REQUESTED:
            raise ValidationError(_("This application has already been decided or withdrawn."))
        if status == AdoptionStatus.APPROVED:
            _check_approvable(adoption)
        before = audit.snapshot(adoption)
        adoption.status, adoption.decision_reason = status, reason.strip()
        adoption.decided_by, adoption.decided_at = actor, timezone.now()
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                adoption.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        except IntegrityError as error:
            if OVERLAP_CONSTRAINT in str(error):
                raise ValidationError(ALREADY_ADOPTED, code="overlap") from error
            raise
        _record(actor, action, adoption, before)
        kind = NoticeKind.APPROVED if status == AdoptionStatus.APPROVED else NoticeKind.REJECTED
        notify(adopter=adoption.adopter, kind=kind, adoption=adoption, reason=adoption.decision_reason,
               first_day=adoption.period.lower.isoformat(), last_day=adoption.last_day.isoformat())
    return adoption


def _check_approvable(adoption) -> None:
    if not adoption.asset.is_adoptable:
        raise ValidationError(_("This asset cannot be adopted."))
    if adoption.last_day < timezone.localdate():
        raise ValidationError(_("The period of this application is already over; reject it instead."))
    if _granted_overlap(adoption.asset, adoption.period, exclude_pk=adoption.pk).exists():
        raise ValidationError(ALREADY_ADOPTED, code="overlap")


@recorded_as("adoption.approve")
def approve_adoption(*, actor, adoption, reason: str = "") -> Adoption:
    """Street staff approve an application; the adopter is notified. Overlaps are refused with a message."""
    return _decide(actor=actor, adoption=adoption, status=AdoptionStatus.APPROVED, reason=reason,
                   action="adoption.approve")


@recorded_as("adoption.reject")
def reject_adoption(*, actor, adoption, reason: str) -> Adoption:
    """Street staff turn an application down, saying why; the adopter is notified."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the application is rejected; the applicant will read it.")})
    return _decide(actor=actor, adoption=adoption, status=AdoptionStatus.REJECTED, reason=reason,
                   action="adoption.reject")


@recorded_as("adoption.withdraw")
def withdraw_application(*, actor, adoption) -> Adoption:
    """The applicant takes back an application that has not been decided yet."""
    _check_adopter_owns(actor, adoption)
    with transaction.atomic():
        adoption = _locked(adoption)
        if adoption.status != AdoptionStatus.REQUESTED:
            raise ValidationError(_("Only an application waiting for a decision can be withdrawn."))
        before = audit.snapshot(adoption)
        adoption.status = AdoptionStatus.WITHDRAWN
        adoption.save(update_fields=["status"])
        _record(actor, "adoption.withdraw", adoption, before)
    return adoption


@recorded_as("adoption.end")
def end_adoption(*, actor, adoption) -> Adoption:
    """The adopter (or staff of the street) ends an approved adoption early.

    Its last day becomes yesterday, so the asset is looking for an adopter again today and a new
    adopter may start today. An adoption that has not begun yet is cancelled (withdrawn) instead.
    """
    if not can(actor, Action.DECIDE_ADOPTION, adoption.asset):
        _check_adopter_owns(actor, adoption)
    today = timezone.localdate()
    with transaction.atomic():
        adoption = _locked(adoption)
        if adoption.status != AdoptionStatus.APPROVED or adoption.period.upper <= today:
            raise ValidationError(_("Only a current or upcoming adoption can be ended."))
        before = audit.snapshot(adoption)
        if adoption.period.lower >= today:
            adoption.status = AdoptionStatus.WITHDRAWN
        else:
            adoption.status, adoption.period = AdoptionStatus.ENDED, DateRange(adoption.period.lower, today)
        adoption.save(update_fields=["status", "period"])
        _record(actor, "adoption.end", adoption, before)
    return adoption


@recorded_as("adoption.renew")
def request_renewal(*, actor, adoption, last_day: datetime.date) -> Adoption:
    """The adopter asks to keep the asset after ``adoption`` ends: a new application starting the next day."""
    _check_adopter_owns(actor, adoption)
    if adoption.status != AdoptionStatus.APPROVED or adoption.period.upper <= timezone.localdate():
        raise ValidationError(_("Only a current adoption can be renewed."))
    return apply_for_adoption(actor=actor, asset=adoption.asset, first_day=adoption.period.upper,
                              last_day=last_day, duties=adoption.duties,
                              care_interval_days=adoption.care_interval_days, people=adoption.people,
                              renewal=True)


def reveal_mobile(*, actor, adoption) -> str:
    """The applicant's full mobile number, for staff allowed to see it; each reveal is recorded."""
    if not (can(actor, Action.REVEAL_MOBILE, adoption) and can(actor, Action.READ_HISTORY, adoption.asset)):
        raise PermissionDenied(_("You may not see this mobile number."))
    adopter = adoption.adopter
    with transaction.atomic():
        audit.record(actor=actor, action="adopter.reveal_mobile", obj=adopter, asset=adoption.asset,
                     changes={"adoption": [None, adoption.pk]})
    return adopter.mobile
