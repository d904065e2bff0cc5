"""record_retrofit_stage: order, correction, the bad inputs, the retrofit's stage kept in sync, audit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from elevators.models import ProgrammeStage as S
from elevators.models import StageEvent
from elevators.operations import record_retrofit_stage, sign_custody_contract
from registry.audit import AuditEntry
from retrofits.models import CustodyMode, ElevatorRetrofit, RetrofitStage
from tests.elevators.conftest import day

pytestmark = pytest.mark.django_db


def walk(actor, retrofit, *stages, start="2024-01-10"):
    """Record ``stages`` in order, 30 days apart, with what each needs."""
    on = day(start)
    for stage in stages:
        extra = {}
        if stage == S.CONSENT:
            extra = {"owners_share": Decimal("80"), "floor_area_share": Decimal("75"), "households_agreeing": 10}
        if stage in (S.PLANNING_PERMIT, S.REGISTRATION):
            extra["document_number"] = f"穗规-{stage}"
        record_retrofit_stage(actor=actor, retrofit=retrofit, stage=stage, happened_on=on, **extra)
        on += datetime.timedelta(days=30)


def test_each_stage_moves_the_map_stage_and_is_audited(east_staff, retrofit):
    walk(east_staff, retrofit, S.ACCEPTED, S.CONSENT)
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).stage == RetrofitStage.APPLICATION
    walk(east_staff, retrofit, S.PLANNING_PERMIT, start="2024-03-20")
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).stage == RetrofitStage.PLANNING_PERMIT
    walk(east_staff, retrofit, S.CONSTRUCTION, S.ACCEPTANCE, S.REGISTRATION, S.IN_SERVICE, start="2024-04-20")
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).stage == RetrofitStage.IN_SERVICE
    assert list(StageEvent.objects.filter(retrofit=retrofit).values_list("stage", flat=True)) == list(S.values)
    entries = AuditEntry.objects.filter(action="retrofit.stage", asset=retrofit)
    assert entries.count() == 7 and entries.filter(actor=east_staff).count() == 7
    permit = StageEvent.objects.get(retrofit=retrofit, stage=S.PLANNING_PERMIT)
    assert permit.document_number == "穗规-planning_permit" and permit.recorded_by == east_staff


@pytest.mark.parametrize("stage, extra, field, message", [
    (S.PLANNING_PERMIT, {}, "document_number", "Enter the planning permit's number."),
    (S.CONSENT, {"owners_share": Decimal("120"), "floor_area_share": Decimal("80")}, "owners_share",
     "A share is between 0 and 100 per cent."),
    (S.CONSENT, {"owners_share": Decimal("50"), "floor_area_share": Decimal("80")}, "owners_share",
     "Consent needs at least 66.67% agreeing."),
    (S.CONSENT, {"owners_share": Decimal("90"), "floor_area_share": Decimal("90"), "households_agreeing": 13},
     "households_agreeing", "More households agree than the building has (12)."),
])
def test_bad_input_is_refused_with_its_message_and_writes_nothing(east_staff, retrofit, stage, extra, field, message):
    walk(east_staff, retrofit, S.ACCEPTED, S.CONSENT) if stage == S.PLANNING_PERMIT else walk(
        east_staff, retrofit, S.ACCEPTED)
    before = StageEvent.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=stage, happened_on=day("2024-06-01"), **extra)
    assert refused.value.message_dict[field] == [message]
    assert (StageEvent.objects.count(), AuditEntry.objects.count()) == before


def test_in_service_without_acceptance_is_refused(east_staff, retrofit):
    walk(east_staff, retrofit, S.ACCEPTED, S.CONSENT, S.PLANNING_PERMIT, S.CONSTRUCTION)
    with pytest.raises(ValidationError) as refused:
        record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=S.IN_SERVICE, happened_on=day("2024-12-01"))
    assert refused.value.message_dict["stage"] == ["Record “completion acceptance” first."]
    assert ElevatorRetrofit.objects.get(pk=retrofit.pk).stage == RetrofitStage.UNDER_CONSTRUCTION


def test_a_date_before_the_latest_needs_a_correction_reason(east_staff, retrofit):
    walk(east_staff, retrofit, S.ACCEPTED, S.CONSENT)  # 2024-01-10, 2024-02-09
    with pytest.raises(ValidationError) as refused:
        record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=S.PLANNING_PERMIT,
                              happened_on=day("2024-02-01"), document_number="穗规-1")
    assert "correction reason" in refused.value.message_dict["happened_on"][0]
    event = record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=S.PLANNING_PERMIT,
                                  happened_on=day("2024-02-01"), document_number="穗规-1",
                                  correction_reason="许可证日期录入有误，按原件更正")
    assert event.correction_reason.startswith("许可证")


def test_the_database_itself_refuses_an_event_out_of_order_and_any_update(east_staff, retrofit):
    walk(east_staff, retrofit, S.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        StageEvent.objects.create(retrofit=retrofit, stage=S.CONSENT, happened_on=day("2023-01-01"))
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE elevators_stageevent SET note = 'x'")
    assert StageEvent.objects.filter(retrofit=retrofit).count() == 1


def test_a_future_date_and_an_unknown_stage_are_refused(east_staff, retrofit):
    with pytest.raises(ValidationError) as future:
        record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=S.ACCEPTED,
                              happened_on=datetime.date.today() + datetime.timedelta(days=2))
    assert future.value.message_dict["happened_on"] == ["The date cannot be in the future."]
    with pytest.raises(ValidationError):
        record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage="demolished", happened_on=day("2024-01-01"))
    assert not StageEvent.objects.exists()


def test_another_streets_staff_and_the_public_may_not_record(west_staff, retrofit, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    for actor in (west_staff, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            record_retrofit_stage(actor=actor, retrofit=retrofit, stage=S.ACCEPTED, happened_on=day("2024-01-01"))
    assert not StageEvent.objects.exists()


def test_a_custody_contract_sets_the_mode_and_renews_the_previous(east_staff, retrofit):
    first = sign_custody_contract(actor=east_staff, retrofit=retrofit, mode=CustodyMode.STEWARD, custodian="荔湾电梯管家",
                                  starts_on=day("2024-01-01"), ends_on=day("2025-01-01"),
                                  maintenance_company="广州电梯维保")
    second = sign_custody_contract(actor=east_staff, retrofit=retrofit, mode=CustodyMode.PROPERTY_MANAGEMENT,
                                   custodian="西关物业", starts_on=day("2025-01-01"))
    assert second.renews == first
    retrofit.refresh_from_db()
    assert retrofit.custody_mode == CustodyMode.PROPERTY_MANAGEMENT and retrofit.maintenance_contractor == "西关物业"


def test_a_custody_contract_with_a_bad_credit_code_or_mode_writes_nothing(east_staff, retrofit):
    with pytest.raises(ValidationError) as refused:
        sign_custody_contract(actor=east_staff, retrofit=retrofit, mode="caretaker", custodian="某公司",
                              custodian_credit_code="91440101XXXXXXXXXX", starts_on=day("2024-01-01"))
    assert {"mode", "custodian_credit_code"} <= set(refused.value.message_dict)
    retrofit.refresh_from_db()
    assert not retrofit.custody_contracts.exists() and retrofit.custody_mode == ""


def test_a_correction_replaces_the_stage_date_the_figures_read(east_staff, retrofit):
    from elevators.models import RetrofitProgress

    walk(east_staff, retrofit, S.ACCEPTED, S.CONSENT)  # 2024-01-10, 2024-02-09
    assert RetrofitProgress.objects.get(retrofit=retrofit).consent_on == day("2024-02-09")
    record_retrofit_stage(actor=east_staff, retrofit=retrofit, stage=S.CONSENT, happened_on=day("2024-02-01"),
                          owners_share=Decimal("70"), floor_area_share=Decimal("70"),
                          correction_reason="业主大会决议日期应为2月1日")
    progress = RetrofitProgress.objects.get(retrofit=retrofit)
    assert (progress.accepted_on, progress.consent_on, progress.planning_permit_on) == (
        day("2024-01-10"), day("2024-02-01"), None)


def test_the_progress_row_follows_the_retrofits_custody_mode(east_staff, retrofit):
    from elevators.models import RetrofitProgress

    walk(east_staff, retrofit, S.ACCEPTED)
    assert RetrofitProgress.objects.get(retrofit=retrofit).custody_mode == ""
    sign_custody_contract(actor=east_staff, retrofit=retrofit, mode=CustodyMode.ELEVATOR_PROPERTY, custodian="西关物业",
                          starts_on=day("2024-01-01"))
    assert RetrofitProgress.objects.get(retrofit=retrofit).custody_mode == CustodyMode.ELEVATOR_PROPERTY
    ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(custody_mode=CustodyMode.STEWARD)  # e.g. the admin
    assert RetrofitProgress.objects.get(retrofit=retrofit).custody_mode == CustodyMode.STEWARD


def test_the_progress_row_follows_the_assets_street(east_staff, retrofit, district):
    from elevators.models import RetrofitProgress
    from registry.assets import Asset

    walk(east_staff, retrofit, S.ACCEPTED)
    assert RetrofitProgress.objects.get(retrofit=retrofit).street_id == district["E"].pk
    Asset.objects.filter(pk=retrofit.pk).update(street=district["W"])  # as a boundary change does, in SQL
    assert RetrofitProgress.objects.get(retrofit=retrofit).street_id == district["W"].pk
