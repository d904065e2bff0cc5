"""The data I/O app's tasks on the job queue (procrastinate; docs/jobs.md): found by procrastinate's
Django autodiscovery (each app's ``tasks`` module) and run by ``manage.py procrastinate worker``.

``dataio.import_assets`` runs an import the staff import page queued
(:func:`dataio.operations.start_import_job`), reporting progress into its :class:`dataio.models.Job`.
``dataio.recover_stalled_jobs`` (every minute) finds jobs whose worker stopped sending heartbeats
(killed, machine lost): such an import wrote nothing (its write is one transaction that never
committed), so it is queued again, once; a second loss fails it with a message saying so.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from dataio.importing.report import ImportRefused
from dataio.jobs import JobCancelled, JobProgress, finish, lost_worker_message, report_as_json
from dataio.models import Job
from dataio.operations import IMPORT_TASK, import_assets
from registry.audit import record


@app.task(name=IMPORT_TASK, queue="imports", pass_context=True)
def import_assets_task(context, job_id: int) -> None:
    job = Job.objects.select_related("actor").filter(pk=job_id).first()
    if job is None or job.finished:
        return
    with translation.override(job.arguments.get("language") or settings.LANGUAGE_CODE):
        run_import(job, queue_job_id=context.job.id)


def run_import(job: Job, *, queue_job_id=None) -> None:
    if job.cancel_requested:
        finish(job, Job.Phase.CANCELLED, messages=[_("The import was cancelled; nothing was written.")])
        return
    Job.objects.filter(pk=job.pk).update(started_at=job.started_at or timezone.now(), queue_job_id=queue_job_id,
                                         attempts=job.attempts + 1)
    arguments, progress = job.arguments, JobProgress(job)
    try:
        report = import_assets(actor=job.actor, path=arguments["path"], filename=job.filename, dry_run=False,
                               progress=progress, checkpoint=progress.checkpoint, **arguments["options"])
    except JobCancelled:
        finish(job, Job.Phase.CANCELLED, messages=[_("The import was cancelled; nothing was written.")])
    except ImportRefused as refused:
        finish(job, Job.Phase.REFUSED, report=report_as_json(refused.report))
    except (ValidationError, PermissionDenied) as error:
        finish(job, Job.Phase.FAILED, messages=[str(m) for m in getattr(error, "messages", [str(error)])])
    except Exception:
        finish(job, Job.Phase.FAILED, messages=[_("The import failed on the server; nothing was written.")])
        raise
    else:
        finish(job, Job.Phase.DONE, report=report_as_json(report))


@app.periodic(cron="* * * * *", periodic_id="recover-stalled-jobs")
@app.task(name="dataio.recover_stalled_jobs", queue="maintenance", queueing_lock="recover-stalled-jobs",
          retry=RetryStrategy(max_attempts=0), pass_context=True)
async def recover_stalled_jobs(context, timestamp: int) -> int:
    """Queue again (or fail) the imports whose worker was lost; return how many were found."""
    manager = context.app.job_manager  # the worker's own connection
    stalled = await manager.get_stalled_jobs(task_name=IMPORT_TASK,
                                                    seconds_since_heartbeat=settings.JOBS_STALLED_SECONDS)
    for queue_job in stalled:
        job = await Job.objects.filter(pk=queue_job.task_kwargs.get("job_id")).afirst()
        if job is None or job.finished or job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            await manager.finish_job_by_id_async(queue_job.id, status=Status.FAILED, delete_job=False)
            if job is not None and not job.finished:
                await Job.objects.filter(pk=job.pk).aupdate(phase=Job.Phase.FAILED, finished_at=timezone.now(),
                                                            result={"messages": [lost_worker_message()]})
            continue
        await Job.objects.filter(pk=job.pk).aupdate(phase=Job.Phase.QUEUED, rows_done=0, rows_total=None)
        await manager.retry_job(queue_job)
        await _record_retry(job)
    return len(stalled)


async def _record_retry(job: Job) -> None:
    await sync_to_async(record)(actor=None, action="jobs.retry_after_lost_worker", obj=job,
                                changes={"attempts": [job.attempts, job.attempts]})
