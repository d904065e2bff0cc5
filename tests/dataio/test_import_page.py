"""The staff import page /staff/import/: upload, preview with the report, confirm or discard; big uploads refused."""

import json
import os
import re
import time

import pytest
from django.urls import reverse
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload

from dataio.models import Job
from dataio.web.importing import MAX_UPLOAD_BYTES, SESSION_KEY, SizeLimitUploadHandler, sweep_stale_uploads
from gardens.models import PaintedElectricalBox
from registry.assets import Asset
from registry.staffing import Role
from tests.dataio.files import feature, point
from tests.dataio.jobs import run_queued_jobs
from tests.factories import make_district_admin, make_staff

pytestmark = pytest.mark.django_db
URL = "/staff/import/"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.DATAIO_IMPORT_DIR = tmp_path / "imports"
    return settings.DATAIO_IMPORT_DIR


@pytest.fixture
def admin_client(client, district):
    client.force_login(make_district_admin())
    return client


def geojson_upload(features, name="boxes.geojson") -> SimpleUploadedFile:
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, body, content_type="application/geo+json")


GOOD = [feature(point(113.235, 23.122), external_id="B1", name_zh="醒狮电箱"),
        feature(point(113.245, 23.127), external_id="B2", name_zh="龙舟电箱")]


def preview(client, upload, **options):
    return client.post(URL, {"step": "preview", "file": upload, "kind": "painted_box", **options},
                       HTTP_ACCEPT_LANGUAGE="en")


def pending_files(import_dir) -> list:
    return sorted(p.name for p in import_dir.glob("*/*")) if import_dir.exists() else []


def test_only_import_roles_open_the_page(client, district):
    assert client.get(URL).status_code == 302
    client.force_login(make_staff(Role.GRID_WORKER, grids=[district["W1S"]]))
    assert client.get(URL).status_code == 403
    client.force_login(make_staff(Role.STREET_STAFF, streets=[district["W"]]))
    assert client.get(URL).status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker reads the queued job over its own connection
def test_preview_then_confirm_imports_in_a_job_and_removes_the_upload(admin_client, import_dir):
    response = preview(admin_client, geojson_upload(GOOD))
    page = response.content.decode()
    assert response.status_code == 200 and "Import these 2 assets" in page
    assert not Asset.objects.exists() and pending_files(import_dir) == ["boxes.geojson"]
    shown = json.loads(re.search(r'<script id="import-preview" type="application/json">(.*?)</script>', page,
                                 re.S).group(1))
    assert [f["properties"]["name"] for f in shown] == ["醒狮电箱", "龙舟电箱"]
    token = admin_client.session[SESSION_KEY]["token"]

    queued = admin_client.post(URL, {"step": "confirm", "token": token}, HTTP_ACCEPT_LANGUAGE="en")
    job = Job.objects.get()
    assert queued.status_code == 302 and queued.url == reverse("staff-job", args=[job.pk])
    assert SESSION_KEY not in admin_client.session and not PaintedElectricalBox.objects.exists()
    run_queued_jobs()

    done = admin_client.get(queued.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Imported: 2 new and 0 updated assets." in done
    assert PaintedElectricalBox.objects.count() == 2 and pending_files(import_dir) == []
    assert reverse("staff-job", args=[job.pk]) in admin_client.get(URL).content.decode()  # come back: the same job
    again = admin_client.post(URL, {"step": "confirm", "token": token}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "no longer waiting" in again.content.decode()
    assert PaintedElectricalBox.objects.count() == 2


def test_rows_with_problems_are_listed_and_cannot_be_confirmed(admin_client):
    bad = GOOD + [feature(point(113.0, 23.0), name_zh="远处"), feature(None, external_id="B1", name_zh="重复")]
    response = preview(admin_client, geojson_upload(bad))
    page = response.content.decode()
    assert response.status_code == 422 and "3 problems: nothing will be imported" in page
    assert "outside the district" in page and "already appears in row 1" in page
    assert 'value="confirm"' not in page
    token = admin_client.session[SESSION_KEY]["token"]
    admin_client.post(URL, {"step": "confirm", "token": token})
    assert not Asset.objects.exists()


def test_discarding_deletes_the_upload(admin_client, import_dir):
    preview(admin_client, geojson_upload(GOOD))
    admin_client.post(URL, {"step": "cancel", "token": admin_client.session[SESSION_KEY]["token"]})
    assert pending_files(import_dir) == [] and not Asset.objects.exists()


def test_a_bad_file_is_refused_with_its_reason_and_not_kept(admin_client, import_dir):
    response = preview(admin_client, SimpleUploadedFile("boxes.gpkg", b'{"type": "FeatureCollection", "features": []}'))
    assert response.status_code == 400 and "named like GeoPackage but holds GeoJSON data" in response.content.decode()
    assert pending_files(import_dir) == []
    wrong = preview(admin_client, SimpleUploadedFile("boxes.xlsx", b"PK"))
    assert wrong.status_code == 400 and "cannot be imported" in wrong.content.decode()


def test_a_file_with_more_rows_than_the_page_takes_is_refused_and_not_kept(admin_client, import_dir, monkeypatch):
    monkeypatch.setattr("dataio.web.importing.MAX_ROWS", 1)
    response = preview(admin_client, geojson_upload(GOOD))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file has 2 rows; this page imports at most 1 at a time." in page and "manage.py import_assets" in page
    assert pending_files(import_dir) == [] and SESSION_KEY not in admin_client.session
    assert not Asset.objects.exists()


def test_a_200_mb_upload_is_refused_before_it_is_read(admin_client, import_dir):
    response = admin_client.post(URL, {"step": "preview", "file": geojson_upload(GOOD), "kind": "painted_box"},
                                 CONTENT_LENGTH=str(200 * 1024 * 1024), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "The file is larger than 50.0 MB: nothing was imported." in response.content.decode().replace("\xa0", " ")
    assert pending_files(import_dir) == [] and not Asset.objects.exists()


def test_the_upload_handler_stops_reading_past_the_limit(rf):
    request = rf.post(URL)
    handler = SizeLimitUploadHandler(request, limit=10)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"678901", 5)
    assert request.upload_too_large is True
    assert MAX_UPLOAD_BYTES < 200 * 1024 * 1024


def test_abandoned_uploads_are_swept_after_an_hour(admin_client, import_dir):
    preview(admin_client, geojson_upload(GOOD))
    folder = next(import_dir.glob("import-*"))
    sweep_stale_uploads()
    assert folder.exists()
    old = time.time() - 2 * 3600
    os.utime(folder, (old, old))
    sweep_stale_uploads()
    assert not folder.exists()
