"""State changes of the data I/O app: importing assets from a GIS file.

:func:`import_assets` is the one way a file becomes assets, called alike by
``manage.py import_assets`` and the staff import page: it checks permission, reads the file
through GDAL (:mod:`dataio.importing.sources`), stages every row in a temporary table and checks
them there (:mod:`dataio.importing.plan`), and then writes all of it or nothing from that table
(:mod:`dataio.importing.write`), in one transaction with one audit entry.
"""

import gc
import json
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app as procrastinate

from dataio.exporting.files import delete_file, download_name, expired
from dataio.importing.columns import mapping_geometry_columns, resolve_columns
from dataio.importing.plan import Planner
from dataio.importing.report import PREVIEW_ROWS, ImportRefused, ImportReport
from dataio.importing.sources import Source, SourceError
from dataio.importing.staging import Staging
from dataio.importing.write import Writer
from dataio.jobs import EXPORT_TASK, IMPORT_TASK, LEDGER_TASK, RENDITIONS_TASK, cancelled_message, finish
from dataio.models import ImportRun, Job
from registry import audit, history
from registry.access import Action, owner_or_district_admin, role_allows, scope_of
from registry.assets import Asset


def import_assets(*, actor, path, kind: str, layer: str | None = None, srid=None, gcj02: bool = False,
                  mapping: dict | None = None, dry_run: bool = False, filename: str | None = None,
                  progress=None, max_rows: int | None = None, checkpoint=None) -> ImportReport:
    """Import the assets of one kind from the GIS file at ``path``; return the report.

    District administrators import anywhere, street-office staff only within their streets (rows
    elsewhere are problems). Rows whose external id matches an asset of the kind update it.
    Raises PermissionDenied, ValidationError for the file as a whole (format, CRS, mapping) and
    :class:`ImportRefused` (with the report) when any row is wrong; in every case nothing is written.
    ``dry_run`` checks everything and returns the report without writing. ``progress`` wraps
    iterables for a progress bar (tqdm on the terminal, the job's row in a worker), called as
    ``progress(iterable, total=, desc=, unit=, phase=)`` with phase ``reading`` or ``checking``.
    ``checkpoint(phase)`` is called with ``"writing"`` before the write and ``"commit"`` inside its
    transaction just before it commits: raising there (a cancelled job) writes nothing. ``max_rows`` refuses larger files (a
    ValidationError, before any row is checked): the web page's limit, see dataio/web/importing.py.
    """
    if not role_allows(actor, Action.IMPORT_ASSETS):
        raise PermissionDenied(_("Only district administrators and street-office staff may import assets."))
    with collector_paused(), history.operation("assets.import", actor=actor):
        return _import(actor=actor, path=path, model=kind_model(kind), layer=layer, srid=srid, gcj02=gcj02,
                       mapping=mapping or {}, dry_run=dry_run, filename=filename, max_rows=max_rows,
                       progress=progress or (lambda iterable, **_kwargs: iterable),
                       checkpoint=checkpoint or (lambda _phase: None))


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the import: a large file makes hundreds of thousands of
    long-lived objects, and the collector re-scanning them all, again and again, took a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import(*, actor, path, model, layer, srid, gcj02, mapping, dry_run, filename, max_rows,
            progress, checkpoint) -> ImportReport:
    source = Source(path, display_name=filename, layer=layer, srid=srid, gcj02=gcj02,
                    geometry_columns=mapping_geometry_columns(mapping), kind=model.KIND)
    columns = resolve_columns(model, source.columns, mapping, source.geometry_columns)
    _refuse_above(max_rows, source.total)
    clock = Stopwatch()
    raw_rows = list(progress(source.rows(), total=source.total, desc=_("Reading"), unit=_("rows"),
                             phase="reading"))
    if not raw_rows:  # an OpenStreetMap file with nothing of this kind
        raise SourceError(_("The file has no %(kind)s to import.") % {"kind": model._meta.verbose_name_plural},
                          code="empty")
    _refuse_above(max_rows, len(raw_rows))  # formats that cannot count before reading (OpenStreetMap)
    clock.lap("read")
    staging = Staging([model_field for _column, _name, model_field in columns.fields])
    staging.create()
    try:
        plan = Planner(model=model, columns=columns, actor=actor, staging=staging, progress=progress).run(raw_rows)
        clock.lap("check")
        report = ImportReport(
            filename=source.display_name, kind=model.KIND, driver=source.driver,
            layers=[i.name for i in source.layers], srid=source.layers[0].srid, gcj02=gcj02, rows=len(plan.raw_rows),
            to_create=plan.new, to_update=plan.updated, problems=plan.problems, ignored_columns=columns.ignored,
            skipped=source.skipped, preview=preview(plan, columns.column_of("name_zh")), dry_run=dry_run,
            timings=clock.laps)
        if report.problems and not dry_run:
            raise ImportRefused(report)
        if dry_run or report.problems:
            return report
        checkpoint("writing")
        run = _write(actor, model, Writer(model, staging.fields, actor), report, checkpoint)
        clock.lap("write")
    finally:
        staging.drop()
    report.imported, report.run_id = True, run.pk
    return report


