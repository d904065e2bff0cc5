"""Large exports as background jobs (issue 20): a staff member's selection above DATAIO_EXPORT_JOB_ROWS is
confirmed, queued, written by a real procrastinate worker (in this process) into the storage, and sent from
the job's page to its owner only; a cancelled one keeps no file; old files are deleted by the cleanup.

The data is committed (``transaction=True``): the worker reads it over its own connection.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from dataio.jobs import EXPORT_TASK
from dataio.models import Job
from dataio.operations import cancel_job, start_export_job
from dataio.tasks import recover_stalled_jobs, run_job
from registry.staffing import Role
from tests.dataio.jobs import job_state, run_queued_jobs
from tests.dataio.test_export import make_every_kind
from tests.factories import make_district_admin, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATAIO_EXPORT_JOB_ROWS = 3
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(district):
    make_every_kind()
    return make_district_admin()


def stored_files(media) -> list:
    return sorted(p for p in (media / "exports").rglob("*") if p.is_file()) if (media / "exports").exists() else []


def test_a_large_selection_is_confirmed_queued_written_and_sent_to_its_owner_only(client, admin, media, district):
    client.force_login(admin)
    confirm = client.get("/export.geojson?kind=mural,painted_box,green_plot", HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200 and "too many to write while you wait" in confirm.content.decode()
    assert not Job.objects.exists()  # a GET changes nothing

    response = client.post("/export.geojson/job/", {"kind": ["mural", "painted_box", "green_plot"]})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("staff-job", args=[job.pk])
    assert job.task == EXPORT_TASK and job.phase == Job.Phase.QUEUED
    run_queued_jobs()
    job = job_state(job)
    assert job.phase == Job.Phase.DONE and job.rows_done == job.rows_total == job.result["rows"] == 4
    page = client.get(reverse("staff-job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The file holds 4 assets." in page and reverse("staff-job-file", args=[job.pk]) in page

    download = client.get(reverse("staff-job-file", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/geo+json"
    assert download["Content-Disposition"].startswith('attachment; filename="liwan-assets-')
    found = json.loads(b"".join(download.streaming_content))["features"]
    assert sorted(f["properties"]["kind"] for f in found) == ["green_plot", "mural", "mural", "painted_box"]
    assert "external_id" in found[0]["properties"]  # staff columns
    assert len(stored_files(media)) == 1

    other = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(other)
    assert client.get(reverse("staff-job", args=[job.pk])).status_code == 404
    assert client.get(reverse("staff-job-file", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("staff-job-file", args=[job.pk])).status_code == 302  # to the sign-in page


def test_small_selections_and_the_public_stay_immediate(client, admin, media):
    client.force_login(admin)
    response = client.get("/export.geojson?kind=mural")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    client.logout()
    assert client.get("/export.geojson").status_code == 200  # the public: no job, the download's own cap
    assert client.post("/export.geojson/job/", {"kind": "mural"}).status_code == 403
    assert not Job.objects.exists()


def test_bad_filters_are_refused_before_anything_is_queued(client, admin, media):
    client.force_login(admin)
    response = client.post("/export.csv/job/", {"street": "NOWHERE"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Unknown street code: NOWHERE" in response.content.decode()
    assert client.post("/export.xlsx/job/", {}).status_code == 404
    assert not Job.objects.exists()


def test_a_cancelled_export_keeps_no_file(admin, media):
    waiting = start_export_job(actor=admin, filters={}, fmt="csv", public=False, language="en")
    cancel_job(actor=admin, job=waiting)  # still waiting: it never starts
    assert job_state(waiting).phase == Job.Phase.CANCELLED

    running = start_export_job(actor=admin, filters={}, fmt="gpkg", public=False, language="en")
    running = Job.objects.select_related("actor").get(pk=running.pk)
    Job.objects.filter(pk=running.pk).update(cancel_requested=True)  # asked once the worker has the job
    run_job(running)
    app.job_manager.cancel_job_by_id(running.queue_job_id)  # run here: its queue entry goes
    running = job_state(running)
    assert running.phase == Job.Phase.CANCELLED
    assert running.result["messages"] == ["The export was cancelled; no file was kept."]
    assert stored_files(media) == []


def test_export_files_are_deleted_after_the_days_they_are_kept(client, admin, media, settings):
    settings.DATAIO_EXPORT_KEEP_DAYS = 7
    old = start_export_job(actor=admin, filters={}, fmt="csv", public=False, language="en")
    new = start_export_job(actor=admin, filters={}, fmt="csv", public=False, language="en")
    run_queued_jobs()
    assert len(stored_files(media)) == 2
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    call_command("cleanup_exports", stdout=open("/dev/null", "w"))
    assert len(stored_files(media)) == 1 and job_state(old).result["expired"]
    assert job_state(new).result["file"]
    client.force_login(admin)
    assert client.get(reverse("staff-job-file", args=[old.pk])).status_code == 404
    page = client.get(reverse("staff-job", args=[old.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "file has been deleted (files are kept a few days)" in page
    assert client.get(reverse("staff-job-file", args=[new.pk])).status_code == 200


def take_and_lose(job: Job, rows_done: int, attempts: int) -> None:
    """A worker takes ``job`` from the queue, writes some rows into its temporary folder, then dies: its
    heartbeat stops (procrastinate's own SQL functions, as a worker process calls them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT procrastinate_register_worker_v1()")
        worker_id = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM procrastinate_fetch_job_v2(%s::varchar[], %s)", [["imports"], worker_id])
        assert cursor.fetchone()[0] == job.queue_job_id
        cursor.execute("UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour' WHERE id = %s",
                       [worker_id])
    Job.objects.filter(pk=job.pk).update(phase=Job.Phase.WRITING, rows_done=rows_done, rows_total=4,
                                         started_at=timezone.now(), attempts=attempts)


def test_an_export_whose_worker_died_runs_again_or_fails_cleanly_with_no_file(admin, media, settings):
    settings.JOBS_STALLED_SECONDS = 2
    again = start_export_job(actor=admin, filters={}, fmt="csv", public=False, language="en")
    take_and_lose(again, rows_done=2, attempts=1)
    try:
        recover_stalled_jobs.defer(timestamp=0)
    except AlreadyEnqueued:
        pass
    run_queued_jobs("maintenance")
    assert stored_files(media) == []  # the lost worker saved nothing
    run_queued_jobs()
    again = job_state(again)
    assert again.phase == Job.Phase.DONE and again.attempts == 2 and len(stored_files(media)) == 1

    lost = start_export_job(actor=admin, filters={}, fmt="gpkg", public=False, language="en")
    take_and_lose(lost, rows_done=1, attempts=settings.JOBS_MAX_ATTEMPTS)
    try:
        recover_stalled_jobs.defer(timestamp=1)
    except AlreadyEnqueued:
        pass
    run_queued_jobs("maintenance")
    lost = job_state(lost)
    assert lost.phase == Job.Phase.FAILED
    assert lost.result["messages"] == ["The worker running this export stopped before it finished; no file was kept. "
                                       "Export again."]
    assert len(stored_files(media)) == 1  # only the first export's file
