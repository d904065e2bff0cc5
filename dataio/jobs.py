"""What a worker does with a job's row while the job runs: progress, cancel, the result at the end.

:class:`JobProgress` is the ``progress`` and ``checkpoint`` that :func:`dataio.operations.import_assets`
takes (tqdm's place on the terminal): it counts rows per phase (reading, checking, writing) into the
job's row, at most a few times a second, in autocommit, so the progress page sees them while the
import runs; and it reads the job's cancel flag as it goes, raising :class:`JobCancelled` once someone
asked. The import writes in one transaction, and its last step before COMMIT is a checkpoint, so a
job cancelled at any time writes nothing. A worker killed mid-way never commits either; what
happens to its job then is ``dataio.tasks.recover_stalled_jobs``'s (docs/jobs.md).
"""

import dataclasses
import shutil
import time
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from dataio.importing.report import ImportReport, Problem
from dataio.models import Job

#: Seconds between two writes of the row counts (and reads of the cancel flag).
SAVE_EVERY = 0.3

#: The queue's names of the tasks that run a :class:`Job` (dataio/tasks.py), deferred by name.
IMPORT_TASK = "dataio.import_assets"
LEDGER_TASK = "dataio.import_ledger"
EXPORT_TASK = "dataio.export_assets"
RENDITIONS_TASK = "dataio.regenerate_renditions"
JOB_TASKS = (IMPORT_TASK, LEDGER_TASK, EXPORT_TASK, RENDITIONS_TASK)


class JobCancelled(Exception):
    """Someone asked to cancel the job: the import stops, its transaction (if any) rolls back."""


class JobProgress:
    def __init__(self, job: Job):
        self.job_id = job.pk
        self._saved_at = 0.0

    def __call__(self, iterable, *, total=None, phase: str = "", **_bar):
        self.enter(phase or Job.Phase.CHECKING, total)
        done = 0
        for done, item in enumerate(iterable, 1):
            if time.monotonic() - self._saved_at > SAVE_EVERY:
                self.save(done)
            yield item
        self.save(done)

    def checkpoint(self, phase: str) -> None:
        if phase == "commit":
            self.raise_if_cancelled()
        else:
            self.enter(phase, None)

    def enter(self, phase: str, total) -> None:
        Job.objects.filter(pk=self.job_id).update(phase=phase, rows_done=0, rows_total=total,
                                                  phase_started_at=timezone.now())
        self.raise_if_cancelled()

    def save(self, done: int) -> None:
        self._saved_at = time.monotonic()
        Job.objects.filter(pk=self.job_id).update(rows_done=done)
        self.raise_if_cancelled()

    def raise_if_cancelled(self) -> None:
        if Job.objects.filter(pk=self.job_id, cancel_requested=True).exists():
            raise JobCancelled


def finish(job: Job, phase: str, **result) -> None:
    """The job's end: its phase, the result (report or messages), the upload deleted (kept after a preview
    with no problem, for its confirmation: the import page's hourly sweep deletes it if none comes)."""
    job.phase, job.finished_at, job.result = phase, timezone.now(), result
    job.save(update_fields=["phase", "finished_at", "result"])
    report = result.get("report") or {}
    if not (job.task == IMPORT_TASK and phase == Job.Phase.DONE and (job.arguments or {}).get("dry_run")
            and not report.get("problems")):
        discard_upload(job)


def discard_upload(job: Job) -> None:
    path = (job.arguments or {}).get("path")
    if path:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def report_as_json(report: ImportReport) -> dict:
    return json_safe(dataclasses.asdict(report))


def report_from_json(data: dict) -> ImportReport:
    fields = {f.name for f in dataclasses.fields(ImportReport)}
    report = ImportReport(**{key: value for key, value in data.items() if key in fields})
    report.problems = [Problem(**problem) for problem in report.problems]
    return report


def json_safe(value):
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # lazy translations


def lost_worker_message(task: str = IMPORT_TASK) -> str:
    if task == EXPORT_TASK:
        return _("The worker running this export stopped before it finished; no file was kept. Export again.")
    return _("The worker running this job stopped before it finished; nothing was written. Start the import again.")


def cancelled_message(task: str = IMPORT_TASK) -> str:
    if task == EXPORT_TASK:
        return _("The export was cancelled; no file was kept.")
    return _("The import was cancelled; nothing was written.")


def failed_message(task: str = IMPORT_TASK) -> str:
    if task == EXPORT_TASK:
        return _("The export failed on the server; no file was kept.")
    return _("The import failed on the server; nothing was written.")


def remaining_seconds(job: Job, now=None) -> float | None:
    """Seconds left in the current phase at its pace so far, or None while it cannot be told."""
    if not job.rows_total or not job.rows_done or not job.phase_started_at or job.finished:
        return None
    spent = ((now or timezone.now()) - job.phase_started_at).total_seconds()
    return max(0.0, spent / job.rows_done * (job.rows_total - job.rows_done))
