"""A record of each import, so the audit trail has one entry per import to point at."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One file imported: who, when, which kind, how many assets created and updated."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    filename = models.CharField(_("file"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20)
    layers = models.CharField(_("layers"), max_length=255, blank=True)
    srid = models.PositiveIntegerField(_("source CRS (EPSG)"))
    gcj02 = models.BooleanField(_("converted from GCJ-02"), default=False)
    created = models.PositiveIntegerField(_("assets created"), default=0)
    updated = models.PositiveIntegerField(_("assets updated"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.filename} ({self.kind})"
