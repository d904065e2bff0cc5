"""Adopters (认领方), their adoptions of assets, and what the adopter's side keeps beside them.

The rule that an asset has at most one adopter at a time is the database's: an exclusion
constraint refuses two granted (approved or ended) adoptions of one asset whose periods overlap,
so two staff approving at the same moment cannot both win.

Beside them:

* :class:`AdopterProfile` — the privacy notice the adopter agreed to, and which e-mail address
  they proved is theirs (e-mail goes only to a confirmed address).
* :class:`Notice` — a message on the adopter's dashboard (decisions, reminders). It stores a
  kind and its values, not text, so it reads in whatever language the adopter views it in.
* :class:`ReminderSent` — one row per reminder sent, so ``send_reminders`` can run every day
  (or twice) and never send the same reminder again.

Adopter and Adoption keep the tables they had when they lived in the core (``registry_adopter``,
``registry_adoption``): migrations moved the models here without touching a row.
"""

import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.fields import CreditCodeField, MobileNumberField
from registry.history import track_changes
from registry.validators import mask_mobile


class AdopterKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise")
    PARTY_UNIT = "party_unit", _("party-building co-building unit")
    VETERAN = "veteran", _("veteran")
    VOLUNTEER = "volunteer", _("volunteer")
    SOCIAL_ORGANISATION = "social_org", _("social organisation")
    SHOP = "shop", _("shop / merchant")
    RESIDENT = "resident", _("resident")

    @classmethod
    def organisations(cls) -> set[str]:
        """Kinds that are organisations and so must give a unified social credit code."""
        return {cls.ENTERPRISE, cls.PARTY_UNIT, cls.SOCIAL_ORGANISATION}


class Adopter(models.Model):
    kind = models.CharField(_("adopter kind"), max_length=20, choices=AdopterKind.choices)
    display_name = models.CharField(_("public display name"), max_length=100,
                                    help_text=_("The only name the public sees on the map and plaques."))
    contact_person = models.CharField(_("contact person"), max_length=50)
    mobile = MobileNumberField(_("mobile"))
    email = models.EmailField(_("email"), blank=True)
    credit_code = CreditCodeField(
        _("unified social credit code"), blank=True,
        help_text=_("18 characters (GB 32100-2015); required for enterprises, units and organisations."),
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="adopter", verbose_name=_("user account"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "registry_adopter"
        verbose_name = _("adopter")
        verbose_name_plural = _("adopters")
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="adopter_credit_code_unique"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def clean(self):
        super().clean()
        if self.kind in AdopterKind.organisations() and not self.credit_code:
            raise ValidationError({"credit_code": _("Organisations must give their unified social credit code.")})


class AdoptionStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ENDED = "ended", _("ended")
    #: Taken back by the adopter before a decision, or cancelled before the adoption began.
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Statuses whose period the asset was really adopted for; they may never overlap.
GRANTED_STATUSES = [AdoptionStatus.APPROVED, AdoptionStatus.ENDED]


@track_changes("AdoptionEvent")
class Adoption(models.Model):
    adopter = models.ForeignKey(Adopter, on_delete=models.PROTECT, related_name="adoptions",
                                verbose_name=_("adopter"))
    asset = models.ForeignKey("registry.Asset", on_delete=models.PROTECT, related_name="adoptions",
                              verbose_name=_("asset"))
    period = DateRangeField(_("period"), help_text=_("First and last day of the adoption."))
    status = models.CharField(_("status"), max_length=20, choices=AdoptionStatus.choices,
                              default=AdoptionStatus.REQUESTED)
    duties = models.TextField(_("care pledge"), blank=True,
                              help_text=_("What the adopter will do, and how often."))
    care_interval_days = models.PositiveSmallIntegerField(
        _("pledged care interval (days)"), null=True, blank=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        db_table = "registry_adoption"
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["-created_at"]
        constraints = [
            ExclusionConstraint(
                name="adoption_no_overlapping_granted",
                expressions=[("asset", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=models.Q(status__in=GRANTED_STATUSES),
                violation_error_message=_("This asset already has an adopter for part of that period."),
            ),
            models.CheckConstraint(
                condition=models.Q(period__isempty=False),
                name="adoption_period_not_empty",
                violation_error_message=_("The adoption period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.adopter} → {self.asset}"

    @property
    def first_day(self):
        return self.period.lower if self.period else None

    @property
    def last_day(self):
        """The last day adopted: PostgreSQL keeps a daterange as [first day, day after the last)."""
        return self.period.upper - datetime.timedelta(days=1) if self.period and self.period.upper else None


class AdopterProfile(models.Model):
    adopter = models.OneToOneField("adopters.Adopter", on_delete=models.CASCADE, related_name="profile",
                                   verbose_name=_("adopter"))
    #: Blank, with no time, for an adopter entered by staff or the demo: they agreed to no notice here.
    privacy_notice_version = models.CharField(_("privacy notice version agreed to"), max_length=20, blank=True)
    privacy_consented_at = models.DateTimeField(_("privacy notice agreed at"), null=True, blank=True)
    #: The address the adopter confirmed; if they change their e-mail it no longer matches.
    confirmed_email = models.EmailField(_("confirmed e-mail"), blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("adopter profile")
        verbose_name_plural = _("adopter profiles")

    def __str__(self):
        return str(self.adopter)

    @property
    def email_is_confirmed(self) -> bool:
        return bool(self.adopter.email) and self.confirmed_email.lower() == self.adopter.email.lower()


class NoticeKind(models.TextChoices):
    APPROVED = "approved", _("application approved")
    REJECTED = "rejected", _("application rejected")
    ENDING_SOON = "ending_soon", _("adoption ending soon")
    CARE_OVERDUE = "care_overdue", _("care overdue")


class Notice(models.Model):
    adopter = models.ForeignKey("adopters.Adopter", on_delete=models.CASCADE, related_name="notices",
                                verbose_name=_("adopter"))
    adoption = models.ForeignKey("adopters.Adoption", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="notices", verbose_name=_("adoption"))
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    #: The values the message needs (asset name, dates, reason), rendered in the reader's language.
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["adopter", "-created_at"], name="notice_adopter_recent")]

    def __str__(self):
        return f"{self.adopter} · {self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    ENDING_SOON = "ending_soon", _("adoption ending soon")
    CARE_OVERDUE = "care_overdue", _("care overdue")


class ReminderSent(models.Model):
    adoption = models.ForeignKey("adopters.Adoption", on_delete=models.CASCADE, related_name="reminders",
                                 verbose_name=_("adoption"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    #: Which occurrence: the last day for "ending soon"; the silent interval for "care overdue".
    period_key = models.CharField(_("period"), max_length=40)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["adoption", "kind", "period_key"],
                                               name="reminder_sent_once")]

    def __str__(self):
        return f"{self.adoption} · {self.kind} · {self.period_key}"
