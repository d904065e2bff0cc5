"""Back up the database and the media files together, and restore them with proof.

One tar archive holds three things:

* ``database.dump`` — ``pg_dump --format=custom`` of the whole database;
* ``media/<name>`` — every file in Django's default storage (the photos' renditions);
* ``manifest.json`` — row counts of the registry's tables, the sha256 of the dump and of every
  media file, and the server version.

The counts are taken in the very snapshot pg_dump dumps (a REPEATABLE READ transaction exports
its snapshot, ``pg_dump --snapshot`` uses it), so they match the dump even while people keep
logging upkeep. Restoring checks every checksum *before* it touches anything, creates the
target database if needed (a non-empty one is refused unless ``force``), creates PostGIS,
restores in one transaction, writes the media files, then counts the rows and hashes the files
again and reports. A corrupted or truncated archive is refused and nothing is changed.

PostgreSQL's client tools must be of the server's major version; Debian keeps each version's
tools in /usr/lib/postgresql/<major>/bin, which is looked at first.
"""

import datetime
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections, transaction

from ops import pgtools
from ops.pgtools import BackupError, count_rows
from registry.photos.storage import stored_files

MANIFEST, DUMP, MEDIA = "manifest.json", "database.dump", "media"
FORMAT = 1
#: Apps whose tables are counted in the manifest: the registry's own data and its accounts.
COUNTED_APPS = ("auth", "registry", "gardens", "heritage", "retrofits", "upkeep", "adopters", "problems", "dataio")
CHUNK = 1024 * 1024

__all__ = ["BackupError", "backup", "restore", "counted_tables", "count_rows"]


def sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def counted_tables() -> list[str]:
    """The tables whose row counts the manifest records (concrete, managed models; each once)."""
    tables = {model._meta.db_table for model in apps.get_models()
              if model._meta.app_label in COUNTED_APPS and model._meta.managed and not model._meta.proxy}
    return sorted(tables)


# --- backup ---------------------------------------------------------------------------------------

