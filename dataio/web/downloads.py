"""Downloads of the map's current selection: ``/export.geojson?street=…&kind=…&status=…`` and the other formats.

The filters are the map's own (:mod:`dataio.exporting.selection`), over what the visitor may see;
anyone but staff gets the public columns only. Text formats stream; GeoPackage and Shapefile are
built by ogr2ogr in a temporary file that is unlinked as soon as it is open, so nothing stays on
disk whatever happens to the response. Those two cost the server a process each, hence a rate limit.
A staff member's selection larger than ``DATAIO_EXPORT_JOB_ROWS`` is not written in the request: it
is queued as a background job and the browser goes to the job's page (docs/jobs.md).
"""

import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from dataio.exporting.projects import export_rows as project_export_rows
from dataio.exporting.projects import selection as project_selection
from dataio.exporting.rows import export_rows
from dataio.exporting.selection import is_public_export, map_selection, query_from
from dataio.exporting.writers import CONTENT_TYPES, EXTENSIONS, FORMATS, TEXT_WRITERS, ExportFailed, write_export
from dataio.operations import start_export_job

#: Assets one download may hold, by format. A request must end within gunicorn's 30 s timeout
#: (docs/deployment.md): a sync worker past it is killed mid-download and the user is left with a
#: cut-off file. On the 2-core benchmark machine 100,000 assets stream as GeoJSON or CSV in about
#: 9 s; GeoPackage and Shapefile, written whole by ogr2ogr before the first byte, take about 13 s.
#: More is a job for ``manage.py export_assets``.
MAX_DOWNLOAD = {"geojson": 100_000, "csv": 100_000, "osm": 100_000, "gpkg": 50_000, "shp": 50_000}
#: A staff member's selection above this many assets is exported by a background job (docs/jobs.md):
#: the browser goes to the job's page, which offers the file when it is written. Setting
#: ``DATAIO_EXPORT_JOB_ROWS``, read per request.
DEFAULT_EXPORT_JOB_ROWS = 20_000
DEFAULT_FILE_FORMAT_RATE = "10/m"


def file_format_rate(group, request) -> str:
    """Setting ``DATAIO_FILE_DOWNLOAD_RATE`` (default 10 a minute per address), read per request."""
    return getattr(settings, "DATAIO_FILE_DOWNLOAD_RATE", DEFAULT_FILE_FORMAT_RATE)


def export_job_rows() -> int:
    return getattr(settings, "DATAIO_EXPORT_JOB_ROWS", DEFAULT_EXPORT_JOB_ROWS)


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_safe
def download(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    if fmt not in TEXT_WRITERS and is_ratelimited(request, group="dataio.download.file", key="ip",
                                                  rate=file_format_rate, method=is_ratelimited.ALL, increment=True):
        return _text(_("Too many downloads: please wait a minute."), 429)
    try:
        assets = map_selection(request.user, request.GET)
        count = assets.count()
    except ValidationError as error:
        return _text(" ".join(error.messages), 400)
    public = is_public_export(request.user)
    if not public and count > export_job_rows():  # a GET changes nothing: the page asks to confirm (a POST)
        response = render(request, "dataio/export_job.html", {
            "count": count, "format": fmt, "filters": [(name, value) for name, values in _filters(request.GET).items()
                                                       for value in values]})
        patch_cache_control(response, private=True, no_store=True)
        return response
    if count > MAX_DOWNLOAD[fmt]:
        return _text(_("This selection holds %(count)s assets; narrow it to at most %(max)s for this format, or ask "
                       "a district administrator to run `manage.py export_assets`.")
                     % {"count": f"{count:,}", "max": f"{MAX_DOWNLOAD[fmt]:,}"}, 400)
    columns, rows = export_rows(assets, public=public)
    if fmt in TEXT_WRITERS:
        chunks = TEXT_WRITERS[fmt](columns, rows)
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt])
    else:
        response = _file_response(fmt, columns, rows)
    name = f"liwan-assets-{datetime.date.today():%Y%m%d}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
def queue_export(request, fmt: str):
    """Queue the export of a large selection (the confirm of ``dataio/export_job.html``); go to its job's page."""
    if fmt not in FORMATS:
        raise Http404
    if not request.user.is_authenticated or is_public_export(request.user):
        raise PermissionDenied
    filters = {name: values for name, values in _filters(request.POST).items() if name != "csrfmiddlewaretoken"}
    try:
        map_selection(request.user, query_from(**filters)).exists()  # refuse unknown filter values now
    except ValidationError as error:
        return _text(" ".join(error.messages), 400)
    job = start_export_job(actor=request.user, filters=filters, fmt=fmt, public=False, language=request.LANGUAGE_CODE)
    return redirect("staff-job", pk=job.pk)


def _filters(query) -> dict:
    """The query's filters as name → values (what the job keeps to select the same assets again)."""
    return {name: query.getlist(name) for name in query}


def _file_response(fmt, columns, rows, layer="assets"):
    with tempfile.TemporaryDirectory(prefix="download-") as folder:
        path = Path(folder) / f"export.{EXTENSIONS[fmt]}"
        try:
            write_export(fmt, columns, rows, path, layer=layer)
        except ExportFailed:
            return _text(_("The file could not be written; please try again later."), 503)
        handle = open(path, "rb")  # noqa: SIM115 — FileResponse closes it; the folder goes now
    return FileResponse(handle, content_type=CONTENT_TYPES[fmt])


#: The formats of a projects download (``/projects/export.<format>``, the list's filters).
PROJECT_FORMATS = ("geojson", "csv", "gpkg")


@require_safe
def download_projects(request, fmt: str):
    """The renovation projects of the public list's filters (street, kind, phase, q) the visitor may see."""
    if fmt not in PROJECT_FORMATS:
        raise Http404
    if fmt not in TEXT_WRITERS and is_ratelimited(request, group="dataio.download.file", key="ip",
                                                  rate=file_format_rate, method=is_ratelimited.ALL, increment=True):
        return _text(_("Too many downloads: please wait a minute."), 429)
    columns, rows = project_export_rows(project_selection(request.user, request.GET),
                                        public=is_public_export(request.user))
    if fmt in TEXT_WRITERS:
        chunks = TEXT_WRITERS[fmt](columns, rows)
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in chunks), content_type=CONTENT_TYPES[fmt])
    else:
        response = _file_response(fmt, columns, rows, layer="projects")
    response["Content-Disposition"] = f'attachment; filename="liwan-projects-{datetime.date.today():%Y%m%d}.{EXTENSIONS[fmt]}"'
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_store=True)
    return response
