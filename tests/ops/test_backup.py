"""Backup and restore round trip against real PostgreSQL: counts and checksums survive, damage is refused.

The data is committed (``transaction=True``) because pg_dump reads it over its own connection.
Each test restores into a scratch database named after this run's test database, dropped after.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from ops import backup as backups
from ops.pgtools import Database
from registry.photos import Photo
from tests.factories import GreenPlotFactory, make_district_admin, make_test_district
from upkeep.models import UpkeepAction, UpkeepLog
from upkeep.operations import log_upkeep

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def files_with_hashes(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scratch():
    """A database that does not exist yet, removed again afterwards; plus its postgis:// URL."""
    settings_dict = connection.settings_dict
    database = Database.from_django({**settings_dict, "NAME": f"{settings_dict['NAME']}_restore"})
    database.drop()
    url = (f"postgis://{database.user}:{database.password}@{database.host or '127.0.0.1'}:"
           f"{database.port or 5432}/{database.name}")
    yield database, url
    database.drop()


@pytest.fixture
def registry_with_photos(media_root):
    """A district, a green plot and two upkeep logs with photos, made through the real pipeline."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_test_district()
    admin = make_district_admin()
    plot = GreenPlotFactory(name_zh="荔枝湾认领绿地")
    for colour in ((200, 30, 30), (30, 30, 200)):
        log_upkeep(actor=admin, asset=plot, action=UpkeepAction.WATERING,
                   photos=[SimpleUploadedFile("p.jpg", jpeg(colour), content_type="image/jpeg")])
    assert Photo.objects.count() == 2 and UpkeepLog.objects.count() == 2
    return plot


def test_round_trip_into_a_fresh_database_keeps_counts_and_checksums(registry_with_photos, media_root,
                                                                     scratch, tmp_path):
    database, url = scratch
    archive = backups.backup(tmp_path / "backups")
    manifest = json.load(tarfile.open(archive).extractfile(backups.MANIFEST))
    assert manifest["database"]["counts"]["registry_photo"] == 2
    assert manifest["database"]["counts"]["registry_upkeeplog"] == 2
    assert manifest["media"] == files_with_hashes(media_root)
    assert len(manifest["media"]) == 4  # large and small of each photo
    assert manifest["missing_media"] == []

    restored_media = tmp_path / "restored-media"
    report = backups.restore(archive, database_url=url, media_root=restored_media)

    source_counts = backups.count_rows(connection.cursor(), backups.counted_tables())
    assert report["counts"] == source_counts == database.count_rows(source_counts)
    assert files_with_hashes(restored_media) == files_with_hashes(media_root)
    # The restored database is a working registry: PostGIS and the geometries came along.
    name, = database.execute("SELECT name_zh FROM registry_asset WHERE ST_IsValid(geometry)")[0]
    assert name == "荔枝湾认领绿地"


def test_the_commands_report_and_refuse_a_non_empty_target(registry_with_photos, scratch, tmp_path):
    database, url = scratch
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b"), stdout=out)
    archive = out.getvalue().strip()
    out = io.StringIO()
    call_command("restore", archive, "--database-url", url, "--media-root", str(tmp_path / "m1"), stdout=out)
    assert "registry_photo: 2 rows" in out.getvalue() and "media: 4 files, checksums match" in out.getvalue()

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", archive, "--database-url", url, "--media-root", str(tmp_path / "m2"))
    assert not (tmp_path / "m2").exists()
    call_command("restore", archive, "--database-url", url, "--media-root", str(tmp_path / "m1"), "--force",
                 stdout=io.StringIO())
    assert database.count_rows(["registry_photo"]) == {"registry_photo": 2}


def rewrite_member(archive: Path, member: str, change) -> None:
    """Copy ``archive`` with ``member``'s bytes passed through ``change`` (a bit flip, say)."""
    with tarfile.open(archive) as source:
        entries = [(info, source.extractfile(info).read()) for info in source.getmembers()]
    with tarfile.open(archive, "w") as target:
        for info, data in entries:
            data = change(data) if info.name == member else data
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


DAMAGES = {
    "dump": (lambda path: rewrite_member(path, backups.DUMP, flip_a_byte),
             "database.dump does not match its checksum"),
    "media file": (lambda path: rewrite_member(path, next(n for n in tarfile.open(path).getnames()
                                                          if n.startswith("media/")), flip_a_byte),
                   "does not match its checksum"),
    "truncated": (lambda path: path.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2]),
                  "not a readable backup archive"),
    "garbage": (lambda path: path.write_bytes(b"not a tar file at all" * 100), "not a readable backup archive"),
    "manifest": (lambda path: rewrite_member(path, backups.MANIFEST, lambda data: b"{"),
                 "has no valid manifest.json"),
}


def test_a_damaged_archive_is_refused_and_nothing_changes(registry_with_photos, scratch, tmp_path, subtests):
    database, url = scratch
    good = backups.backup(tmp_path / "backups")
    for name, (damage, message) in DAMAGES.items():
        with subtests.test(msg=name):
            archive = tmp_path / f"damaged-{name}.tar"
            archive.write_bytes(good.read_bytes())
            damage(archive)
            with pytest.raises(CommandError, match=message):
                call_command("restore", str(archive), "--database-url", url,
                             "--media-root", str(tmp_path / "restored"))
            assert not database.exists()
            assert not (tmp_path / "restored").exists()


def test_an_archive_with_a_path_outside_its_folders_is_refused(registry_with_photos, scratch, tmp_path):
    database, url = scratch
    archive = backups.backup(tmp_path / "backups")
    with tarfile.open(archive, "a") as handle:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        handle.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(backups.BackupError, match="unexpected entries: ../escaped.txt"):
        backups.restore(archive, database_url=url, media_root=tmp_path / "restored")
    assert not (tmp_path / "escaped.txt").exists() and not database.exists()


def test_a_photo_file_already_lost_is_named_in_the_manifest_and_warned_about(registry_with_photos, media_root,
                                                                            tmp_path):
    lost = Photo.objects.first().small.name
    (media_root / lost).unlink()
    out, err = io.StringIO(), io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b"), stdout=out, stderr=err)
    assert backups.missing_media(out.getvalue().strip()) == [lost]
    assert "1 file(s) that photos refer to" in err.getvalue() and lost in err.getvalue()


def test_a_restore_failing_in_pg_restore_leaves_no_database_behind(registry_with_photos, scratch, tmp_path,
                                                                   monkeypatch):
    database, url = scratch
    archive = backups.backup(tmp_path / "backups")

    def failing(db, name, major, arguments):
        raise backups.BackupError(f"{name} failed: simulated")

    monkeypatch.setattr(backups.pgtools, "run", failing)
    with pytest.raises(backups.BackupError, match="pg_restore failed"):
        backups.restore(archive, database_url=url, media_root=tmp_path / "restored")
    assert not database.exists() and not (tmp_path / "restored").exists()