def _refuse_above(max_rows: int | None, rows: int | None) -> None:
    if max_rows is not None and rows is not None and rows > max_rows:
        raise SourceError(
            _("The file has %(rows)s rows; this page imports at most %(max)s at a time. Split the file, or ask a "
              "district administrator to run `manage.py import_assets` on the server."),
            code="too_many_rows", params={"rows": f"{rows:,}", "max": f"{max_rows:,}"})


class Stopwatch:
    """Seconds spent in each phase (read, check, write), for the report and the benchmark."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def kind_model(kind: str):
    """The model of an asset kind, or ValidationError naming the kinds there are."""
    model = Asset.kind_models.get(kind)
    if model is None:
        raise ValidationError(_("Unknown kind “%(kind)s”; the kinds are: %(kinds)s."), code="unknown_kind",
                              params={"kind": kind, "kinds": ", ".join(sorted(Asset.kind_models))})
    return model


def _write(actor, model, writer: Writer, report: ImportReport, checkpoint) -> ImportRun:
    """Insert the new assets and update the matched ones from the staging table, all or nothing; one audit
    entry for the import."""
    try:
        with transaction.atomic():
            written = (writer.insert_new(), writer.update_matched())
            if written != (report.to_create, report.to_update):  # the staging table is what was checked
                raise RuntimeError(f"The import wrote {written} assets (new, updated), not the "
                                   f"{(report.to_create, report.to_update)} it checked.")
            run = ImportRun.objects.create(
                actor=actor if getattr(actor, "is_authenticated", False) else None, filename=report.filename[:255],
                kind=model.KIND, layers=", ".join(report.layers)[:255], srid=report.srid, gcj02=report.gcj02,
                created=report.to_create, updated=report.to_update)
            audit.record(actor=actor, action="assets.import", obj=run, changes={
                "file": [None, run.filename], "kind": [None, run.kind], "srid": [None, run.srid],
                "created": [None, run.created], "updated": [None, run.updated]})
            checkpoint("commit")
    except IntegrityError:
        raise ValidationError(_("Assets with these external ids were changed while the file was being checked; "
                                "import it again."), code="import_conflict") from None
    return run


def preview(plan, name_column: str | None) -> list[dict]:
    """The first rows as GeoJSON features (row, name, whether it has a problem) for the page's map."""
    bad = {(p.layer, p.row) for p in plan.problems}
    features = []
    for row in plan.raw_rows[:PREVIEW_ROWS]:
        text = row.geometry.json if row.geometry is not None else None
        if text is None:  # no geometry, or none GeoJSON can carry (infinite coordinates): not drawn
            continue
        features.append({"type": "Feature", "geometry": json.loads(text), "properties": {
            "row": row.number, "layer": row.layer, "name": str(row.cells.get(name_column) or "") if name_column else "",
            "problem": (row.layer, row.number) in bad}})
    return features


# Imports as background jobs (docs/jobs.md) -------------------------------------------------------

def start_import_job(*, actor, path, filename: str, options: dict, language: str, dry_run: bool = False) -> Job:
    """Queue the import (or with ``dry_run`` the check: the preview) of the waiting upload at ``path`` for a
    worker; return its job.

    The job's row and the queue's entry are written in one transaction: a job is either queued and
    visible, or neither. The worker deletes the upload's folder when the job ends, except after a
    preview with no problem: the upload then waits for :func:`confirm_preview_job` (or the hourly sweep)."""
    if not role_allows(actor, Action.IMPORT_ASSETS):
        raise PermissionDenied(_("Only district administrators and street-office staff may import assets."))
    return _queue(actor=actor, task=IMPORT_TASK, filename=filename,
                  audit_action="assets.import.checking" if dry_run else "assets.import.queued",
                  arguments={"path": str(path), "options": options, "language": language, "dry_run": dry_run})


