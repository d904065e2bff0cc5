"""The SITE safety loop: **S**earch (risks), **I**ntervention, **T**raining (ambassadors),
**E**valuation.

A :class:`Risk` is a place (a WGS-84 point, linked to an asset where there is one) from which its
street, community and grid are derived as for assets. Each risk gets one or more
:class:`Intervention` s with a deadline (by default from the risk's severity, settings
``SAFETY_DEADLINE_HOURS``). Scheduled :class:`SafetyRound` s walk a :class:`Checklist`; a failed
:class:`RoundAnswer` raises a risk. :class:`Ambassador` s are trained in :class:`Training`
sessions; a trained one may get an account with one right (report risks in their community).
An :class:`Evaluation` scores a community over a period (a quarter by default) from the figures of
``safety.figures`` plus a checklist score, and is signed off by the street.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from registry.fields import MobileNumberField
from registry.history import track_changes
from registry.photos import PhotoFiles
from registry.validators import mask_mobile


class RiskCategory(models.TextChoices):
    FIRE = "fire", _("fire and blocked escape routes")
    ELECTRICAL = "electrical", _("electrical (incl. painted boxes)")
    FALLING = "falling", _("falling objects / loose facades")
    STRUCTURE = "structure", _("structure of old buildings")
    ELEVATOR = "elevator", _("elevator")
    FLOODING = "flooding", _("flooding")
    TRAFFIC = "traffic", _("traffic")
    PUBLIC_ORDER = "public_order", _("public order")


class Severity(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class RiskSource(models.TextChoices):
    ROUND = "round", _("inspection round")
    RESIDENT = "resident", _("resident report")
    AMBASSADOR = "ambassador", _("safety ambassador")
    CONSULTATION = "consultation", _("consultation meeting")


class RiskStatus(models.TextChoices):
    FOUND = "found", _("found")
    INTERVENTION = "intervention", _("intervention under way")
    REMOVED = "removed", _("removed")
    ACCEPTED = "accepted", _("accepted")


OPEN_RISK_STATUSES = (RiskStatus.FOUND, RiskStatus.INTERVENTION)


# Checklists and rounds ---------------------------------------------------------------------------

class Checklist(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("safety checklist")
        verbose_name_plural = _("safety checklists")
        ordering = ["name_zh", "id"]

    def __str__(self):
        return self.name_zh


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items",
                                  verbose_name=_("checklist"))
    text_zh = models.CharField(_("item (Chinese)"), max_length=200)
    text_en = models.CharField(_("item (English)"), max_length=200, blank=True)
    #: The category and severity of the risk a failed answer raises (changeable in the one tap).
    category = models.CharField(_("risk category"), max_length=20, choices=RiskCategory.choices,
                                default=RiskCategory.FIRE)
    severity = models.CharField(_("severity when failed"), max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "position", "id"]

    def __str__(self):
        return self.text_zh


@track_changes("SafetyRoundEvent")
class SafetyRound(models.Model):
    """One scheduled inspection round of a community (or one of its grids), due on a day."""

    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="safety_rounds",
                                  verbose_name=_("community"))
    grid = models.ForeignKey("registry.Grid", on_delete=models.PROTECT, related_name="safety_rounds",
                             verbose_name=_("grid"), null=True, blank=True)
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="safety_rounds",
                               verbose_name=_("street"), editable=False)
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("checklist"))
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, editable=False)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("done by"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety round")
        verbose_name_plural = _("safety rounds")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["community", "due_on"], name="safety_round_community_due")]

    def __str__(self):
        return f"{self.community} · {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class RoundAnswer(models.Model):
    round = models.ForeignKey(SafetyRound, on_delete=models.CASCADE, related_name="answers",
                              verbose_name=_("round"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers",
                             verbose_name=_("item"))
    passed = models.BooleanField(_("passed"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("round answer")
        verbose_name_plural = _("round answers")
        ordering = ["item__position", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "item"], name="safety_answer_once_per_item")]

    def __str__(self):
        return f"{self.round} · {self.item}"


# Ambassadors and trainings -------------------------------------------------------------------------

class AmbassadorKind(models.TextChoices):
    RESIDENT = "resident", _("resident")
    ADOPTER_MEMBER = "adopter_member", _("adopter's member")
    SHOP_OWNER = "shop_owner", _("shop owner")
    VOLUNTEER = "volunteer", _("volunteer")


@track_changes("AmbassadorEvent")
class Ambassador(models.Model):
    """安全大使: a person of a community trained to spot risks. Their contact is private (staff only,
    masked), like an adopter's."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AmbassadorKind.choices,
                            default=AmbassadorKind.RESIDENT)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="ambassadors",
                                  verbose_name=_("community"))
    grid = models.ForeignKey("registry.Grid", on_delete=models.PROTECT, related_name="ambassadors",
                             verbose_name=_("grid"), null=True, blank=True)
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="ambassadors",
                               verbose_name=_("street"), editable=False)
    mobile = MobileNumberField(_("mobile"), blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="safety_ambassador", verbose_name=_("account"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety ambassador")
        verbose_name_plural = _("safety ambassadors")
        ordering = ["community", "name", "id"]

    def __str__(self):
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class Training(models.Model):
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="safety_trainings",
                                  verbose_name=_("community"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="safety_trainings",
                               verbose_name=_("street"), editable=False)
    topic = models.CharField(_("topic"), max_length=200)
    date = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=100)
    attendees = models.ManyToManyField(Ambassador, related_name="trainings", verbose_name=_("attendees"),
                                       blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety training")
        verbose_name_plural = _("safety trainings")
        ordering = ["-date", "id"]

    def __str__(self):
        return f"{self.topic} ({self.date})"


class TrainingPhoto(PhotoFiles):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="photos",
                                 verbose_name=_("training"))

    class Meta(PhotoFiles.Meta):
        verbose_name = _("training photo")
        verbose_name_plural = _("training photos")


# Risks and interventions ---------------------------------------------------------------------------

@track_changes("RiskEvent")
class Risk(models.Model):
    location = models.PointField(_("location"), srid=4326)
    asset = models.ForeignKey("registry.Asset", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="safety_risks", verbose_name=_("asset"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="safety_risks",
                               verbose_name=_("street"), editable=False)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="safety_risks",
                                  verbose_name=_("community"), null=True, blank=True, editable=False)
    grid = models.ForeignKey("registry.Grid", on_delete=models.PROTECT, related_name="safety_risks",
                             verbose_name=_("grid"), null=True, blank=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=RiskCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    source = models.CharField(_("source"), max_length=20, choices=RiskSource.choices)
    description = models.TextField(_("description"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.FOUND,
                              editable=False)
    accepted_reason = models.TextField(_("reason for accepting"), blank=True, max_length=2000, editable=False)
    found_at = models.DateTimeField(_("found at"), db_index=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True, editable=False)
    problem_report = models.ForeignKey("problems.ProblemReport", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="safety_risks", verbose_name=_("problem report"))
    round_answer = models.OneToOneField(RoundAnswer, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="risk", verbose_name=_("round answer"))
    ambassador = models.ForeignKey(Ambassador, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="risks", verbose_name=_("reported by ambassador"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety risk")
        verbose_name_plural = _("safety risks")
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["street", "status"], name="safety_risk_street_status"),
                   models.Index(fields=["community", "found_at"], name="safety_risk_community_found")]
        constraints = [
            models.CheckConstraint(condition=Q(removed_at__isnull=True) | Q(removed_at__gte=F("found_at")),
                                   name="safety_risk_removed_after_found"),
            models.CheckConstraint(condition=~Q(status="accepted") | ~Q(accepted_reason=""),
                                   name="safety_risk_accepted_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} · {self.get_severity_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_RISK_STATUSES


class RiskPhoto(PhotoFiles):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="photos", verbose_name=_("risk"))

    class Meta(PhotoFiles.Meta):
        verbose_name = _("risk photo")
        verbose_name_plural = _("risk photos")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


@track_changes("InterventionEvent")
class Intervention(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="interventions", verbose_name=_("risk"))
    measure = models.TextField(_("measure"), max_length=2000)
    responsible = models.CharField(_("responsible party"), max_length=200)
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=InterventionStatus.choices,
                              default=InterventionStatus.PLANNED, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closing_note = models.TextField(_("closing note"), blank=True, max_length=2000, editable=False)
    upkeep_log = models.ForeignKey("upkeep.UpkeepLog", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="safety_interventions", verbose_name=_("upkeep log"))
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("planned by"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["deadline", "id"]

    def __str__(self):
        return f"{self.risk} · {self.deadline:%Y-%m-%d %H:%M}"


class InterventionPhoto(PhotoFiles):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="photos",
                                     verbose_name=_("intervention"))

    class Meta(PhotoFiles.Meta):
        verbose_name = _("intervention photo")
        verbose_name_plural = _("intervention photos")


# Evaluations ---------------------------------------------------------------------------------------

@track_changes("EvaluationEvent")
class Evaluation(models.Model):
    """A community's evaluation over a period (a quarter by default). The indicators are computed by
    ``safety.figures`` and frozen here when the street signs the evaluation off."""

    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="safety_evaluations",
                                  verbose_name=_("community"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="safety_evaluations",
                               verbose_name=_("street"), editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    indicators = models.JSONField(_("indicators"), default=dict, blank=True, editable=False)
    checklist_score = models.PositiveSmallIntegerField(_("checklist score (0–100)"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True, max_length=4000)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("evaluator"), editable=False)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("safety evaluation")
        verbose_name_plural = _("safety evaluations")
        ordering = ["community", "-period_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "period_start", "period_end"],
                                    name="safety_evaluation_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="safety_evaluation_period_in_order"),
            models.CheckConstraint(condition=Q(checklist_score__lte=100), name="safety_evaluation_score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.community} · {self.period_start}–{self.period_end}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class RiskPublication(models.Model):
    """A street's choice to show its open risks on the public map (off unless the street publishes)."""

    street = models.OneToOneField("registry.Street", on_delete=models.CASCADE, related_name="risk_publication",
                                  verbose_name=_("street"))
    publish = models.BooleanField(_("open risks on the public map"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("changed by"), editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("risk publication")
        verbose_name_plural = _("risk publications")

    def __str__(self):
        return f"{self.street} · {self.publish}"
