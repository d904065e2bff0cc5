"""Real job-queue workers for the tests: ``manage.py procrastinate worker`` subprocesses on the test
database (a SIGKILL is real), or procrastinate's own worker run in-process until the queue is empty."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from procrastinate.contrib.django import app

from dataio.models import Job
from tests.factories import WEST, EAST, SOUTH, NORTH

ROOT = Path(settings.BASE_DIR)
#: How long a test waits for a worker's job to reach a state before it fails.
PATIENCE = 120


def start_worker(log: Path) -> subprocess.Popen:
    """A worker process on the test database, with short heartbeats so a lost one is seen in 2 s."""
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgis://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "JOBS_HEARTBEAT_SECONDS": "0.5", "JOBS_STALLED_SECONDS": "2"}
    return subprocess.Popen([sys.executable, "manage.py", "procrastinate", "worker", "--queues", "imports,maintenance",
                             "--fetch-job-polling-interval", "0.2"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(log, "ab"))


def stop_worker(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if worker.poll() is None:
        worker.send_signal(sig)
    worker.wait(timeout=30)


def wait_for(condition, what: str):
    """Poll ``condition`` until it returns something true; return that."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def job_state(job: Job) -> Job:
    job.refresh_from_db()
    return job


def run_queued_jobs(queue: str = "imports") -> None:
    """procrastinate's worker, in this process, until ``queue`` is empty (a transactional test)."""
    worker_app = app.with_connector(app.connector.get_worker_connector())  # as `manage.py procrastinate worker`
    worker_app.run_worker(queues=[queue], wait=False, install_signal_handlers=False, listen_notify=False)


def write_points(path: Path, count: int, prefix: str = "P") -> Path:
    """``count`` painted boxes spread over the test district, as GeoJSON."""
    columns = 200
    features = []
    for index in range(count):
        lon = WEST + 0.0005 + (EAST - WEST - 0.001) * (index % columns) / columns
        lat = SOUTH + 0.0005 + (NORTH - SOUTH - 0.001) * (index // columns) / max(1, count // columns)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"external_id": f"{prefix}{index}", "name_zh": f"电箱{index}"}})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return path
