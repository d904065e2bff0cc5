"""The same care work sent twice (a double tap, a phone retrying after a timeout) is logged once.

Each form carries a random submission key (the API: an Idempotency-Key header); ``log_upkeep``
answers a second sending with the first log, and the database's unique constraint decides when
both arrive at the same instant, before any photo is stored.
"""

import io
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image
from rest_framework.authtoken.models import Token

from adoption.models import AdoptionStatus
from registry.audit import AuditEntry
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import AdopterFactory, AdoptionFactory, GardenFactory, UserFactory, make_staff, make_test_district
from upkeep.models import UpkeepAction, UpkeepLog
from upkeep.operations import AlreadySubmitted, log_upkeep

KEY = "3f1c2a9e8b7d4c6f9a0b1c2d3e4f5a6b"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(name="after.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 140, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, streets=[district["W"]])


def test_the_second_sending_gets_the_first_log_and_writes_nothing(west_staff, media_root):
    garden = GardenFactory()
    first = log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, photos=[jpeg()],
                       submission_key=KEY)
    files = stored_files(media_root)
    with pytest.raises(AlreadySubmitted) as again:
        log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, photos=[jpeg()], submission_key=KEY)
    assert again.value.log == first
    assert UpkeepLog.objects.count() == 1 and Photo.objects.count() == 1
    assert AuditEntry.objects.filter(action="upkeep.log").count() == 1
    assert stored_files(media_root) == files and files  # no second photo on disk
    # Without a key every sending is new work.
    log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING)
    log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING)
    assert UpkeepLog.objects.count() == 3


def test_a_key_used_for_other_work_or_by_someone_else_is_refused(district, west_staff):
    garden, other = GardenFactory(), GardenFactory()
    log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WATERING, submission_key=KEY)
    colleague = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    for actor, asset in ((west_staff, other), (colleague, garden)):
        with pytest.raises(ValidationError) as refused:
            log_upkeep(actor=actor, asset=asset, action=UpkeepAction.WEEDING, submission_key=KEY)
        assert refused.value.code == "submission_key_used"
    with pytest.raises(ValidationError):
        log_upkeep(actor=west_staff, asset=garden, action=UpkeepAction.WEEDING, submission_key="k" * 65)
    assert UpkeepLog.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_instant_log_once():
    """Both threads pass the look-up for an earlier log before either inserts: the unique constraint decides."""
    district = make_test_district()
    garden = GardenFactory()
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    from upkeep import operations

    look_up = operations._refuse_resubmission
    both_looked = threading.Barrier(2, timeout=30)
    first_pass = {"count": 0}
    lock = threading.Lock()

    def look_then_wait(key, actor, asset):
        look_up(key, actor, asset)
        with lock:
            first_pass["count"] += 1
            waiting = first_pass["count"] <= 2  # the checks before the insert, not the one after a conflict
        if waiting:
            both_looked.wait()

    operations._refuse_resubmission = look_then_wait
    outcomes, pids = [None, None], [None, None]

    def send(index):
        try:
            pids[index] = connection.cursor().connection.info.backend_pid
            outcomes[index] = log_upkeep(actor=staff, asset=garden, action=UpkeepAction.WATERING,
                                         submission_key=KEY).pk
        except AlreadySubmitted as sent:
            outcomes[index] = ("again", sent.log.pk)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        operations._refuse_resubmission = look_up
    assert pids[0] != pids[1]  # really two database sessions
    logged = UpkeepLog.objects.get()
    assert sorted(outcomes, key=str) == sorted([logged.pk, ("again", logged.pk)], key=str)
    assert AuditEntry.objects.filter(action="upkeep.log").count() == 1


def form_key(page: str) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)


def test_the_staff_form_sent_twice_logs_once_and_says_done_both_times(client, west_staff):
    garden = GardenFactory()
    client.force_login(west_staff)
    url = f"/staff/assets/{garden.pk}/log/"
    page = client.get(url).content.decode()
    key = form_key(page)
    assert form_key(client.get(url).content.decode()) != key  # a new key each time the form is shown
    data = {"action": "watering", "performed_at": "2026-11-20T09:30", "participants": 1, "submission_key": key}
    for _ in range(2):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == f"/staff/assets/{garden.pk}/"
    assert UpkeepLog.objects.filter(asset=garden).count() == 1


def test_the_adopters_care_form_sent_twice_records_once(client, district):
    garden = GardenFactory()
    adopter = AdopterFactory(user=UserFactory())
    AdoptionFactory(adopter=adopter, asset=garden, status=AdoptionStatus.APPROVED)
    client.force_login(adopter.user)
    url = f"/me/assets/{garden.pk}/care/"
    key = form_key(client.get(url).content.decode())
    data = {"day": "2026-11-20", "action": "watering", "hours": "1", "participants": 2, "submission_key": key}
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert UpkeepLog.objects.filter(asset=garden, adopter=adopter).count() == 1


def test_the_api_answers_a_repeated_idempotency_key_with_the_first_log(client, west_staff):
    garden = GardenFactory()
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=west_staff).key}",
               "HTTP_IDEMPOTENCY_KEY": KEY}
    body = {"asset": garden.pk, "action": "watering"}
    first = client.post("/api/v1/upkeep/", body, content_type="application/json", **headers)
    again = client.post("/api/v1/upkeep/", body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and UpkeepLog.objects.count() == 1
    too_long = client.post("/api/v1/upkeep/", body, content_type="application/json",
                           **{**headers, "HTTP_IDEMPOTENCY_KEY": "k" * 65})
    assert too_long.status_code == 400 and UpkeepLog.objects.count() == 1
