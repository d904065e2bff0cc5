"""A background job's page ``/staff/jobs/<id>/``: phase, progress bar, elapsed and remaining time, cancel,
and at the end the import's row report, or the export's file (``/staff/jobs/<id>/file``, its owner only). ``static/js/jobs/progress.js`` polls ``status.json`` and
updates the page in place; without scripts the page refreshes itself (a link) and still works.

Leaving and coming back shows the same job: the import page links the user's running job, and
the page's URL is the job's. Only the job's owner and district administrators see or cancel it.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dataio.exporting.files import keep_days, storage
from dataio.exporting.writers import CONTENT_TYPES
from dataio.jobs import EXPORT_TASK, LEDGER_TASK, RENDITIONS_TASK, remaining_seconds, report_from_json
from dataio.models import Job
from dataio.operations import cancel_job, confirm_preview_job
from registry.access import owner_or_district_admin


#: What a ledger job's report calls its new rows.
NEW_LABELS = {"projects": gettext_lazy("New projects"), "resolutions": gettext_lazy("New resolutions"),
              "retrofits": gettext_lazy("New retrofits")}
#: What a finished ledger import says (the import of assets says it in the template).
DONE_MESSAGES = {
    "projects": gettext_lazy("Imported %(file)s: %(new)d new and %(updated)d updated projects."),
    "resolutions": gettext_lazy("Imported %(file)s: %(new)d new and %(updated)d updated resolutions."),
    "retrofits": gettext_lazy("Imported %(file)s: %(new)d new and %(updated)d updated assets."),
}


def _job_for(request, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or not owner_or_district_admin(request.user, job.actor_id):
        raise Http404
    return job


def status(job: Job) -> dict:
    """The job as the page's script reads it (also the page's first render)."""
    now = timezone.now()
    remaining = remaining_seconds(job, now)
    return {
        "id": job.pk, "phase": job.phase, "phase_label": str(job.get_phase_display()), "finished": job.finished,
        "rows_done": job.rows_done, "rows_total": job.rows_total,
        "percent": round(100 * job.rows_done / job.rows_total) if job.rows_total else None,
        "elapsed_seconds": round(((job.finished_at or now) - job.started_at).total_seconds()) if job.started_at else 0,
        "remaining_seconds": round(remaining) if remaining is not None else None,
        "cancel_requested": job.cancel_requested,
    }


def job_page(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, pk)
    result = job.result or {}
    report = report_from_json(result["report"]) if result.get("report") else None
    is_export, ledger = job.task == EXPORT_TASK, (job.arguments or {}).get("ledger")
    done = None
    if report is not None and report.imported and ledger in DONE_MESSAGES:
        done = DONE_MESSAGES[ledger] % {"file": job.filename, "new": report.to_create, "updated": report.to_update}
    arguments = job.arguments or {}
    can_confirm = (job.phase == Job.Phase.DONE and arguments.get("dry_run") and job.task != LEDGER_TASK
                   and report is not None and report.ok and not arguments.get("confirmed_by")
                   and job.actor_id == request.user.pk)
    return render(request, "dataio/job.html", {
        "can_confirm": can_confirm, "confirmed_by": arguments.get("confirmed_by"),
        "job": job, "status": status(job), "report": report, "result_messages": result.get("messages", []),
        "is_export": is_export, "is_renditions": job.task == RENDITIONS_TASK, "file_ready": bool(result.get("file")), "keep_days": keep_days(),
        "new_label": NEW_LABELS.get(ledger, _("New assets")), "done_message": done})


def job_file(request, pk: int):
    """An export job's file, to its owner only (anyone else: 404, as for a job that is not there)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = Job.objects.filter(pk=pk, actor=request.user, task=EXPORT_TASK, phase=Job.Phase.DONE).first()
    name = (job.result or {}).get("file") if job else None
    if not name or not storage().exists(name):
        raise Http404
    response = FileResponse(storage().open(name, "rb"), as_attachment=True, filename=job.result["name"],
                            content_type=CONTENT_TYPES.get(job.result.get("format"), "application/octet-stream"))
    patch_cache_control(response, private=True, no_store=True)
    return response


def job_status(request, pk: int):
    if not request.user.is_authenticated:
        raise PermissionDenied
    return JsonResponse(status(_job_for(request, pk)))


@require_POST
def job_cancel(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, pk)
    try:
        cancel_job(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("Cancelling: no file of this export will be kept.") if job.task == EXPORT_TASK
                      else _("Cancelling: nothing of this import will be written."))
    return redirect("staff-job", pk=job.pk)


@require_POST
def job_confirm(request, pk: int):
    """Import the file a finished preview job checked (its owner only): a new job, whose page comes next."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    preview = Job.objects.filter(pk=pk, actor=request.user).first()  # its owner only, not even an administrator
    if preview is None:
        raise Http404
    try:
        job = confirm_preview_job(actor=request.user, preview=preview)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("staff-job", pk=preview.pk)
    return redirect("staff-job", pk=job.pk)
