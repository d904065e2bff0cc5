"""The browser test's benchmark mode (run by bench/outbox_replay.py, not by `make test`): the same flow
as tests/browser/test_offline_workbench.py with BENCH_OUTBOX_LOGS logs (20), one phone photo each.

Signed in, offline, the logs are made (each photo resized in the browser), the page is closed and
reopened offline, then the network returns: the time from ``set_offline(False)`` until the outbox
is empty and every log is in the database is the replay; a second replay of the same entries (same
keys: answered "accepted", nothing written) is its peer. The times go to BENCH_OUTBOX_RESULT (JSON).
"""

import json
import os
import time

import pytest
from django.core.cache import cache
from PIL import Image

from registry.photos import Photo
from registry.staffing import Role
from tests.browser.test_offline_workbench import (
    PASSWORD,
    PHONE,
    log_offline,
    mark_all_waiting_again,
    open_workbench,
    sign_in,
    wait_until_sent,
)
from tests.factories import GardenFactory, make_staff, make_test_district, square
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db(transaction=True)
LOGS = int(os.environ.get("BENCH_OUTBOX_LOGS", "20"))
WAIT_MS = 300_000


def phone_photo(path) -> str:
    """A 4000 × 3000 JPEG with sensor-like noise (compresses like a photo, not like a flat card)."""
    noise = Image.effect_noise((4000, 3000), 48).convert("RGB")
    Image.blend(Image.new("RGB", (4000, 3000), (70, 130, 80)), noise, 0.35).save(path, format="JPEG", quality=90)
    return str(path)


def test_outbox_replay_benchmark(open_page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    areas = make_test_district()
    staff = make_staff(Role.STREET_STAFF, username="bench-chen", streets=[areas["W"]])
    staff.set_password(PASSWORD)
    staff.save()
    assets = [GardenFactory(name_zh=f"花园{n}", geometry=square(113.2352 + n * 0.0004, 23.1222)) for n in range(4)]
    photo = phone_photo(tmp_path / "phone.jpg")

    recorded = open_page(locale="en-US", **PHONE)
    page, context = recorded.page, recorded.page.context
    context.set_default_timeout(WAIT_MS)
    sign_in(page, live_server.url, "bench-chen")
    open_workbench(page)
    page.wait_for_selector("[data-offline-workbench][data-worker-ready]", state="attached")
    context.set_offline(True)
    started = time.perf_counter()
    for n in range(LOGS):
        log_offline(page, assets[n % len(assets)], photo, notes=f"bench {n}")
    logging = time.perf_counter() - started
    sizes = page.evaluate("""async () => {
        const outbox = await import("/static/js/offline/outbox.js");
        return (await outbox.entries()).map((entry) => entry.photos[0].blob.size);
    }""")
    page.close()
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/offline/", wait_until="domcontentloaded")
    open_workbench(page)

    started = time.perf_counter()
    context.set_offline(False)
    wait_until_sent(page)
    first = time.perf_counter() - started
    assert UpkeepLog.objects.count() == LOGS and Photo.objects.count() == LOGS

    mark_all_waiting_again(page)
    started = time.perf_counter()
    page.get_by_role("button", name="Send now").click()
    wait_until_sent(page)
    page.wait_for_function(f"document.querySelectorAll(\".outbox-entry[data-state='sent']\").length === {LOGS}")
    replay = time.perf_counter() - started
    assert UpkeepLog.objects.count() == LOGS and Photo.objects.count() == LOGS

    result = {"logs": LOGS, "logging_s": logging, "first_send_s": first, "replay_s": replay,
              "photo_bytes": sum(sizes) / len(sizes), "original_bytes": os.path.getsize(photo)}
    with open(os.environ.get("BENCH_OUTBOX_RESULT", tmp_path / "result.json"), "w") as out:
        json.dump(result, out)
