"""What the adopters' side of the site keeps beside the registry's Adopter and Adoption.

* :class:`AdopterProfile` — the privacy notice the adopter agreed to, and which e-mail address
  they proved is theirs (e-mail goes only to a confirmed address).
* :class:`Notice` — a message on the adopter's dashboard (decisions, reminders). It stores a
  kind and its values, not text, so it reads in whatever language the adopter views it in.
* :class:`ReminderSent` — one row per reminder sent, so ``send_reminders`` can run every day
  (or twice) and never send the same reminder again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdopterProfile(models.Model):
    adopter = models.OneToOneField("registry.Adopter", on_delete=models.CASCADE, related_name="profile",
                                   verbose_name=_("adopter"))
    privacy_notice_version = models.CharField(_("privacy notice version agreed to"), max_length=20)
    privacy_consented_at = models.DateTimeField(_("privacy notice agreed at"))
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
    adopter = models.ForeignKey("registry.Adopter", on_delete=models.CASCADE, related_name="notices",
                                verbose_name=_("adopter"))
    adoption = models.ForeignKey("registry.Adoption", on_delete=models.CASCADE, null=True, blank=True,
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
    adoption = models.ForeignKey("registry.Adoption", on_delete=models.CASCADE, related_name="reminders",
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
