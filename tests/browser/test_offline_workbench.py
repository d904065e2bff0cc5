"""Issue 20, item 1: the staff workbench works with no signal (docs/offline.md).

A street worker signs in and opens the offline workbench (the service worker keeps the app shell);
the network is cut (``context.set_offline(True)``); they log upkeep with photos (resized in the
browser) on three of their assets and on a fourth that leaves their scope meanwhile; they close the
page and reopen it (still offline: the service worker serves it, the outbox is in IndexedDB); the
network returns and the outbox is sent: exactly three logs with their photos arrive, the fourth is
refused and stays visible with the server's reason; replaying the outbox adds nothing.

The helpers are shared with the benchmark mode (bench/outbox_replay.py).
"""

import hashlib

import pytest
from django.core.cache import cache
from PIL import Image

from registry.photos import Photo
from registry.staffing import Role
from tests.factories import GardenFactory, GreenPlotFactory, make_staff, make_test_district, square
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Lychee-Bay-2021!"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def photo_file(tmp_path, name="site.jpg", size=(2400, 1800)) -> str:
    path = tmp_path / name
    Image.new("RGB", size, (60, 130, 70)).save(path, format="JPEG", quality=95)
    return str(path)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/staff/offline/", wait_until="domcontentloaded")
    page.get_by_label("Mobile number or user name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/staff/offline/")


def open_workbench(page, base_url=None):
    """(Re)open the offline page and wait until it has shown the outbox (and, online, the worker is active)."""
    if base_url:
        page.goto(f"{base_url}/staff/offline/", wait_until="domcontentloaded")
    page.wait_for_selector("[data-offline-workbench][data-ready]", state="attached")


def log_offline(page, asset, photo, notes=""):
    waiting = int(page.get_attribute("[data-offline-workbench]", "data-waiting"))
    page.get_by_label("Asset", exact=True).select_option(value=str(asset.pk))
    page.get_by_label("Notes").fill(notes)
    page.get_by_label("Photos after the work").set_input_files(photo)
    page.get_by_role("button", name="Save to the outbox").click()
    page.wait_for_selector(f"[data-offline-workbench][data-waiting='{waiting + 1}']", state="attached")


def wait_until_sent(page):
    page.wait_for_selector("[data-offline-workbench][data-waiting='0']", state="attached")


def mark_all_waiting_again(page):
    """Replay: every entry the server accepted goes back into the queue with the same key."""
    page.evaluate("""async () => {
        const outbox = await import("/static/js/offline/outbox.js");
        for (const entry of await outbox.entries()) if (entry.state === "sent") await outbox.update(entry.key, {});
    }""")


@pytest.fixture
def street(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    areas = make_test_district()
    staff = make_staff(Role.STREET_STAFF, username="chen", streets=[areas["W"]])
    staff.set_password(PASSWORD)
    staff.save()
    assets = [GardenFactory(name_en=f"Garden {n}", name_zh=f"花园{n}", geometry=square(113.2352 + n * 0.0004, 23.1222))
              for n in (1, 2, 3)]
    leaving = GreenPlotFactory(name_en="Leaving plot", name_zh="将移出绿地", geometry=square(113.2340, 23.1230))
    return {"assets": assets, "leaving": leaving}


def test_upkeep_logged_offline_arrives_once_with_its_photos_and_a_refusal_stays_with_its_reason(
        open_page, live_server, street, tmp_path):
    recorded = open_page(locale="en-US", **PHONE)
    page, context = recorded.page, recorded.page.context
    sign_in(page, live_server.url, "chen")
    open_workbench(page)
    page.wait_for_selector("[data-offline-workbench][data-worker-ready]", state="attached")
    assert page.locator("[data-asset-list] li").count() == 4

    context.set_offline(True)
    photo = photo_file(tmp_path)
    for n, asset in enumerate(street["assets"], start=1):
        log_offline(page, asset, photo, notes=f"round {n}")
    log_offline(page, street["leaving"], photo)
    # Meanwhile the plot is moved onto the other street: it leaves this worker's scope.
    street["leaving"].geometry = square(113.2480, 23.1260)
    street["leaving"].save()

    page.close()
    page = context.new_page()
    reopened = page.goto(f"{live_server.url}/staff/offline/", wait_until="domcontentloaded")  # still offline
    assert reopened.from_service_worker and page.evaluate("navigator.onLine") is False
    open_workbench(page)
    assert page.locator(".outbox-entry[data-state='waiting']").count() == 4
    assert UpkeepLog.objects.count() == 0

    context.set_offline(False)  # the "online" event sends the outbox
    wait_until_sent(page)
    page.wait_for_selector(".outbox-entry[data-state='refused']")
    logs = list(UpkeepLog.objects.order_by("notes"))
    assert [log.notes for log in logs] == ["round 1", "round 2", "round 3"]
    assert all(log.recorded_at is not None and log.created_at >= log.recorded_at for log in logs)
    photos = list(Photo.objects.filter(upkeep_log__in=logs))
    assert len(photos) == 3 and {photo.upkeep_log_id for photo in photos} == {log.pk for log in logs}
    original = hashlib.sha256(open(photo, "rb").read()).hexdigest()
    assert all(photo.content_hash != original and photo.width <= 1600 for photo in photos)  # resized in the browser
    refused = page.locator(".outbox-entry[data-state='refused']")
    assert refused.count() == 1 and "Leaving plot" in refused.inner_text()
    assert "no longer in your work area" in refused.locator(".outbox-reason").inner_text()
    assert page.locator(".outbox-entry[data-state='sent']").count() == 3

    mark_all_waiting_again(page)
    page.get_by_role("button", name="Send now").click()
    page.wait_for_function("document.querySelectorAll(\".outbox-entry[data-state='sent']\").length === 3")
    assert UpkeepLog.objects.count() == 3 and Photo.objects.count() == 3
    assert page.locator(".outbox-entry[data-state='refused']").count() == 1  # kept to fix or discard
    assert recorded.errors == []