def confirm_preview_job(*, actor, preview: Job) -> Job:
    """Import the file a finished preview job checked with no problem: a new job, on the same upload."""
    arguments = preview.arguments or {}
    if preview.actor_id != getattr(actor, "pk", None) or preview.task != IMPORT_TASK or not arguments.get("dry_run"):
        raise PermissionDenied(_("Only the person who checked this file may import it."))
    report = (preview.result or {}).get("report") or {}
    if preview.phase != Job.Phase.DONE or report.get("problems") or arguments.get("confirmed_by") \
            or not Path(arguments["path"]).is_file():
        raise ValidationError(_("This upload is no longer waiting (it was imported, cancelled or is over an hour "
                                "old): upload the file again."), code="not_waiting")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=preview.pk)
        if locked.arguments.get("confirmed_by"):
            raise ValidationError(_("This upload is no longer waiting (it was imported, cancelled or is over an "
                                    "hour old): upload the file again."), code="not_waiting")
        job = start_import_job(actor=actor, path=arguments["path"], filename=preview.filename,
                               options=arguments["options"], language=arguments.get("language") or "")
        locked.arguments = {**locked.arguments, "confirmed_by": job.pk}
        locked.save(update_fields=["arguments"])
    return job


def start_ledger_job(*, actor, ledger: str, path, filename: str, dry_run: bool, options: dict | None = None,
                     language: str) -> Job:
    """Queue the check (``dry_run``) or import of a ledger (``projects``, ``resolutions``, ``retrofits``,
    :data:`dataio.tasks.LEDGERS`) waiting at ``path``; the worker deletes the upload when the job ends.
    The ledger's own import checks who may import it, in the worker, as the command does."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to import a ledger."))
    return _queue(actor=actor, task=LEDGER_TASK, filename=filename, audit_action="ledger.import.queued",
                  arguments={"ledger": ledger, "path": str(path), "dry_run": dry_run, "options": options or {},
                             "language": language})


def start_export_job(*, actor, filters: dict, fmt: str, public: bool, language: str) -> Job:
    """Queue the export of a large selection of the map (``filters``: name → values, as the download's
    query) in ``fmt``; the file is kept for the job's owner (dataio.exporting.files)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to export a large selection."))
    return _queue(actor=actor, task=EXPORT_TASK, filename=download_name(fmt), audit_action="assets.export.queued",
                  arguments={"filters": filters, "format": fmt, "public": public, "language": language})


#: Photos one rendition job remakes (one task per batch, so N workers share a large run).
RENDITION_BATCH = 500


def start_rendition_jobs(*, actor, photo_ids: list[int], batch: int = RENDITION_BATCH, language: str = "") -> list[Job]:
    """Queue the thumbnails of ``photo_ids`` to be made again, one job per ``batch`` photos (district
    administrators only: it touches every street's photos); return the jobs."""
    if not getattr(actor, "is_authenticated", False) or not scope_of(actor).everywhere:
        raise PermissionDenied(_("Only district administrators may regenerate photo renditions."))
    ids = sorted(set(photo_ids))
    with transaction.atomic():
        return [_queue(actor=actor, task=RENDITIONS_TASK, audit_action="photos.renditions.queued",
                       filename=_("%(count)d photos from #%(first)d") % {"count": len(part), "first": part[0]},
                       arguments={"photo_ids": part, "language": language})
                for part in (ids[start:start + batch] for start in range(0, len(ids), max(1, batch)))]


def _queue(*, actor, task: str, filename: str, audit_action: str, arguments: dict) -> Job:
    with transaction.atomic():
        job = Job.objects.create(actor=actor, task=task, filename=filename[:255], arguments=arguments)
        job.queue_job_id = procrastinate.configure_task(task).defer(job_id=job.pk)
        job.save(update_fields=["queue_job_id"])
        audit.record(actor=actor, action=audit_action, obj=job, changes={"file": [None, job.filename]})
    return job


def cancel_job(*, actor, job: Job) -> Job:
    """Ask the job to stop: a job still waiting never starts; a running one stops at its next row (or
    before its commit) and writes nothing. Only its owner and district administrators may."""
    if not owner_or_district_admin(actor, job.actor_id):
        raise PermissionDenied(_("Only the person who started this job, or a district administrator, may cancel it."))
    if job.finished:
        raise ValidationError(_("This job has already finished; there is nothing to cancel."), code="finished")
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        audit.record(actor=actor, action="jobs.cancel", obj=job)
    job.refresh_from_db()
    if job.queue_job_id and procrastinate.job_manager.cancel_job_by_id(job.queue_job_id):  # still waiting
        finish(job, Job.Phase.CANCELLED, messages=[cancelled_message(job.task)])
    return job


def delete_expired_exports(now=None) -> int:
    """Delete the files of export jobs older than ``DATAIO_EXPORT_KEEP_DAYS``; the jobs stay, marked expired.
    Returns how many files went. Idempotent (the periodic task and ``manage.py cleanup_exports``)."""
    deleted = 0
    for job in expired(Job.objects.filter(task=EXPORT_TASK), now):
        delete_file(job.result["file"])
        Job.objects.filter(pk=job.pk).update(result={**job.result, "file": None, "expired": True})
        deleted += 1
    return deleted
