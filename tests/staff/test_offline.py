"""Issue 20, item 1, the server's half: the service worker and its scope, the worker's own assets for
the phone, and the outbox endpoint with its bad inputs (docs/offline.md). Every refusal says why in the
user's language and writes nothing; a replay of an accepted log answers "accepted" and writes nothing.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from registry.audit import AuditEntry
from registry.photos import Photo
from registry.staffing import Role
from tests.factories import GardenFactory, MuralFactory, make_staff, square
from upkeep.models import UpkeepLog
from upkeep.operations import correction_deadline, may_correct

KEY = "9b2f0c4e6a8d4f1b8c3e5a7d9f1b3c5e"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(district, client):
    staff = make_staff(Role.STREET_STAFF, username="offline-chen", streets=[district["W"]])
    garden = GardenFactory(name_zh="荔枝湾花园", geometry=square(113.2355, 23.1222))
    mural = MuralFactory(name_zh="东街墙绘")  # street E: not this worker's
    client.force_login(staff)
    return {"staff": staff, "garden": garden, "mural": mural, "client": client}


def jpeg(name="after.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (40, 140, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def entry(asset, *, recorded=None, photos=(), **changes):
    """One outbox entry as the phone sends it (multipart)."""
    recorded = recorded or timezone.now() - datetime.timedelta(hours=3)
    return {"author": "", "asset": asset.pk, "action": "watering", "performed_at": recorded.isoformat(),
            "recorded_at": recorded.isoformat(), "notes": "离线时浇水", "lat": "23.1222", "lon": "113.2355",
            "photos": list(photos), **changes}


def send(client, data, key=KEY, language="zh-hans"):
    return client.post(reverse("staff-offline-upkeep"), data, HTTP_IDEMPOTENCY_KEY=key,
                       HTTP_ACCEPT_LANGUAGE=language)


def test_the_service_worker_is_served_for_the_staff_scope_with_the_shell_to_keep(client):
    response = client.get(reverse("staff-service-worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/staff/" and response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert 'from "/static/js/offline/outbox.js"' in script and 'from "./' not in script
    assert '"/staff/offline/"' in script and '"/static/js/offline/workbench.js"' in script


def test_the_offline_page_and_the_workers_own_assets(world):
    client, garden = world["client"], world["garden"]
    UpkeepLog.objects.create(asset=garden, action="pruning", staff=world["staff"],
                             performed_at=timezone.now() - datetime.timedelta(days=2))
    page = client.get(reverse("staff-offline"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'type="module"' in page and 'id="offline-texts"' in page and "发件箱" in page
    data = client.get(reverse("staff-offline-assets"), HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [asset["id"] for asset in data["assets"]] == [garden.pk]  # not the other street's mural
    listed = data["assets"][0]
    assert listed["name"] == "荔枝湾花园" and listed["kind"] == "garden"
    assert listed["lat"] == pytest.approx(garden.location.y) and listed["last_action"] == "修剪"
    assert listed["last_upkeep"] is not None


def test_an_offline_log_keeps_both_times_its_photo_and_is_logged_once(world, media_root):
    client, garden = world["client"], world["garden"]
    recorded = timezone.now() - datetime.timedelta(hours=20)
    first = send(client, entry(garden, recorded=recorded, photos=[jpeg()]))
    assert first.status_code == 201 and first.json()["state"] == "accepted"
    log = UpkeepLog.objects.get()
    assert log.recorded_at == recorded and log.performed_at == recorded
    assert log.created_at > recorded + datetime.timedelta(hours=19)  # received now
    assert log.position is not None and Photo.objects.filter(upkeep_log=log).count() == 1
    # The 24 hours count from when the phone recorded the work: 4 hours left, not 24.
    assert correction_deadline(log) == recorded + datetime.timedelta(hours=24)
    assert may_correct(world["staff"], log, now=recorded + datetime.timedelta(hours=23))
    assert not may_correct(world["staff"], log, now=recorded + datetime.timedelta(hours=25))
    files, audits = len(stored_files(media_root)), AuditEntry.objects.count()
    replay = send(client, entry(garden, recorded=recorded, photos=[jpeg()]))
    assert replay.status_code == 200 and replay.json() == {"state": "accepted", "id": log.pk, "replay": True}
    assert UpkeepLog.objects.count() == 1 and Photo.objects.count() == 1
    assert (len(stored_files(media_root)), AuditEntry.objects.count()) == (files, audits)
    garden.geometry = square(113.2480, 23.1260)  # it leaves the worker's scope afterwards: still "accepted"
    garden.save()
    assert send(client, entry(garden, recorded=recorded)).json()["state"] == "accepted"
    assert UpkeepLog.objects.count() == 1


@pytest.mark.parametrize("language, words", [("zh-hans", "已从登记册中删除"), ("en", "was deleted")])
def test_a_log_for_an_asset_deleted_while_offline_is_refused_with_the_reason(world, language, words):
    data = entry(world["garden"])
    world["garden"].delete()
    response = send(world["client"], data, language=language)
    assert response.status_code == 410
    assert response.json()["state"] == "refused" and response.json()["code"] == "asset_deleted"
    assert words in response.json()["reason"]
    assert UpkeepLog.objects.count() == 0


def test_a_log_for_an_asset_that_left_the_workers_scope_is_refused(world):
    garden = world["garden"]
    garden.geometry = square(113.2480, 23.1260)  # moved onto street E while the phone was offline
    garden.save()
    response = send(world["client"], entry(garden, photos=[jpeg()]))
    assert response.status_code == 403 and response.json()["code"] == "asset_out_of_scope"
    assert "不在您的工作范围" in response.json()["reason"]
    assert UpkeepLog.objects.count() == 0 and Photo.objects.count() == 0


def test_a_corrupt_photo_is_refused_and_leaves_no_log_and_no_file(world, media_root):
    broken = jpeg().read()[:200]
    response = send(world["client"], entry(world["garden"], photos=[
        jpeg(), SimpleUploadedFile("broken.jpg", broken, content_type="image/jpeg")]), language="en")
    assert response.status_code == 422 and response.json()["state"] == "refused"
    assert "damaged" in response.json()["reason"]
    assert UpkeepLog.objects.count() == 0 and Photo.objects.count() == 0 and stored_files(media_root) == []
    assert AuditEntry.objects.filter(action="upkeep.log").count() == 0


@pytest.mark.parametrize("shift, words", [
    (datetime.timedelta(hours=2), "未来"),
    (-datetime.timedelta(days=8), "7 天前"),
])
def test_a_done_time_in_the_future_or_too_old_is_refused(world, shift, words):
    when = timezone.now() + shift
    response = send(world["client"], entry(world["garden"], recorded=when))
    assert response.status_code == 422 and words in response.json()["reason"]
    assert UpkeepLog.objects.count() == 0


def test_a_log_made_by_another_account_on_the_same_phone_is_refused(world):
    response = send(world["client"], entry(world["garden"], author=str(world["staff"].pk + 1000)))
    assert response.status_code == 403 and response.json()["code"] == "author"
    assert UpkeepLog.objects.count() == 0


def test_an_entry_without_a_key_or_a_time_is_refused(world):
    no_key = send(world["client"], entry(world["garden"]), key="")
    assert no_key.status_code == 400 and no_key.json()["code"] == "key"
    no_time = send(world["client"], entry(world["garden"], recorded_at="gestern"))
    assert no_time.status_code == 422 and no_time.json()["code"] == "time"
    assert UpkeepLog.objects.count() == 0
