"""The import's preview (its dry run) as a background job (issue 20): an upload larger than
DATAIO_PREVIEW_JOB_BYTES is checked by a real worker (in this process); the job's page shows the row
report and offers the import, which is a second job on the same upload; a refused preview keeps nothing.
"""

import json
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dataio.models import Job
from dataio.web.importing import PENDING_MAX_AGE, sweep_stale_uploads
from gardens.models import PaintedElectricalBox
from registry.staffing import Role
from tests.dataio.files import feature, point
from tests.dataio.jobs import job_state, run_queued_jobs
from tests.factories import make_district_admin, make_staff

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/staff/import/"
GOOD = [feature(point(113.235, 23.122), external_id="B1", name_zh="醒狮电箱"),
        feature(point(113.245, 23.127), external_id="B2", name_zh="龙舟电箱")]
OUTSIDE = feature(point(113.300, 23.200), external_id="B3", name_zh="远处电箱")


@pytest.fixture
def import_dir(settings, tmp_path):
    settings.DATAIO_IMPORT_DIR = tmp_path / "imports"
    settings.DATAIO_PREVIEW_JOB_BYTES = 10  # every upload here is "large"
    return settings.DATAIO_IMPORT_DIR


@pytest.fixture
def admin(district):
    return make_district_admin()


def upload(features) -> SimpleUploadedFile:
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    return SimpleUploadedFile("boxes.geojson", body, content_type="application/geo+json")


def preview_job(client, features) -> Job:
    response = client.post(URL, {"step": "preview", "file": upload(features), "kind": "painted_box"})
    job = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == reverse("staff-job", args=[job.pk])
    assert job.arguments["dry_run"]
    run_queued_jobs()
    return job_state(job)


def test_a_large_upload_is_checked_by_a_job_then_imported_by_another(client, admin, import_dir):
    client.force_login(admin)
    checked = preview_job(client, GOOD)
    assert checked.phase == Job.Phase.DONE and checked.result["report"]["to_create"] == 2
    assert not PaintedElectricalBox.objects.exists() and any(import_dir.glob("*/*"))  # the upload waits
    page = client.get(reverse("staff-job", args=[checked.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Checking boxes.geojson" in page and "Import these 2 assets" in page

    response = client.post(reverse("staff-job-confirm", args=[checked.pk]))
    imported = Job.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == reverse("staff-job", args=[imported.pk])
    run_queued_jobs()
    assert job_state(imported).phase == Job.Phase.DONE and PaintedElectricalBox.objects.count() == 2
    assert not any(import_dir.glob("*/*"))  # the import job deleted the upload

    again = client.post(reverse("staff-job-confirm", args=[checked.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "This upload is no longer waiting" in again.content.decode()
    assert Job.objects.count() == 2 and PaintedElectricalBox.objects.count() == 2


def test_a_preview_job_with_problems_reports_them_keeps_nothing_and_offers_no_import(client, admin, import_dir):
    client.force_login(admin)
    refused = preview_job(client, [*GOOD, OUTSIDE])
    assert refused.phase == Job.Phase.REFUSED and len(refused.result["report"]["problems"]) == 1
    assert not any(import_dir.glob("*/*"))
    page = client.get(reverse("staff-job", args=[refused.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 problem: nothing will be imported until it is fixed" in page and "Import these" not in page
    response = client.post(reverse("staff-job-confirm", args=[refused.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "This upload is no longer waiting" in response.content.decode() and not PaintedElectricalBox.objects.exists()


def test_only_the_owner_imports_a_checked_file(client, admin, import_dir, district):
    client.force_login(admin)
    checked = preview_job(client, GOOD)
    client.force_login(make_staff(Role.STREET_STAFF, streets=[district["W"]]))
    assert client.post(reverse("staff-job-confirm", args=[checked.pk])).status_code == 404
    assert Job.objects.count() == 1 and not PaintedElectricalBox.objects.exists()


def test_the_hourly_sweep_keeps_the_upload_of_a_job_still_waiting(client, admin, import_dir):
    client.force_login(admin)
    abandoned = preview_job(client, [feature(point(113.235, 23.122), external_id="A1", name_zh="被遗忘")])
    checked = preview_job(client, GOOD)
    client.post(reverse("staff-job-confirm", args=[checked.pk]))  # queued; no worker runs it yet
    waiting = Job.objects.order_by("-pk").first()
    assert not waiting.finished
    sweep_stale_uploads(now=time.time() + 2 * PENDING_MAX_AGE)
    assert not Path(abandoned.arguments["path"]).exists()  # nobody confirmed it: swept
    assert Path(waiting.arguments["path"]).is_file()  # the waiting import still needs it
    run_queued_jobs()
    assert job_state(waiting).phase == Job.Phase.DONE and PaintedElectricalBox.objects.count() == 2
