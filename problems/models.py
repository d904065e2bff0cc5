"""Problem reports: what residents see wrong on an asset, and how the street office answered.

One :class:`ProblemReport` is one problem (an asset and a category) from its first report to its
resolution. A second report of the same problem while it is still being dealt with is joined to
it as a :class:`JoinedReport` (its own words, photos and contact), not filed again. That rule is
the database's: a partial unique constraint allows one active report per asset and category, so
two residents reporting at the same moment cannot both open one.

The SITE loop (查找 → 干预 → …): a report is **open**, staff mark it **in progress**, and close it
as **resolved** (linking the upkeep log that fixed it) or **closed, not fixed** — with a public reply.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.fields import MobileNumberField
from registry.history import track_changes
from registry.submissions import submission_key_field
from registry.validators import mask_mobile


class ProblemCategory(models.TextChoices):
    DAMAGED_PLANTS = "damaged_plants", _("damaged plants")
    LITTER = "litter", _("litter")
    MURAL_DEFACED = "mural_defaced", _("mural defaced")
    BROKEN_FACILITY = "broken_facility", _("broken facility")
    SAFETY_HAZARD = "safety_hazard", _("safety hazard")
    ELEVATOR_FAULT = "elevator_fault", _("elevator fault")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed, not fixed")


#: Statuses of a problem still being dealt with: new reports of it are joined, the map shows it.
ACTIVE_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


class ReporterContact(models.Model):
    """What one resident said, and how (if they wish) to reach them. Contact is never shown publicly."""

    description = models.TextField(_("description"), blank=True, max_length=2000)
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_mobile = MobileNumberField(_("reporter's mobile"), blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    contact_consent = models.BooleanField(
        _("agrees to be contacted"), default=False,
        help_text=_("The reporter agreed that the street office keeps their contact to reply about this report."))
    #: The language the reporter wrote in: notifications are sent in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    #: The key of the form (or the API's Idempotency-Key) it was sent with (registry.submissions): the
    #: same form sent twice is one report, not a report and a "second resident" joined to it.
    submission_key = submission_key_field()

    class Meta:
        abstract = True

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_mobile or self.reporter_email)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.reporter_mobile) if self.reporter_mobile else ""


#: Who reported, kept out of the database's history: contact is personal data, shown only when revealed.
CONTACT_COLUMNS = ["reporter_name", "reporter_mobile", "reporter_email"]


@track_changes("ProblemReportEvent", exclude=CONTACT_COLUMNS)
class ProblemReport(ReporterContact):
    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="problem_reports",
                              verbose_name=_("asset"))
    category = models.CharField(_("category"), max_length=20, choices=ProblemCategory.choices)
    photos = models.ManyToManyField("registry.Photo", blank=True, related_name="problem_reports",
                                    verbose_name=_("photos"))
    status = models.CharField(_("status"), max_length=20, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN)
    staff_reply = models.TextField(_("public reply"), blank=True, max_length=2000,
                                   help_text=_("Shown on the asset page and sent to the reporter."))
    #: What the public reads of the report, as staff moderated it (FixMyStreet's moderation); the
    #: resident's ``description`` stays as written, for staff. Empty: nothing of it is published.
    public_description = models.TextField(
        _("public text"), blank=True, max_length=2000,
        help_text=_("What residents read of this report on the asset page; the original stays for staff."))
    resolved_by_log = models.ForeignKey("upkeep.UpkeepLog", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="resolved_problems", verbose_name=_("resolved by upkeep"))
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("handled by"))
    started_at = models.DateTimeField(_("work started at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True,
                                       help_text=_("When it was resolved or closed without a fix."))
    #: How many later reports of the same problem were joined to this one (see JoinedReport).
    duplicates_count = models.PositiveIntegerField(_("joined reports"), default=0)

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "category"], condition=models.Q(status__in=ACTIVE_STATUSES),
                name="problem_one_active_per_asset_category",
                violation_error_message=_("This problem is already reported on this asset."),
            ),
            models.CheckConstraint(
                condition=models.Q(resolved_by_log__isnull=True) | models.Q(status=ProblemStatus.RESOLVED),
                name="problem_log_only_when_resolved",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="problem_status_created"),
                   models.Index(fields=["submission_key"], condition=~models.Q(submission_key=""),
                                name="problem_submission_key")]

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()} · {self.asset}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def reports_count(self) -> int:
        """How many residents reported it: the first report and the joined ones."""
        return 1 + self.duplicates_count


class JoinedReport(ReporterContact):
    """A later report of a problem already open: kept for its words, photos and contact."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="joined_reports",
                               verbose_name=_("problem report"))
    photos = models.ManyToManyField("registry.Photo", blank=True, related_name="joined_problem_reports",
                                    verbose_name=_("photos"))

    class Meta:
        verbose_name = _("joined report")
        verbose_name_plural = _("joined reports")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["submission_key"], condition=~models.Q(submission_key=""),
                                name="joined_problem_submission_key")]

    def __str__(self):
        return f"{self.report} + {self.created_at:%Y-%m-%d %H:%M}"
