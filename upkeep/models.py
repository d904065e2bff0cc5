"""Upkeep: the care work done on an asset, by street staff or by its adopter, and its schedules."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from registry.history import track_changes
from registry.submissions import submission_key_field


class UpkeepAction(models.TextChoices):
    WATERING = "watering", _("watering")
    PRUNING = "pruning", _("pruning")
    WEEDING = "weeding", _("weeding")
    FERTILISING = "fertilising", _("fertilising")
    REPLANTING = "replanting", _("replanting")
    PEST_CONTROL = "pest_control", _("pest control")
    CLEANING = "cleaning", _("cleaning")
    REPAINTING = "repainting", _("repainting / touch-up")
    INSPECTION = "inspection", _("inspection")
    REPAIR = "repair", _("repair")
    SAFETY_CHECK = "safety_check", _("safety check")
    ELEVATOR_MAINTENANCE = "elevator_maintenance", _("elevator maintenance")
    ANNUAL_INSPECTION = "annual_inspection", _("annual elevator inspection")


@track_changes("UpkeepLogEvent")
class UpkeepLog(models.Model):
    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="upkeep_logs",
                              verbose_name=_("asset"))
    performed_at = models.DateTimeField(_("performed at"))
    action = models.CharField(_("action"), max_length=30, choices=UpkeepAction.choices)
    notes = models.TextField(_("notes"), blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="upkeep_logs", verbose_name=_("staff member"))
    adopter = models.ForeignKey("adopters.Adopter", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="upkeep_logs", verbose_name=_("adopter"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    participants = models.PositiveSmallIntegerField(_("participants"), default=1)
    #: Where the phone was when the work was logged (browser geolocation), if it said.
    position = models.PointField(_("position when logged"), srid=4326, null=True, blank=True, spatial_index=False)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    #: When the phone recorded the log (the offline workbench, docs/offline.md): the work was done then,
    #: even if the log reached the server (``created_at``) hours later. Null for logs sent at once.
    recorded_at = models.DateTimeField(_("recorded on the phone at"), null=True, blank=True)
    #: The key of the form (or the API's Idempotency-Key) it was sent with (registry.submissions).
    submission_key = submission_key_field()

    class Meta:
        db_table = "registry_upkeeplog"
        verbose_name = _("upkeep log")
        verbose_name_plural = _("upkeep logs")
        ordering = ["-performed_at"]
        indexes = [
            models.Index(fields=["asset", "-performed_at"], name="upkeep_asset_recent"),
            # The latest round of one action on one asset, one index probe each: what the overdue
            # queue and schedules ask for every (asset, action) of a street (upkeep.queries).
            models.Index(fields=["asset", "action", "-performed_at"], name="upkeep_asset_action_recent"),
            # The elevators maintained in a window of days (elevators.service: TSG T5002's 15 days),
            # read as one range of a small index instead of one probe per elevator in service.
            models.Index(fields=["performed_at", "asset"], name="upkeep_elevator_maintenance",
                         condition=models.Q(action="elevator_maintenance")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff__isnull=False) | models.Q(adopter__isnull=False),
                name="upkeep_has_performer",
                violation_error_message=_("An upkeep log is performed by a staff member or an adopter."),
            ),
            models.UniqueConstraint(fields=["submission_key"], condition=~models.Q(submission_key=""),
                                    name="upkeep_submitted_once"),
        ]

    def __str__(self):
        return f"{self.asset} · {self.get_action_display()} · {self.performed_at:%Y-%m-%d}"


class UpkeepSchedule(models.Model):
    """One asset's own interval for one action, overriding the kind's default (upkeep.schedules).

    ``active`` off means "this asset needs no such round at all" (a plot with drip irrigation
    needs no watering rounds). ``summer_interval_days``, when set, applies from May to October.
    """

    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="upkeep_schedules",
                              verbose_name=_("asset"))
    action = models.CharField(_("action"), max_length=30, choices=UpkeepAction.choices)
    interval_days = models.PositiveSmallIntegerField(
        _("every (days)"), validators=[MinValueValidator(1), MaxValueValidator(3660)])
    summer_interval_days = models.PositiveSmallIntegerField(
        _("every (days) from May to October"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3660)],
        help_text=_("Leave empty to use the same interval all year."))
    active = models.BooleanField(_("scheduled"), default=True,
                                 help_text=_("Untick when this asset needs no such rounds at all."))

    class Meta:
        db_table = "registry_upkeepschedule"
        verbose_name = _("upkeep schedule")
        verbose_name_plural = _("upkeep schedules")
        ordering = ["asset", "action"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "action"], name="upkeep_schedule_one_per_action",
                                    violation_error_message=_("This asset already has a schedule for this action.")),
        ]

    def __str__(self):
        return f"{self.asset} · {self.get_action_display()} · {self.interval_days}"
