"""Load and fault test (`make load`): 100 map users and 5 staff for 60 s, PostgreSQL restarted once.

    .venv/bin/python bench/run.py load                   # what `make load` runs
    LOAD_SECONDS=20 .venv/bin/python bench/load.py        # a shorter run, prints the section
    LOAD_RESTART=0 .venv/bin/python bench/load.py         # without the PostgreSQL restart

gunicorn (production settings: DEBUG=0, SECURE_SSL_REDIRECT=0 on plain loopback HTTP) serves a
scratch database (demo district + 20,000 synthetic assets, dropped afterwards) and a media folder
of its own; locust (bench/_locustfile.py) runs headless on 127.0.0.1 only. The tiles map users
pan over are warmed first, so that "tile (cached)" measures the server cache.

Faults: ``LOAD_RESTART_AT`` seconds into the run (default 25), the PostgreSQL cluster is
restarted (``pg_ctlcluster --skip-systemctl-redirect 15 main restart``, needs root; only here,
never in `make test`). Reported: errors inside and outside the restart window, the first
successful database-backed request after it, and the state left behind: every upkeep log with
its audit entry, every photo row with its files, no photo file without a row.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import _live  # noqa: E402

IN_MAKE_BENCH = False
SCRATCH_DB = "registry_bench_load"
SYNTHETIC_ASSETS = int(os.environ.get("LOAD_ASSETS", "20000"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
RESTART = os.environ.get("LOAD_RESTART", "1") == "1"
RESTART_AT = int(os.environ.get("LOAD_RESTART_AT", "25"))
WORKERS, THREADS = 3, 4
OLD_TOWN = (113.245, 23.12)  # lon, lat
STAFF_COUNT = 5
TARGETS_MS = {"tile (cached)": 50, "asset page": 300}
UPKEEP = "upkeep log + photo (API)"
RESTART_COMMAND = ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"]


def tiles_around(lon: float, lat: float) -> list[str]:
    """Tile paths over the old town: 3×3 at z14, 4×4 at z15, 6×6 at z16."""
    paths = []
    for z, span in ((14, 3), (15, 4), (16, 6)):
        n = 2 ** z
        x0 = int((lon + 180) / 360 * n) - span // 2
        y0 = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n) - span // 2
        paths += [f"/tiles/{z}/{x}/{y}.pbf" for x in range(x0, x0 + span) for y in range(y0, y0 + span)]
    return paths


SCENARIO_QUERY = """
import json
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.db.models import Count
from registry.assets import Asset
from registry.geography import Street
old_town = Point(113.245, 23.12, srid=4326)
public = Asset.objects.filter(is_public=True, location__distance_lte=(old_town, D(m=1500)))
streets = (Street.objects.annotate(n=Count('assets')).order_by('-n').values_list('code', 'pk')[:5])
print(json.dumps({"assets": list(public.order_by('?').values_list('pk', flat=True)[:300]),
                  "streets": [[code, list(Asset.objects.filter(street_id=pk).values_list('pk', flat=True)[:200])]
                              for code, pk in streets]}))
"""

INTEGRITY_QUERY = """
import json
from registry.audit import AuditEntry
from upkeep.models import UpkeepLog
from registry.photos.models import Photo
from registry.photos.storage import referenced_files, stored_files
logs = UpkeepLog.objects.filter(notes='load test')
audited = set(AuditEntry.objects.filter(action='upkeep.log', object_id__in=logs.values('pk')).values_list('object_id', flat=True))
photos = Photo.objects.filter(upkeep_log__in=logs)
missing = [field.name for photo in photos for field in (photo.large, photo.small) if not field.storage.exists(field.name)]
photo_audited = AuditEntry.objects.filter(action='photo.add', object_id__in=photos.values('pk')).count()
referenced = referenced_files()
stored = list(stored_files())
unreferenced = [name for name in stored if name not in referenced]
print(json.dumps({"logs": logs.count(), "logs_without_audit": logs.exclude(pk__in=audited).count(),
                  "logs_without_photo": logs.filter(photos__isnull=True).count(), "photos": photos.count(),
                  "photos_without_audit": photos.count() - photo_audited, "missing_files": len(missing),
                  "stored_files": len(stored), "unreferenced_files": len(unreferenced)}))
