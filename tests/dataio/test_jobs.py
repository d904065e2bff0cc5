"""Imports as background jobs (issue 20): a real worker runs them, the job's page shows their progress,
they can be cancelled with nothing written, and a worker killed mid-way loses nothing.

The data is committed (``transaction=True``): the worker reads it over its own connection.
"""

import signal

import pytest
from django.db import connection
from django.urls import reverse
from procrastinate.exceptions import AlreadyEnqueued

from dataio.models import Job
from dataio.operations import cancel_job, start_import_job
from dataio.tasks import recover_stalled_jobs
from registry.assets import Asset
from tests.dataio.jobs import job_state, start_worker, stop_worker, wait_for, write_points
from registry.staffing import Role
from tests.factories import make_district_admin, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

OPTIONS = {"kind": "painted_box", "layer": None, "srid": None, "gcj02": False, "mapping": {}}
#: Rows enough for the reading and checking phases to last a few seconds, to cancel or kill in between.
LARGE = 8_000


@pytest.fixture
def admin(district):
    return make_district_admin()


def queue(admin, path) -> Job:
    return start_import_job(actor=admin, path=path, filename=path.name, options=OPTIONS, language="en")


def test_a_worker_runs_imports_shows_progress_cancels_with_nothing_written(admin, client, tmp_path):
    big = queue(admin, write_points(tmp_path / "big" / "big.geojson", LARGE))
    small = queue(admin, write_points(tmp_path / "small" / "small.geojson", 3, prefix="S"))
    client.force_login(admin)
    assert client.get(reverse("staff-job", args=[big.pk]), HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    worker = start_worker(tmp_path / "worker.log")
    try:
        running = wait_for(lambda: job_state(big).rows_done > 0 and big, "the big import's first rows")
        status = client.get(reverse("staff-job-status", args=[big.pk])).json()
        assert status["phase"] in ("reading", "checking") and status["rows_total"] == LARGE
        assert 0 < status["rows_done"] <= LARGE and status["percent"] is not None and not status["finished"]

        page = client.post(reverse("staff-job-cancel", args=[running.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert page.status_code == 200

        wait_for(lambda: job_state(big).finished, "the cancelled import to stop")
        assert big.phase == Job.Phase.CANCELLED and not Asset.objects.filter(external_id__startswith="P").exists()
        assert not (tmp_path / "big").exists()  # the upload is deleted with the job

        wait_for(lambda: job_state(small).finished, "the small import")
        assert small.phase == Job.Phase.DONE and small.result["report"]["to_create"] == 3
        assert Asset.objects.filter(external_id__startswith="S").count() == 3
        page = client.get(reverse("staff-job", args=[small.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Imported: 3 new and 0 updated assets." in page
        cancelled = client.get(reverse("staff-job", args=[big.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "The import was cancelled; nothing was written." in cancelled
    finally:
        stop_worker(worker)


def test_a_worker_killed_mid_import_writes_nothing_and_the_job_runs_again(admin, tmp_path):
    job = queue(admin, write_points(tmp_path / "big" / "big.geojson", LARGE))
    first = start_worker(tmp_path / "first.log")
    try:
        wait_for(lambda: job_state(job).rows_done > 0, "the import to start")
    finally:
        stop_worker(first, signal.SIGKILL)
    assert not Asset.objects.exists() and not job_state(job).finished

    def heartbeat_stale():  # the killed worker's last heartbeat older than JOBS_STALLED_SECONDS (2 s)
        with connection.cursor() as cursor:
            cursor.execute("SELECT bool_and(last_heartbeat < now() - interval '2 seconds') FROM procrastinate_workers")
            return cursor.fetchone()[0]
    wait_for(heartbeat_stale, "the killed worker's heartbeat to go stale")
    try:
        recover_stalled_jobs.defer(timestamp=0)
    except AlreadyEnqueued:  # the killed worker's periodic deferrer had queued one: the second worker runs it
        pass
    second = start_worker(tmp_path / "second.log")
    try:
        wait_for(lambda: job_state(job).finished, "the import to run again")
    finally:
        stop_worker(second)
    assert job.phase == Job.Phase.DONE and job.attempts == 2
    assert Asset.objects.count() == LARGE


def test_only_the_owner_and_district_admins_see_or_cancel_a_job(admin, client, district, tmp_path):
    job = queue(admin, write_points(tmp_path / "one" / "one.geojson", 1))
    other = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(other)
    assert client.get(reverse("staff-job", args=[job.pk])).status_code == 404
    assert client.post(reverse("staff-job-cancel", args=[job.pk])).status_code == 404
    cancel_job(actor=admin, job=job)  # still waiting: it never starts
    assert job_state(job).phase == Job.Phase.CANCELLED and not (tmp_path / "one").exists()
