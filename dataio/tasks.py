"""The data I/O app's tasks on the job queue (procrastinate; docs/jobs.md): found by procrastinate's
Django autodiscovery (each app's ``tasks`` module) and run by ``manage.py procrastinate worker``.

Three tasks run a :class:`dataio.models.Job` the staff pages queued (``dataio.operations.start_*_job``),
reporting progress into it: ``dataio.import_assets`` (a GIS file), ``dataio.import_ledger`` (the
project, resolution or retrofit ledger, checked or imported) and ``dataio.export_assets`` (a large
selection of the map, to a file kept for its owner), ``dataio.regenerate_renditions`` (the thumbnails of
a batch of photos). ``dataio.recover_stalled_jobs`` (every minute)
finds jobs whose worker stopped sending heartbeats (killed, machine lost): such a job wrote nothing
(an import's write is one transaction that never committed; an export's file is saved only once
written whole), so it is queued again, once; a second loss fails it with a message saying so.
``dataio.delete_expired_exports`` (daily) deletes export files older than DATAIO_EXPORT_KEEP_DAYS.
"""

from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from dataio.exporting.files import write_selection
from dataio.exporting.writers import ExportFailed
from dataio.importing.projects import import_projects
from dataio.importing.report import ImportRefused
from dataio.importing.resolutions import import_resolutions
from dataio.importing.retrofit_ledger import import_retrofit_ledger
from dataio.jobs import (EXPORT_TASK, IMPORT_TASK, JOB_TASKS, LEDGER_TASK, RENDITIONS_TASK, JobCancelled, JobProgress,
                         cancelled_message, discard_upload, failed_message, finish, lost_worker_message,
                         report_as_json)
from dataio.models import Job
from dataio.operations import delete_expired_exports, import_assets
from registry.audit import record
from registry.photos.models import Photo
from registry.photos.pipeline import remake_small

#: The ledgers a ledger job imports: name → import function (``actor=, path=, dry_run=, **options``).
LEDGERS = {"projects": import_projects, "resolutions": import_resolutions, "retrofits": import_retrofit_ledger}


def _import(job: Job, progress: JobProgress) -> dict:
    arguments = job.arguments
    report = import_assets(actor=job.actor, path=arguments["path"], filename=job.filename,
                           dry_run=arguments.get("dry_run", False), progress=progress,
                           checkpoint=progress.checkpoint, **arguments["options"])
    if report.problems:  # a preview (dry run) that found problems: refused, as the import would be
        raise ImportRefused(report)
    return {"report": report_as_json(report)}


def _import_ledger(job: Job, progress: JobProgress) -> dict:
    """A ledger's import writes row by row through its own operations: one outer transaction makes it
    all or nothing here too, and the cancel flag is read last, inside it, so a cancel writes nothing."""
    arguments = job.arguments
    progress.enter(Job.Phase.CHECKING, None)
    with transaction.atomic():
        report = LEDGERS[arguments["ledger"]](actor=job.actor, path=Path(arguments["path"]),
                                              dry_run=arguments["dry_run"], progress=progress, **arguments["options"])
        progress.raise_if_cancelled()
    report.filename = job.filename
    return {"report": report_as_json(report)}


def _export(job: Job, progress: JobProgress) -> dict:
    if job.actor is None:
        raise PermissionDenied(_("The person who asked for this export no longer has an account."))
    arguments = job.arguments
    return write_selection(job_id=job.pk, actor=job.actor, filters=arguments["filters"], fmt=arguments["format"],
                           public=arguments["public"], progress=progress)


def _regenerate_renditions(job: Job, progress: JobProgress) -> dict:
    """Remake the thumbnails of the job's batch of photos, one by one (each is its own small write; a
    cancel stops between two photos, those done stay done); a photo whose file cannot be read is listed."""
    ids = job.arguments["photo_ids"]
    changed, unreadable = 0, []
    photos = Photo.objects.filter(pk__in=ids).order_by("pk").iterator(chunk_size=100)
    for photo in progress(photos, total=len(ids), phase=Job.Phase.WRITING):
        try:
            changed += remake_small(photo)
        except (OSError, ValidationError):
            unreadable.append(photo.pk)
    return {"photos": len(ids), "changed": changed, "unreadable": unreadable}


RUNNERS = {IMPORT_TASK: _import, LEDGER_TASK: _import_ledger, EXPORT_TASK: _export,
           RENDITIONS_TASK: _regenerate_renditions}