"""


def scenario(site, base: str) -> dict:
    data = json.loads(site.shell(SCENARIO_QUERY))
    staff = []
    for number, (code, assets) in enumerate(data["streets"][:STAFF_COUNT]):
        token = _live.create_street_staff(site, f"load_staff{number}", code)
        staff.append({"token": token, "assets": assets})
    version = json.loads(urllib.request.urlopen(base + "/tiles/version.json").read())["version"]
    tiles = [f"{path}?v={version}" for path in tiles_around(*OLD_TOWN)]
    return {"tiles": tiles, "assets": data["assets"], "staff": staff}


def warm(base: str, paths: list[str], rounds: int = 3 * WORKERS) -> None:
    """Ask for every tile several times, so that each gunicorn worker has it in its cache."""
    for _ in range(rounds):
        for path in paths:
            urllib.request.urlopen(base + path, timeout=30).read()


def restart_postgres(window: dict) -> None:
    time.sleep(RESTART_AT)
    window["start"] = time.time()
    result = subprocess.run(RESTART_COMMAND, capture_output=True, text=True)
    window["end"] = time.time()
    window["ok"] = result.returncode == 0
    window["output"] = (result.stdout + result.stderr).strip()[-300:]
    _live.log(f"PostgreSQL restarted in {window['end'] - window['start']:.1f} s (exit {result.returncode})")


def run_locust(base: str, scenario_path: Path, events_path: Path, csv_prefix: Path) -> None:
    command = [str(Path(sys.executable).with_name("locust")), "-f", str(Path(__file__).with_name("_locustfile.py")),
               "--headless", "--host", base, "-u", str(100 + STAFF_COUNT), "-r", "50", "-t", f"{SECONDS}s",
               "--csv", str(csv_prefix), "--only-summary", "--stop-timeout", "10", "--exit-code-on-error", "0"]
    env = {**os.environ, "LOAD_SCENARIO": str(scenario_path), "LOAD_EVENTS": str(events_path)}
    subprocess.run(command, cwd=_live.ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def summarise(events: list[dict], window: dict | None, seconds: float) -> dict:
    """Per request type: count, rate, p50/p95/p99 and errors, outside the restart window (and inside it)."""
    recovery = None
    if window:
        after = [e for e in events if e["t"] > window["end"] and e["name"] != "tile (cached)"]
        recovery = next((e["t"] for e in sorted(after, key=lambda e: e["t"]) if not e["error"]), None)
        window = {**window, "recovered": recovery}
    inside = (lambda e: window["start"] <= e["t"] <= (recovery or window["end"]) + 1) if window else (lambda e: False)
    rows = {}
    for name in sorted({e["name"] for e in events}):
        mine = [e for e in events if e["name"] == name]
        calm = [e for e in mine if not inside(e)]
        rows[name] = {"count": len(mine), "rate": len(mine) / seconds,
                      "p50": percentile([e["ms"] for e in calm], 0.50), "p95": percentile([e["ms"] for e in calm], 0.95),
                      "p99": percentile([e["ms"] for e in calm], 0.99),
                      "errors_calm": sum(e["error"] for e in calm),
                      "errors_window": sum(e["error"] for e in mine if inside(e)),
                      "status_5xx_window": sum(500 <= e["status"] < 600 for e in mine if inside(e)),
                      "dropped_window": sum(e["status"] == 0 for e in mine if inside(e))}
    kinds = {}
    for e in events:
        if e["error"]:
            why = " ".join(e.get("why", "").split()).split(" for url:")[0][:80]
            key = (("restart window" if inside(e) else "outside the window"), e["name"], e["status"], why)
            kinds[key] = kinds.get(key, 0) + 1
    slowest_failure = max((e["ms"] for e in events if e["error"] and inside(e)), default=0)
    logged = sum(e["name"] == UPKEEP and not e["error"] for e in events)
    return {"rows": rows, "window": window, "error_kinds": kinds, "slowest_failure_ms": slowest_failure,
            "upkeep_answered_201": logged}


def report(summary: dict, integrity: dict, seconds: float, restart_command_ok: bool | None) -> str:
    rows, window = summary["rows"], summary["window"]
    total = sum(row["count"] for row in rows.values())
    calm_errors = sum(row["errors_calm"] for row in rows.values())
    lines = [
        "## load",
        "",
        f"locust headless on 127.0.0.1: 100 map users (version.json, cached tiles z14–16 over the old town, "
        f"popup.json, asset pages; 0.5–2 s between actions) and {STAFF_COUNT} street staff logging upkeep with a "
        f"photo through the REST API (2–5 s between logs), {seconds:.0f} s against gunicorn ({WORKERS} workers × "
        f"{THREADS} threads, DEBUG=0) on the demo district + {SYNTHETIC_ASSETS:,} synthetic assets. "
        f"**{total / seconds:.0f} requests/s** overall ({total:,} requests).",
        "",
        "| Request | Requests | Req/s | p50 ms | p95 ms | p99 ms | Errors (outside restart) | Errors (restart window) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, row in rows.items():
        lines.append(f"| {name} | {row['count']:,} | {row['rate']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} | "
                     f"{row['p99']:.0f} | {row['errors_calm']} | {row['errors_window']} |")
    lines += ["", "Percentiles leave out the restart window; locust itself runs on the same machine and takes "
              "a share of its cores. Targets:"]
    lines.append(f"- zero errors outside the restart window: **{'met' if calm_errors == 0 else f'not met ({calm_errors})'}**")
    for name, target in TARGETS_MS.items():
        p95 = rows.get(name, {}).get("p95", float("nan"))
        lines.append(f"- p95 {name} < {target} ms: {p95:.0f} ms, **{'met' if p95 < target else 'not met'}**")
    if summary["error_kinds"]:
        lines += ["", "Errors by kind (when, request, HTTP status (0: no answer), what locust saw):", ""]
        lines += [f"- {count} × {when}, {name}, {status}: `{why}`"
                  for (when, name, status, why), count in sorted(summary["error_kinds"].items())]
    lines += ["", "### PostgreSQL restart during the load", ""]
    if window:
        recovered = window.get("recovered")
        in_window = sum(row["errors_window"] for row in rows.values())
        fivexx = sum(row["status_5xx_window"] for row in rows.values())
        dropped = sum(row["dropped_window"] for row in rows.values())
        lines += [
            f"- `{' '.join(RESTART_COMMAND)}` at {RESTART_AT} s took {window['end'] - window['start']:.1f} s "
            f"(exit status {'0' if restart_command_ok else 'non-zero: ' + window.get('output', '')}).",
            f"- Requests that failed in the window: {in_window} ({fivexx} answered 5xx, {dropped} without an answer); "
            f"the slowest failed after {summary['slowest_failure_ms'] / 1000:.1f} s (none hung).",
            ("- Recovered by itself (CONN_HEALTH_CHECKS, no restart of gunicorn): first successful database-backed "
             f"request {recovered - window['end']:.1f} s after PostgreSQL was back; errors outside the window: "
             f"{calm_errors}.") if recovered else "- **Did not recover** within the run.",
        ]
    else:
        lines.append("- Not run (LOAD_RESTART=0).")
    lines += [
        f"- Upkeep logs the API answered 201 for: {summary['upkeep_answered_201']}; rows in the database: "
        f"{integrity['logs']}; without their audit entry: "
        f"{integrity['logs_without_audit']}; without their photo: {integrity['logs_without_photo']}.",
        f"- Their photos: {integrity['photos']} rows; rows whose files are missing: {integrity['missing_files']}; "
        f"without their audit entry: {integrity['photos_without_audit']}.",
        f"- Photo files in media: {integrity['stored_files']} before cleanup; referenced by no photo row (any age): "
        f"{integrity['unreferenced_files']}; after `cleanup_orphan_photos --min-age 0`: "
        f"{integrity['unreferenced_after_cleanup']}.",
    ]
    return "\n".join(lines) + "\n"


def run() -> str:
    with _live.scratch_site(SCRATCH_DB, synthetic_assets=SYNTHETIC_ASSETS) as site, \
            tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        with _live.gunicorn(site, workers=WORKERS, threads=THREADS, log_path=scratch / "gunicorn.log") as base:
            plan = scenario(site, base)
            (scratch / "scenario.json").write_text(json.dumps(plan))
            _live.log(f"Warming {len(plan['tiles'])} tiles")
            warm(base, plan["tiles"])
            window = {}
            restarter = threading.Thread(target=restart_postgres, args=(window,)) if RESTART else None
            _live.log(f"locust: {100 + STAFF_COUNT} users for {SECONDS} s" + (f", restart at {RESTART_AT} s" if RESTART else ""))
            started = time.time()
            if restarter:
                restarter.start()
            run_locust(base, scratch / "scenario.json", scratch / "events.jsonl", scratch / "locust")
            elapsed = time.time() - started
            if restarter:
                restarter.join()
        events = [json.loads(line) for line in (scratch / "events.jsonl").read_text().splitlines() if line]
        events = [e for e in events if e["t"] >= started]
        summary = summarise(events, window if RESTART else None, min(elapsed, SECONDS))
        integrity = json.loads(site.shell(INTEGRITY_QUERY))
        site.manage("cleanup_orphan_photos", "--min-age", "0", capture=True)
        integrity["unreferenced_after_cleanup"] = json.loads(site.shell(INTEGRITY_QUERY))["unreferenced_files"]
    return report(summary, integrity, min(elapsed, SECONDS), window.get("ok") if RESTART else None)


if __name__ == "__main__":
    print(run())
