"""State changes of the elevator retrofit programme: a stage reached, a custody contract signed.

Each checks permission (``registry.access``: street staff of the retrofit's street, district
administrators), runs in one transaction and writes the audit record; views, the API, the ledger
import and commands all call these.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevators.models import MAP_STAGE, PREDECESSOR, STAGE_ORDER, CustodyContract, ProgrammeStage, StageEvent
from registry import audit
from registry.access import Action, can
from registry.history import recorded_as
from retrofits.models import ElevatorRetrofit

#: Stages whose event must carry its document's number (permit, certificate).
NEEDS_DOCUMENT = {ProgrammeStage.PLANNING_PERMIT: _("Enter the planning permit's number."),
                  ProgrammeStage.REGISTRATION: _("Enter the registration certificate's number.")}


def latest_event(retrofit) -> StageEvent | None:
    return StageEvent.objects.filter(retrofit=retrofit).order_by("-happened_on", "-id").first()


def _check_consent(retrofit, owners_share, floor_area_share, households_agreeing) -> None:
    errors = {}
    threshold = Decimal(str(settings.ELEVATOR_CONSENT_THRESHOLD_PERCENT))
    for field, share in (("owners_share", owners_share), ("floor_area_share", floor_area_share)):
        if share is None:
            continue  # a ledger may give only the date; the staff form asks for both shares
        if not Decimal(0) <= Decimal(share) <= Decimal(100):
            errors[field] = _("A share is between 0 and 100 per cent.")
        elif Decimal(share) < threshold:
            errors[field] = _("Consent needs at least %(threshold)s%% agreeing.") % {"threshold": threshold}
    if households_agreeing is not None and retrofit.households is not None and households_agreeing > retrofit.households:
        errors["households_agreeing"] = _("More households agree than the building has (%(households)s).") % {
            "households": retrofit.households}
    if errors:
        raise ValidationError(errors)


def _check_sequence(retrofit, stage, happened_on, correction_reason) -> None:
    reached = dict(StageEvent.objects.filter(retrofit=retrofit).order_by("happened_on", "id")
                   .values_list("stage", "happened_on"))
    previous = PREDECESSOR.get(stage)
    if previous is not None and previous not in reached:
        raise ValidationError({"stage": _("Record “%(previous)s” first.") % {"previous": previous.label}})
    latest = max(reached.values(), default=None)
    if latest is not None and happened_on < latest and not correction_reason.strip():
        raise ValidationError({"happened_on": _(
            "This date is before the latest stage (%(latest)s): give a correction reason.") % {"latest": latest}})


@recorded_as("retrofit.stage")
def record_retrofit_stage(*, actor, retrofit: ElevatorRetrofit, stage: str, happened_on: datetime.date,
                          document_number: str = "", owners_share=None, floor_area_share=None,
                          households_agreeing: int | None = None, note: str = "",
                          correction_reason: str = "") -> StageEvent:
    """Record that ``retrofit`` reached ``stage`` on ``happened_on``; its current stage follows.

    Refuses (ValidationError, nothing written): an unknown stage, a future date, a stage whose
    predecessor is not recorded (in service without acceptance, …), a permit or registration
    without its number, consent below the threshold or above the building's households, and a
    date before the latest event without a correction reason (the database refuses that too).
    """
    if not can(actor, Action.RECORD_RETROFIT_STAGE, retrofit):
        raise PermissionDenied(_("You can record stages only of retrofits in your streets."))
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Choose one of the programme's stages.")})
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    document_number = document_number.strip()
    if stage in NEEDS_DOCUMENT and not document_number:
        raise ValidationError({"document_number": NEEDS_DOCUMENT[stage]})
    if stage == ProgrammeStage.CONSENT:
        _check_consent(retrofit, owners_share, floor_area_share, households_agreeing)
    with transaction.atomic():
        retrofit = ElevatorRetrofit.objects.select_for_update().get(pk=retrofit.pk)
        _check_sequence(retrofit, stage, happened_on, correction_reason)
        try:
            with transaction.atomic():
                event = StageEvent.objects.create(
                    retrofit=retrofit, stage=stage, happened_on=happened_on, document_number=document_number,
                    owners_share=owners_share, floor_area_share=floor_area_share,
                    households_agreeing=households_agreeing, note=note.strip(),
                    correction_reason=correction_reason.strip(),
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
        except IntegrityError:  # the database's own order check, e.g. a concurrent later event
            raise ValidationError({"happened_on": _(
                "This date is before the latest stage: give a correction reason.")}) from None
        current = MAP_STAGE[latest_event(retrofit).stage]
        before = retrofit.stage
        if current != before:
            ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(stage=current)
        audit.record(actor=actor, action="retrofit.stage", obj=event, asset=retrofit, changes={
            "stage": [None, stage], "happened_on": [None, happened_on.isoformat()],
            **({"retrofit stage": [before, current]} if current != before else {})})
    return event


@recorded_as("retrofit.custody")
def sign_custody_contract(*, actor, retrofit: ElevatorRetrofit, mode: str, custodian: str, starts_on: datetime.date,
                          custodian_credit_code: str = "", maintenance_company: str = "",
                          ends_on: datetime.date | None = None) -> CustodyContract:
    """Record the custody contract now in force for ``retrofit`` (a renewal when one exists);
    the retrofit's custody mode and maintenance contractor follow it."""
    if not can(actor, Action.RECORD_RETROFIT_STAGE, retrofit):
        raise PermissionDenied(_("You can record custody only of retrofits in your streets."))
    with transaction.atomic():
        retrofit = ElevatorRetrofit.objects.select_for_update().get(pk=retrofit.pk)
        contract = CustodyContract(
            retrofit=retrofit, mode=mode, custodian=custodian.strip(), custodian_credit_code=custodian_credit_code,
            maintenance_company=maintenance_company.strip(), starts_on=starts_on, ends_on=ends_on,
            renews=retrofit.custody_contracts.order_by("-starts_on").first())
        contract.full_clean()
        contract.save()
        ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(
            custody_mode=contract.mode, maintenance_contractor=contract.maintenance_company or contract.custodian)
        audit.record(actor=actor, action="retrofit.custody", obj=contract, asset=retrofit, changes={
            "mode": [retrofit.custody_mode or None, contract.mode], "custodian": [None, contract.custodian]})
    return contract