def backup(output_dir, *, alias: str = "default") -> Path:
    """Write ``registry-backup-<UTC time>.tar`` into ``output_dir`` and return its path."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output_dir / f"registry-backup-{stamp}.tar"
    db = pgtools.Database.from_django(connections[alias].settings_dict)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        counts, server_version, referenced = _dump_in_one_snapshot(alias, db, dump)
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            media = _add_media(archive)
            with dump.open("rb") as handle:
                dump_sha = sha256_of(handle)
            archive.add(dump, arcname=DUMP)
            manifest = {
                "format": FORMAT, "created_at": stamp, "server_version": server_version,
                "database": {"file": DUMP, "sha256": dump_sha, "counts": counts},
                "media": media,
                # Files the dumped photo rows name but the storage did not have: lost before the backup.
                "missing_media": sorted(referenced - media.keys()),
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        partial.replace(target)  # whole or not at all
    return target


def _dump_in_one_snapshot(alias, db, dump_path) -> tuple[dict[str, int], str, set[str]]:
    """Count the rows and pg_dump them from one exported snapshot, so both agree.

    Also returns the media files the dumped photo rows refer to, to check they are all archived.
    """
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A backup needs its own transaction; call it outside transaction.atomic().")
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
        snapshot, version_num = cursor.fetchone()
        counts = count_rows(cursor, counted_tables())
        cursor.execute("SELECT large, small FROM registry_photo")
        referenced = {name for row in cursor.fetchall() for name in row if name}
        pgtools.run(db, "pg_dump", version_num // 10000,
                    ["--format=custom", f"--snapshot={snapshot}", f"--file={dump_path}"])
    return counts, str(version_num), referenced


def _add_media(archive: tarfile.TarFile) -> dict[str, str]:
    checksums = {}
    for name in sorted(stored_files("", default_storage)):  # every media file, not only photos
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
        checksums[name] = hashlib.sha256(data).hexdigest()
        _add_bytes(archive, f"{MEDIA}/{name}", data)
    return checksums


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore --------------------------------------------------------------------------------------

def restore(archive_path, *, database_url: str | None = None, media_root=None, force: bool = False) -> dict:
    """Restore ``archive_path`` into ``database_url`` and ``media_root``; return the verified report.

    Defaults are this site's own DATABASE_URL and MEDIA_ROOT. Raises BackupError, having changed
    nothing, when the archive is unreadable or a checksum differs, or when the target database
    or media folder is not empty and ``force`` is off.
    """
    db = (pgtools.Database.from_url(database_url) if database_url
          else pgtools.Database.from_django(settings.DATABASES["default"]))
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="registry-restore-") as work:
        work = Path(work)
        manifest = _extract_and_verify(Path(archive_path), work)
        _check_targets_are_empty(db, media_root, force)
        created = not db.exists()
        db.create_if_missing()
        try:
            if force:
                db.empty()
            db.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            pgtools.run(db, "pg_restore", db.server_major(),
                        ["--single-transaction", "--no-owner", "--no-privileges", f"--dbname={db.name}",
                         str(work / DUMP)])
        except BaseException:
            if created:
                db.drop()  # leave no half-made database behind
            raise
        _copy_media(work / MEDIA, media_root, manifest["media"])
    return _verify_restored(db, media_root, manifest)


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and (name in (MANIFEST, DUMP)
                                                                   or path.parts[0] == MEDIA)


def _extract_and_verify(archive_path: Path, work: Path) -> dict:
    """Unpack into ``work`` and check the manifest against every file; raise BackupError if anything is off."""
    try:
        with tarfile.open(archive_path, "r:") as archive:
            members = archive.getmembers()
            unsafe = [m.name for m in members if not (m.isfile() and _safe_member_name(m.name))]
            if unsafe:
                raise BackupError(f"The archive holds unexpected entries: {', '.join(unsafe[:5])}.")
            archive.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive ({error}).") from error
    try:
        manifest = json.loads((work / MANIFEST).read_text())
        expected_dump = manifest["database"]["sha256"]
        media = manifest["media"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{archive_path} has no valid {MANIFEST} ({error}).") from error
    problems = _checksum_problems(work / DUMP, expected_dump, DUMP)
    for name, expected in media.items():
        problems += _checksum_problems(work / MEDIA / name, expected, f"{MEDIA}/{name}")
    if problems:
        raise BackupError("The archive is damaged; nothing was restored: " + "; ".join(problems[:10]))
    return manifest


def _checksum_problems(path: Path, expected: str, label: str) -> list[str]:
    if not path.is_file():
        return [f"{label} is missing"]
    with path.open("rb") as handle:
        if sha256_of(handle) != expected:
            return [f"{label} does not match its checksum"]
    return []


def _check_targets_are_empty(db, media_root: Path, force: bool) -> None:
    if force:
        return
    tables = db.user_tables() if db.exists() else []
    if tables:
        raise BackupError(f"Database {db.name} is not empty ({len(tables)} tables); "
                          "restore into a fresh database or pass --force to replace its contents.")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Media folder {media_root} is not empty; use a fresh folder or pass --force.")


def _copy_media(source: Path, media_root: Path, names) -> None:
    for name in names:
        destination = media_root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination)


def _verify_restored(db, media_root: Path, manifest: dict) -> dict:
    """Count and hash what was restored; raise BackupError listing every difference."""
    expected_counts = manifest["database"]["counts"]
    counts = db.count_rows(expected_counts)
    problems = [f"{table}: {counts[table]} rows, expected {expected}"
                for table, expected in expected_counts.items() if counts[table] != expected]
    for name, expected in manifest["media"].items():
        problems += _checksum_problems(media_root / name, expected, name)
    if problems:
        raise BackupError("The restored copy differs from the backup: " + "; ".join(problems[:10]))
    return {"database": db.name, "counts": counts, "media_files": len(manifest["media"]),
            "media_root": str(media_root), "created_at": manifest.get("created_at"),
            "missing_media": manifest.get("missing_media", [])}


def missing_media(archive_path) -> list[str]:
    """The photo files the archive's database names but the archive lacks (see the manifest)."""
    with tarfile.open(archive_path) as archive:
        return json.load(archive.extractfile(MANIFEST)).get("missing_media", [])
