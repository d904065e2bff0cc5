"""Photo renditions of a large batch as background jobs (issue 20): ``regenerate_renditions`` queues one job
per batch, a real worker (in this process) makes each photo's thumbnail again from its large rendition with
the job's progress; a photo whose file is gone is listed, not fatal; only district administrators may."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from dataio.jobs import RENDITIONS_TASK
from dataio.models import Job
from dataio.operations import start_rendition_jobs
from registry.photos import Photo, renditions, storage
from registry.photos.pipeline import add_photo
from registry.staffing import Role
from tests.dataio.jobs import run_queued_jobs
from tests.factories import GreenPlotFactory, make_district_admin, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg(colour) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photos(settings, tmp_path, district):
    settings.MEDIA_ROOT = tmp_path / "media"
    asset = GreenPlotFactory()
    return [add_photo(asset=asset, upload=jpeg(colour), uploaded_by=None) for colour in ("red", "green", "blue")]


def test_the_command_queues_one_job_per_batch_and_a_worker_remakes_the_thumbnails(photos, monkeypatch, client):
    admin = make_district_admin("photos-admin")
    assert {photo.small_width for photo in photos} == {320}
    monkeypatch.setattr(renditions, "SMALL_SIDE", 200)  # the worker runs in this process
    storage.photo_storage().delete(photos[2].large.name)  # one file lost
    call_command("regenerate_renditions", "--batch", "2", "--user", "photos-admin", stdout=io.StringIO())
    jobs = list(Job.objects.filter(task=RENDITIONS_TASK).order_by("pk"))
    assert [len(job.arguments["photo_ids"]) for job in jobs] == [2, 1]
    run_queued_jobs()
    jobs = [Job.objects.get(pk=job.pk) for job in jobs]
    assert [job.phase for job in jobs] == [Job.Phase.DONE, Job.Phase.DONE]
    assert jobs[0].result == {"photos": 2, "changed": 2, "unreadable": []} and jobs[0].rows_done == 2
    assert jobs[1].result == {"photos": 1, "changed": 0, "unreadable": [photos[2].pk]}
    assert [p.small_width for p in Photo.objects.order_by("pk")] == [200, 200, 320]
    assert all(storage.photo_storage().exists(p.small.name) for p in Photo.objects.order_by("pk")[:2])
    client.force_login(admin)
    page = client.get(reverse("staff-job", args=[jobs[0].pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 photos: 2 thumbnails made again." in page


def test_only_district_administrators_queue_renditions(photos, district):
    street_staff = make_staff(Role.STREET_STAFF, username="west-photos", streets=[district["W"]])
    with pytest.raises(CommandError, match="Only district administrators"):
        call_command("regenerate_renditions", "--user", "west-photos", stdout=io.StringIO())
    with pytest.raises(PermissionDenied):
        start_rendition_jobs(actor=street_staff, photo_ids=[p.pk for p in photos])
    assert not Job.objects.exists()


def test_the_photo_admin_action_queues_a_job_and_shows_its_page(photos, admin_client):
    response = admin_client.post(reverse("admin:registry_photo_changelist"), {
        "action": "regenerate_thumbnails", "_selected_action": [photos[0].pk, photos[1].pk]})
    job = Job.objects.get(task=RENDITIONS_TASK)
    assert response.status_code == 302 and response["Location"] == reverse("staff-job", args=[job.pk])
    assert job.arguments["photo_ids"] == [photos[0].pk, photos[1].pk]
    run_queued_jobs()
    job.refresh_from_db()
    assert job.phase == Job.Phase.DONE and job.result["photos"] == 2
