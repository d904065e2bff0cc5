"""Export files a job wrote (a large selection, docs/jobs.md): written once, kept a few days, sent only to
the job's owner.

A worker writes the file into a private temporary folder (so a cancelled or failed export, or one
whose worker dies, leaves nothing in the storage) and only then saves it into Django's ``default``
storage (MEDIA_ROOT, or the object store) under ``exports/<job>-<random>/``: never linked, never
served by ``/media/``; the job's page sends it after checking the owner (:mod:`dataio.web.jobs`).
Files older than ``DATAIO_EXPORT_KEEP_DAYS`` are deleted by ``dataio.delete_expired_exports`` (daily)
or ``manage.py cleanup_exports``.
"""

import datetime
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from dataio.exporting.rows import export_rows
from dataio.exporting.selection import map_selection
from dataio.exporting.writers import EXTENSIONS, write_export

ROOT = "exports"
DEFAULT_KEEP_DAYS = 7


def storage():
    return storages["default"]


def keep_days() -> int:
    return getattr(settings, "DATAIO_EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)


def download_name(fmt: str, day: datetime.date | None = None) -> str:
    return f"liwan-assets-{(day or timezone.localdate()):%Y%m%d}.{EXTENSIONS[fmt]}"


def query_dict(filters: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in filters.items():
        query.setlist(name, list(values))
    return query


def selection_of(actor, filters: dict) -> QuerySet:
    """The assets of the map's filters (name → values) that ``actor`` sees, as the download would hold."""
    return map_selection(actor, query_dict(filters))


def write_selection(*, job_id: int, actor, filters: dict, fmt: str, public: bool, progress) -> dict:
    """Write the selection to a new file in the storage; return what the job's result keeps of it.

    ``progress(rows, total=, phase="writing")`` counts the rows (and raises to stop: the temporary
    folder goes, nothing is saved)."""
    assets = selection_of(actor, filters)
    total = assets.count()
    columns, rows = export_rows(assets, public=public)
    name = download_name(fmt)
    with tempfile.TemporaryDirectory(prefix="export-job-") as folder:
        path = Path(folder) / name
        write_export(fmt, columns, progress(rows, total=total, phase="writing"), path)
        with open(path, "rb") as handle:
            stored = storage().save(f"{ROOT}/{job_id}-{secrets.token_hex(8)}/{name}", File(handle))
    return {"file": stored, "name": name, "format": fmt, "rows": total}


def delete_file(name: str | None) -> None:
    if name:
        storage().delete(name)


def expired(jobs: QuerySet, now=None) -> QuerySet:
    """The finished export jobs among ``jobs`` whose file is older than the days files are kept."""
    limit = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    return jobs.filter(finished_at__lt=limit, result__has_key="file").exclude(result__file=None)
