"""The staff import page ``/staff/import/``: upload, preview (first rows on a map, the error report), confirm.

The page is a front for :func:`dataio.operations.import_assets`: the preview is its dry run, the
confirmation its real run (a background job, docs/jobs.md), on the same file. A file larger than
``DATAIO_PREVIEW_JOB_BYTES`` is previewed by a background job too, whose page offers the import. Between the two the file waits in a private
temporary folder (not MEDIA_ROOT, never served), named in the session with a random token;
confirming or cancelling deletes it, and folders older than :data:`PENDING_MAX_AGE` are swept
on every visit, so abandoned uploads do not pile up.

Uploads larger than :data:`MAX_UPLOAD_BYTES` are refused before the body is read (by its
Content-Length) and, should a client not say or lie, by an upload handler that stops reading
at the limit; the view installs it before the body is parsed, hence ``csrf_exempt`` outside and
``csrf_protect`` inside (Django's documented pattern for per-view upload handlers).
"""

import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dataio.importing.retrofit_ledger import RETROFIT_LEDGER, import_retrofit_ledger
from dataio.models import Job
from dataio.jobs import LEDGER_TASK
from dataio.operations import import_assets, start_import_job, start_ledger_job
from dataio.web.forms import ImportForm, ProjectLedgerForm, ResolutionLedgerForm
from registry.access import Action, role_allows
from registry.basemaps import small_map_basemap