def _run_queued(job_id: int, queue_job_id) -> None:
    job = Job.objects.select_related("actor").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    with translation.override(job.arguments.get("language") or settings.LANGUAGE_CODE):
        run_job(job, queue_job_id=queue_job_id)


@app.task(name=IMPORT_TASK, queue="imports", pass_context=True)
def import_assets_task(context, job_id: int) -> None:
    _run_queued(job_id, context.job.id)


@app.task(name=LEDGER_TASK, queue="imports", pass_context=True)
def import_ledger_task(context, job_id: int) -> None:
    _run_queued(job_id, context.job.id)


@app.task(name=RENDITIONS_TASK, queue="imports", pass_context=True)
def regenerate_renditions_task(context, job_id: int) -> None:
    _run_queued(job_id, context.job.id)


@app.task(name=EXPORT_TASK, queue="imports", pass_context=True)
def export_assets_task(context, job_id: int) -> None:
    _run_queued(job_id, context.job.id)


def run_job(job: Job, *, queue_job_id=None) -> None:
    """Run ``job`` by its task, its row following along; the end (done, refused, failed, cancelled) in the row."""
    if job.cancel_requested:
        finish(job, Job.Phase.CANCELLED, messages=[cancelled_message(job.task)])
        return
    Job.objects.filter(pk=job.pk).update(started_at=job.started_at or timezone.now(), queue_job_id=queue_job_id,
                                         attempts=job.attempts + 1)
    progress = JobProgress(job)
    try:
        result = RUNNERS[job.task](job, progress)
    except JobCancelled:
        finish(job, Job.Phase.CANCELLED, messages=[cancelled_message(job.task)])
    except ImportRefused as refused:
        finish(job, Job.Phase.REFUSED, report=report_as_json(refused.report))
    except (ValidationError, PermissionDenied) as error:
        finish(job, Job.Phase.FAILED, messages=[str(m) for m in getattr(error, "messages", [str(error)])])
    except UnicodeDecodeError:
        finish(job, Job.Phase.FAILED, messages=[_("The file is not UTF-8 text.")])
    except (ExportFailed, OSError):
        finish(job, Job.Phase.FAILED, messages=[failed_message(job.task)])
    except Exception:
        finish(job, Job.Phase.FAILED, messages=[failed_message(job.task)])
        raise
    else:
        finish(job, Job.Phase.DONE, **result)


@app.periodic(cron="* * * * *", periodic_id="recover-stalled-jobs")
@app.task(name="dataio.recover_stalled_jobs", queue="maintenance", queueing_lock="recover-stalled-jobs",
          retry=RetryStrategy(max_attempts=0), pass_context=True)
async def recover_stalled_jobs(context, timestamp: int) -> int:
    """Queue again (or fail) the jobs whose worker was lost; return how many were found."""
    manager = context.app.job_manager  # the worker's own connection
    stalled = []
    for task_name in JOB_TASKS:
        stalled += await manager.get_stalled_jobs(task_name=task_name,
                                                  seconds_since_heartbeat=settings.JOBS_STALLED_SECONDS)
    for queue_job in stalled:
        job = await Job.objects.filter(pk=queue_job.task_kwargs.get("job_id")).afirst()
        if job is None or job.finished or job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            await manager.finish_job_by_id_async(queue_job.id, status=Status.FAILED, delete_job=False)
            if job is not None and not job.finished:
                await Job.objects.filter(pk=job.pk).aupdate(phase=Job.Phase.FAILED, finished_at=timezone.now(),
                                                            result={"messages": [lost_worker_message(job.task)]})
                discard_upload(job)  # nobody will run it again
            continue
        await Job.objects.filter(pk=job.pk).aupdate(phase=Job.Phase.QUEUED, rows_done=0, rows_total=None)
        await manager.retry_job(queue_job)
        await _record_retry(job)
    return len(stalled)


async def _record_retry(job: Job) -> None:
    await sync_to_async(record)(actor=None, action="jobs.retry_after_lost_worker", obj=job,
                                changes={"attempts": [job.attempts, job.attempts]})


@app.periodic(cron="30 3 * * *", periodic_id="delete-expired-exports")
@app.task(name="dataio.delete_expired_exports", queue="maintenance", queueing_lock="delete-expired-exports",
          retry=RetryStrategy(max_attempts=0))
def delete_expired_exports_task(timestamp: int) -> int:
    """Delete export files older than DATAIO_EXPORT_KEEP_DAYS (the jobs stay, marked expired)."""
    return delete_expired_exports()
