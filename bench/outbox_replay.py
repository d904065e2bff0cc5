"""Benchmark: the offline workbench's outbox replay, 20 queued upkeep logs with one photo each (issue 20).

    .venv/bin/python bench/run.py outbox_replay        # rewrites its section of docs/benchmarks.md
    BENCH_OUTBOX_LOGS=5 .venv/bin/python bench/outbox_replay.py   # a smaller check; prints the section

It drives the browser test's flow in Chromium (bench/_outbox_replay_case.py, which imports the
helpers of tests/browser/test_offline_workbench.py) against pytest-django's live server on the test
database: the logs are made offline, the page closed and reopened, and the network given back. The
peer in the same run is the replay of the same entries (same keys: each answered "accepted",
nothing written), so the ratio is what the writes and the photo pipeline cost over the round trips.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = int(os.environ.get("BENCH_OUTBOX_LOGS", "20"))


def run() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        result_path = Path(scratch) / "result.json"
        env = {**os.environ, "BENCH_OUTBOX_LOGS": str(LOGS), "BENCH_OUTBOX_RESULT": str(result_path)}
        completed = subprocess.run([sys.executable, "-m", "pytest", "bench/_outbox_replay_case.py", "-q",
                                    "-p", "tests.browser.conftest"],
                                   cwd=ROOT, env=env, capture_output=True, text=True)
        if completed.returncode != 0:
            raise RuntimeError(f"the browser flow failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-2000:]}")
        return report(json.loads(result_path.read_text()))


def report(result: dict) -> str:
    logs, first, replay = result["logs"], result["first_send_s"], result["replay_s"]
    return "\n".join([
        f"## Offline outbox replay: {logs} upkeep logs with one photo each (issue 20)",
        "",
        "Chromium (Playwright) against the live test server, the browser test's flow "
        "(`bench/_outbox_replay_case.py`): logs made offline with a 4000 × 3000 phone JPEG each "
        f"({result['original_bytes'] / 1e6:.1f} MB, resized in the browser to "
        f"{result['photo_bytes'] / 1e3:.0f} kB on average), page closed and reopened offline, network back.",
        "",
        "| what | total | per log |",
        "|---|---:|---:|",
        f"| making the {logs} logs offline (form, resize, IndexedDB) | {result['logging_s']:.2f} s "
        f"| {result['logging_s'] / logs * 1000:.0f} ms |",
        f"| **replay**: network back → every log and photo stored | **{first:.2f} s** | {first / logs * 1000:.0f} ms |",
        f"| peer: replaying the same entries again (answered \"accepted\", nothing written) | {replay:.2f} s "
        f"| {replay / logs * 1000:.0f} ms |",
        "",
        f"Replay / peer: {first / replay:.1f}×. No target is set by the issue; the time is reported.",
        "",
    ])


if __name__ == "__main__":
    print(run())