MAX_UPLOAD_BYTES = getattr(settings, "DATAIO_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
#: Rows one upload may hold. A request must end within the server's timeout (gunicorn's 30 s in
#: docs/deployment.md): checking and importing 20,000 rows takes about 5 s on a small server, while a
#: 50 MB file can hold 150,000 points and take longer than the timeout, which would kill the import
#: (rolled back, but the user sees only a gateway error). Larger files: ``manage.py import_assets``.
MAX_ROWS = getattr(settings, "DATAIO_WEB_MAX_ROWS", 20_000)
#: Uploads larger than this are checked (the preview) by a background job rather than in the request,
#: and without the MAX_ROWS limit: the job's page shows the progress, then the report and the
#: button to import (docs/jobs.md). Setting ``DATAIO_PREVIEW_JOB_BYTES``, read per request.
DEFAULT_PREVIEW_JOB_BYTES = 2 * 1024 * 1024
PENDING_MAX_AGE = 3600
SESSION_KEY = "dataio_pending_import"


def preview_job_bytes() -> int:
    return getattr(settings, "DATAIO_PREVIEW_JOB_BYTES", DEFAULT_PREVIEW_JOB_BYTES)


def pending_root() -> Path:
    return Path(getattr(settings, "DATAIO_IMPORT_DIR", Path(tempfile.gettempdir()) / "liwan-imports"))


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload once it passes the limit and marks the request, so the page can say why."""

    def __init__(self, request=None, limit: int = MAX_UPLOAD_BYTES):
        super().__init__(request)
        self.limit, self.received = limit, 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large_message() -> str:
    return _("The file is larger than %(limit)s: nothing was imported. Split it, or ask a district administrator "
             "to run `manage.py import_assets` on the server.") % {"limit": filesizeformat(MAX_UPLOAD_BYTES)}


@csrf_exempt
def import_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not role_allows(request.user, Action.IMPORT_ASSETS):
        raise PermissionDenied
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_UPLOAD_BYTES:
            return _render(request, ImportForm(), status=413, errors=[_too_large_message()])
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _protected_page(request)


@csrf_protect
def _protected_page(request):
    sweep_stale_uploads()
    if request.method not in ("GET", "HEAD", "POST"):
        return render(request, "dataio/import.html", status=405)
    if request.method != "POST":
        return _render(request, ImportForm())
    step = request.POST.get("step")
    if getattr(request, "upload_too_large", False):
        return _render(request, ImportForm(), status=413, errors=[_too_large_message()])
    if step == "confirm":
        return _confirm(request)
    if step == "cancel":
        discard_pending(request)
        messages.info(request, _("The upload was discarded; nothing was imported."))
        return redirect("staff-import")
    return _preview(request)


def _render(request, form, *, report=None, status=200, errors=(), pending=None):
    return render(request, "dataio/import.html", {
        "form": form, "report": report, "errors": list(errors), "pending": pending, "basemap": small_map_basemap(),
        "preview": report.preview if report else [], "max_upload": MAX_UPLOAD_BYTES,
        "jobs": Job.objects.filter(actor=request.user).order_by("-created_at")[:5],
    }, status=status)


def _options(data: dict) -> dict:
    return {"kind": data["kind"], "layer": data["layer"] or None, "srid": data["srid"] or None,
            "gcj02": data["gcj02"], "mapping": data["mapping"]}


def _preview(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    discard_pending(request)
    upload = form.cleaned_data["file"]
    pending = store_upload(upload, _options(form.cleaned_data))
    if upload.size > preview_job_bytes() and pending["options"]["kind"] != RETROFIT_LEDGER:
        job = start_import_job(actor=request.user, path=pending["path"], filename=pending["filename"],
                               options=pending["options"], language=request.LANGUAGE_CODE, dry_run=True)
        return redirect("staff-job", pk=job.pk)  # the job owns the upload now
    try:
        report = _run(request, pending, dry_run=True)
    except (ValidationError, PermissionDenied) as error:
        discard_pending(request, pending)
        return _render(request, form, status=400, errors=getattr(error, "messages", [str(error)]))
    request.session[SESSION_KEY] = pending
    return _render(request, ImportForm(initial=form.cleaned_data), report=report, pending=pending,
                   status=200 if report.ok else 422)


def _confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending.get("token", ""), request.POST.get("token", "")) \
            or not Path(pending["path"]).is_file():
        discard_pending(request)
        return _render(request, ImportForm(), status=400,
                       errors=[_("This upload is no longer waiting (it was imported, cancelled or is over an hour "
                                 "old): upload the file again.")])
    options = pending["options"]
    try:
        if options["kind"] == RETROFIT_LEDGER:  # stage dates become stage events (dataio.importing.retrofit_ledger)
            job = start_ledger_job(actor=request.user, ledger="retrofits", path=pending["path"],
                                   filename=pending["filename"], dry_run=False, language=request.LANGUAGE_CODE,
                                   options={"srid": options["srid"], "gcj02": options["gcj02"]})
        else:
            job = start_import_job(actor=request.user, path=pending["path"], filename=pending["filename"],
                                   options=options, language=request.LANGUAGE_CODE)
    except PermissionDenied as error:
        discard_pending(request, pending)
        return _render(request, ImportForm(), status=400, errors=getattr(error, "messages", [str(error)]))
    request.session.pop(SESSION_KEY, None)  # the job owns the upload now, and deletes it when it ends
    return redirect("staff-job", pk=job.pk)


def _run(request, pending: dict, *, dry_run: bool):
    options = pending["options"]
    if options["kind"] == RETROFIT_LEDGER:  # stage dates become stage events (dataio.importing.retrofit_ledger)
        report = import_retrofit_ledger(actor=request.user, path=Path(pending["path"]), srid=options["srid"],
                                        gcj02=options["gcj02"], dry_run=dry_run)
        report.filename = pending["filename"]
        return report
    return import_assets(actor=request.user, path=Path(pending["path"]), filename=pending["filename"],
                         dry_run=dry_run, max_rows=MAX_ROWS, **options)


def store_upload(upload, options: dict) -> dict:
    """Keep ``upload`` in a fresh private folder; return what the session remembers of it."""
    root = pending_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="import-", dir=root))
    original = Path(upload.name)
    # The stored name keeps the user's (sanitised): GeoJSON and CSV layers are named after their file.
    path = folder / ((get_valid_filename(original.stem)[:100] or "upload") + original.suffix.lower())
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return {"token": secrets.token_urlsafe(24), "path": str(path), "filename": Path(upload.name).name[:255],
            "options": json.loads(json.dumps(options)), "at": time.time()}


def discard_pending(request, pending: dict | None = None) -> None:
    """Delete the waiting upload (this one, or the session's) and forget it."""
    pending = pending or request.session.get(SESSION_KEY)
    if pending:
        folder = Path(pending["path"]).parent
        if folder.parent == pending_root():
            shutil.rmtree(folder, ignore_errors=True)
    request.session.pop(SESSION_KEY, None)


def sweep_stale_uploads(now: float | None = None) -> None:
    """Remove waiting uploads older than PENDING_MAX_AGE (abandoned previews), but not those a job still
    waiting or running will read (a long queue): the job deletes its upload when it ends."""
    root = pending_root()
    if not root.is_dir():
        return
    limit = (now or time.time()) - PENDING_MAX_AGE
    in_use = {str(Path(path).parent) for path in Job.objects.exclude(phase__in=Job.FINISHED)
              .filter(arguments__has_key="path").values_list("arguments__path", flat=True) if path}
    for folder in [*root.glob("import-*"), *root.glob("ledger-*")]:
        if folder.is_dir() and folder.stat().st_mtime < limit and str(folder) not in in_use:
            shutil.rmtree(folder, ignore_errors=True)


# The project ledger: /staff/import/projects/ -----------------------------------------------------

@csrf_protect
def project_import_page(request):
    """Upload the project ledger; check it (the default) or import it, all or nothing, with the report."""
    return _ledger_page(request, action=Action.CHANGE_PROJECT, form_class=ProjectLedgerForm, ledger="projects",
                        title=_("Import the project ledger"), new_label=_("New projects"))


@csrf_protect
def resolution_import_page(request):
    """Upload the resolution ledger of consultation; check it (the default) or import it, all or nothing."""
    return _ledger_page(request, action=Action.IMPORT_ASSETS, form_class=ResolutionLedgerForm, ledger="resolutions",
                        title=_("Import the resolution ledger"), new_label=_("New resolutions"))


def _ledger_page(request, *, action, form_class, ledger, title, new_label):
    """A ledger's import page: the upload waits in a private temporary folder while a background job
    checks it or imports it (all or nothing, with the row report on the job's page, docs/jobs.md);
    the job deletes it when it ends."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not role_allows(request.user, action):
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.cleaned_data["file"].size > MAX_UPLOAD_BYTES:
            errors, status = [_too_large_message()], 413
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            folder = Path(tempfile.mkdtemp(prefix="ledger-", dir=_private_root()))
            path = folder / (get_valid_filename(Path(upload.name).name)[:100] or "ledger.csv")
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            job = start_ledger_job(actor=request.user, ledger=ledger, path=path, filename=Path(upload.name).name,
                                   dry_run=form.cleaned_data["check_only"], language=request.LANGUAGE_CODE)
            return redirect("staff-job", pk=job.pk)
    return render(request, "dataio/import_ledger.html", {
        "form": form, "errors": errors, "title": title, "new_label": new_label,
        "jobs": Job.objects.filter(actor=request.user, task=LEDGER_TASK, arguments__ledger=ledger)[:5]},
        status=status)


def _private_root() -> Path:
    root = pending_root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root
