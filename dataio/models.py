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


class Job(models.Model):
    """A long import (or export) run by a worker of the job queue (procrastinate, docs/jobs.md).

    The queue's own row (``procrastinate_jobs``) says whether a worker holds the job; this row says what
    people see: the phase, rows done of the total, when it started, whether someone asked to cancel
    it, and the result (the import's row report) or the error at the end. The worker updates it as it
    goes, outside the import's own transaction, so the progress page sees it while the job runs.
    """

    class Phase(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        READING = "reading", _("reading")
        CHECKING = "checking", _("checking")
        WRITING = "writing", _("writing")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused: problems in the file")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    FINISHED = (Phase.DONE, Phase.REFUSED, Phase.FAILED, Phase.CANCELLED)

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("by"))
    task = models.CharField(_("task"), max_length=50)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    #: What the task needs to run (the waiting upload's path and the import options).
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    phase_started_at = models.DateTimeField(_("phase started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: The row report at the end (dataio.importing.report.ImportReport as JSON), or the error's messages.
    result = models.JSONField(_("result"), default=dict, blank=True)
    queue_job_id = models.BigIntegerField(_("queue job"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.task} #{self.pk} ({self.phase})"

    @property
    def finished(self) -> bool:
        return self.phase in self.FINISHED
