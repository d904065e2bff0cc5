"""The users of `make load` (bench/load.py runs locust headless with this file; not a benchmark itself).

* ``MapUser`` (100): opens the map (version.json), pans over the old town at z14–16 (tiles the
  server has cached), clicks a marker (popup.json) and sometimes opens the asset's page.
* ``StaffUser`` (5): logs upkeep with a small, unique JPEG through the REST API, on an asset of
  their street, with their own API token.

The scenario (tiles, assets, tokens) comes from the JSON file named by LOAD_SCENARIO; every
request's time, name and outcome is appended to LOAD_EVENTS (one JSON line each) so that
bench/load.py can tell the PostgreSQL restart window from the rest.
"""

import io
import itertools
import json
import os
import random
import time

from locust import HttpUser, between, events, task
from PIL import Image

SCENARIO = json.loads(open(os.environ["LOAD_SCENARIO"]).read())
EVENTS = open(os.environ["LOAD_EVENTS"], "a", buffering=1)
STAFF = itertools.cycle(SCENARIO["staff"])
UNIQUE = itertools.count()


@events.request.add_listener
def record(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    EVENTS.write(json.dumps({"t": time.time(), "name": name, "ms": response_time, "status": status,
                             "error": bool(exception), "why": str(exception)[:120] if exception else ""}) + "\n")


def small_jpeg() -> bytes:
    """A 320×240 JPEG, different every time (photos are stored by content hash)."""
    colour = tuple(random.randrange(256) for _ in range(3))
    image = Image.new("RGB", (320, 240), colour)
    image.putpixel((next(UNIQUE) % 320, 0), (255 - colour[0], 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class MapUser(HttpUser):
    fixed_count = 100
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.client.get("/tiles/version.json", name="version.json")

    @task(8)
    def pan(self):
        for path in random.sample(SCENARIO["tiles"], 4):
            self.client.get(path, name="tile (cached)")

    @task(3)
    def popup(self):
        self.client.get(f"/assets/{random.choice(SCENARIO['assets'])}/popup.json", name="popup.json")

    @task(1)
    def asset_page(self):
        self.client.get(f"/assets/{random.choice(SCENARIO['assets'])}/", name="asset page")

    @task(1)
    def version(self):
        self.client.get("/tiles/version.json", name="version.json")


class StaffUser(HttpUser):
    fixed_count = 5
    wait_time = between(2, 5)

    def on_start(self):
        self.staff = next(STAFF)
        self.client.headers["Authorization"] = f"Token {self.staff['token']}"

    @task
    def log_upkeep(self):
        asset = random.choice(self.staff["assets"])
        with self.client.post("/api/v1/upkeep/", name="upkeep log + photo (API)", catch_response=True,
                              data={"asset": asset, "action": "inspection", "notes": "load test"},
                              files={"photos": ("upkeep.jpg", small_jpeg(), "image/jpeg")}) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
