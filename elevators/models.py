"""A retrofit's stage events and its custody contracts.

Stage events are append-only (the database refuses an UPDATE) and in date order per retrofit: an
event dated before the latest one is refused by the database unless it carries a correction
reason. The retrofit's own ``stage`` (the four the map shows) follows the latest event, kept in
sync by ``elevators.operations.record_retrofit_stage``.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.fields import CreditCodeField
from registry.history import track_changes
from retrofits.models import CustodyMode, RetrofitStage


class ProgrammeStage(models.TextChoices):
    """The programme's stages, in order (受理 → 业主同意 → 规划许可 → 施工许可/开工 → 竣工验收 → 使用登记 → 投入使用)."""

    ACCEPTED = "accepted", _("application accepted")
    CONSENT = "consent", _("owners' consent recorded")
    PLANNING_PERMIT = "planning_permit", _("planning permit")
    CONSTRUCTION = "construction", _("construction started")
    ACCEPTANCE = "acceptance", _("completion acceptance")
    REGISTRATION = "registration", _("registration")
    IN_SERVICE = "in_service", _("in service")


#: The stages in order; an event's place in the programme.
STAGE_ORDER = list(ProgrammeStage.values)

#: The stage that must be recorded before each one. Registration may be skipped (a ledger often
#: goes from acceptance straight to service); everything else follows the programme's order.
PREDECESSOR = {
    ProgrammeStage.CONSENT: ProgrammeStage.ACCEPTED,
    ProgrammeStage.PLANNING_PERMIT: ProgrammeStage.CONSENT,
    ProgrammeStage.CONSTRUCTION: ProgrammeStage.PLANNING_PERMIT,
    ProgrammeStage.ACCEPTANCE: ProgrammeStage.CONSTRUCTION,
    ProgrammeStage.REGISTRATION: ProgrammeStage.ACCEPTANCE,
    ProgrammeStage.IN_SERVICE: ProgrammeStage.ACCEPTANCE,
}

#: The four stages the map, the tiles and the schedules know, for each programme stage.
MAP_STAGE = {
    ProgrammeStage.ACCEPTED: RetrofitStage.APPLICATION,
    ProgrammeStage.CONSENT: RetrofitStage.APPLICATION,
    ProgrammeStage.PLANNING_PERMIT: RetrofitStage.PLANNING_PERMIT,
    ProgrammeStage.CONSTRUCTION: RetrofitStage.UNDER_CONSTRUCTION,
    ProgrammeStage.ACCEPTANCE: RetrofitStage.UNDER_CONSTRUCTION,
    ProgrammeStage.REGISTRATION: RetrofitStage.UNDER_CONSTRUCTION,
    ProgrammeStage.IN_SERVICE: RetrofitStage.IN_SERVICE,
}


@track_changes("StageEventEvent")
class StageEvent(models.Model):
    retrofit = models.ForeignKey("retrofits.ElevatorRetrofit", on_delete=models.CASCADE, related_name="stage_events",
                                 verbose_name=_("elevator retrofit"))
    stage = models.CharField(_("stage"), max_length=20, choices=ProgrammeStage.choices)
    happened_on = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    owners_share = models.DecimalField(_("owners agreeing (%)"), max_digits=5, decimal_places=2, null=True,
                                       blank=True)
    floor_area_share = models.DecimalField(_("floor area agreeing (%)"), max_digits=5, decimal_places=2,
                                           null=True, blank=True)
    households_agreeing = models.PositiveSmallIntegerField(_("households agreeing"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    correction_reason = models.TextField(_("correction reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        ordering = ["happened_on", "id"]
        indexes = [models.Index(fields=["retrofit", "-happened_on", "-id"], name="stage_event_latest")]
        constraints = [
            models.CheckConstraint(condition=Q(owners_share__gte=0, owners_share__lte=100)
                                   | Q(owners_share__isnull=True), name="stage_event_owners_share_percent"),
            models.CheckConstraint(condition=Q(floor_area_share__gte=0, floor_area_share__lte=100)
                                   | Q(floor_area_share__isnull=True), name="stage_event_area_share_percent"),
        ]

    def __str__(self):
        return f"{self.retrofit_id} {self.stage} {self.happened_on}"


@track_changes("CustodyContractEvent")
class CustodyContract(models.Model):
    """Who is responsible for a retrofitted elevator (电梯托管): one of the three modes residents choose."""

    retrofit = models.ForeignKey("retrofits.ElevatorRetrofit", on_delete=models.CASCADE,
                                 related_name="custody_contracts", verbose_name=_("elevator retrofit"))
    mode = models.CharField(_("custody mode"), max_length=20, choices=CustodyMode.choices)
    custodian = models.CharField(_("custodian"), max_length=100)
    custodian_credit_code = CreditCodeField(_("custodian's unified social credit code"), blank=True)
    maintenance_company = models.CharField(_("maintenance company"), max_length=100, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    renews = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals",
                               verbose_name=_("renews the contract"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custody contract")
        verbose_name_plural = _("custody contracts")
        ordering = ["retrofit", "-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                                              name="custody_contract_ends_after_start")]

    def __str__(self):
        return f"{self.custodian} ({self.get_mode_display()})"


class RetrofitProgress(models.Model):
    """Per retrofit, the date each stage was reached (the latest recorded event of that stage, so a
    correction replaces it): one narrow row that the figures scan instead of every event.

    Kept by the database: a trigger on stage events writes the dates (migration 0003), one on the
    retrofit table the custody mode (migration 0005), one on the asset table the street (0006);
    nothing in Python writes it. ``registration_on`` stays empty where the ledger skipped registration.
    """

    retrofit = models.OneToOneField("retrofits.ElevatorRetrofit", on_delete=models.CASCADE, primary_key=True,
                                    related_name="progress", verbose_name=_("elevator retrofit"))
    accepted_on = models.DateField(null=True)
    consent_on = models.DateField(null=True)
    planning_permit_on = models.DateField(null=True)
    construction_on = models.DateField(null=True)
    acceptance_on = models.DateField(null=True)
    registration_on = models.DateField(null=True)
    in_service_on = models.DateField(null=True)
    #: The retrofit's custody mode, copied by a trigger on the retrofit table, so that the custody
    #: mix is counted from these rows alone.
    custody_mode = models.CharField(max_length=20, blank=True, default="", db_default="")
    #: The retrofit's street, copied by a trigger on the asset table (a boundary change moves it
    #: too), so that a street's figures read an index of these rows, not the wide asset rows.
    street_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = _("retrofit progress")
        verbose_name_plural = _("retrofit progress")
        indexes = [models.Index(fields=["accepted_on"], name="retrofit_progress_applied")]

    def __str__(self):
        return str(self.retrofit_id)


class GreenChannelDigestSent(models.Model):
    """One row per staff member and day the green-channel digest went out: the daily command can
    run twice (or on two hosts) and sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    waiting = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="green_channel_digest_once_a_day")]
