"""Benchmark: ``manage.py generate_synthetic --assets 100000`` against the floor of any insert.

    .venv/bin/python bench/synthetic.py                               # prints a Markdown section
    BENCH_SYNTHETIC_ASSETS=20000 .venv/bin/python bench/synthetic.py  # a quicker, smaller run

From bench/run.py: ``run()`` returns the Markdown section. Everything happens in a scratch
database, ``registry_bench`` (next to the database of DATABASE_URL), created from scratch and
dropped at the end:

1. create it with PostGIS, ``manage.py migrate``, ``manage.py load_demo --geography-only``;
2. time ``manage.py generate_synthetic --assets N --seed S``: the wall clock of the whole
   command as a user runs it, Python start-up and Django set-up included;
3. the peer, in the same database: ``INSERT … SELECT`` of N random bare points into a scratch
   table with no index (``generate_series`` + ``ST_MakePoint``), timed around execute + commit.
   Nothing can insert N rows faster on this machine; the ratio says what the registry's rules
   (validation, derived fields, street/community/grid, two tables, their indexes) cost on top.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import connect, log, run_in_child, scratch_database, scratch_url  # noqa: E402

SCRATCH_DB = "registry_bench"
DEFAULT_URL = "postgis://127.0.0.1:5432/registry"
ASSETS = int(os.environ.get("BENCH_SYNTHETIC_ASSETS", "100000"))
SEED = 20211221
TARGET_ASSETS, TARGET_SECONDS = 100_000, 120

FLOOR_SQL = """
INSERT INTO bench_points (geom)
SELECT ST_SetSRID(ST_MakePoint(113.19 + random() * 0.07, 23.06 + random() * 0.09), 4326)
FROM generate_series(1, %s)
"""


def run() -> str:
    """Run the benchmark in a child process (it needs its own database settings); return Markdown."""
    return run_in_child(__file__)





def manage(*args: str, env: dict) -> float:
    """Run ``manage.py args…``; return its wall-clock time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=sys.stderr)
    return time.perf_counter() - started


def floor_seconds(config, count: int) -> float:
    """Time the bare INSERT … SELECT of ``count`` points into an unindexed scratch table."""
    scratch = connect(config, SCRATCH_DB)
    with scratch.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_points (id bigserial PRIMARY KEY, geom geometry(Point, 4326))")
        scratch.commit()
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL, [count])
        scratch.commit()
        elapsed = time.perf_counter() - started
        cursor.execute("SELECT COUNT(*) FROM bench_points")
        assert cursor.fetchone()[0] == count
    scratch.close()
    return elapsed


def asset_indexes(config) -> int:
    scratch = connect(config, SCRATCH_DB)
    with scratch.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'registry_asset'")
        count = cursor.fetchone()[0]
    scratch.close()
    return count


def report(count: int, command_s: float, floor_s: float, indexes: int) -> str:
    met = count >= TARGET_ASSETS and command_s < TARGET_SECONDS
    verdict = "met" if met else ("not met" if count >= TARGET_ASSETS else "not measured (smaller run)")
    return "\n".join([
        "## Synthetic assets: `generate_synthetic`",
        "",
        f"{count:,} assets of every kind into a fresh scratch database holding the demo geography "
        f"(`load_demo --geography-only`: 22 streets, their communities and grids), seed {SEED}.",
        "",
        "| what | time | rows/s | vs floor |",
        "|---|---|---|---|",
        f"| `manage.py generate_synthetic --assets {count} --seed {SEED}` (whole command) "
        f"| {command_s:.1f} s | {count / command_s:,.0f} | {command_s / floor_s:.0f}× |",
        f"| floor: `INSERT … SELECT` of {count:,} bare points, unindexed table "
        f"| {floor_s:.2f} s | {count / floor_s:,.0f} | 1× |",
        "",
        f"Target: {TARGET_ASSETS:,} assets in under {TARGET_SECONDS // 60} minutes — **{verdict}**"
        f" ({command_s:.1f} s).",
        "",
        "The command does per row what `Asset.save()` does (geometry checks, representative point, area in "
        "EPSG:4547, street/community/grid by containment) and writes two rows per asset (`registry_asset` "
        f"and the kind's table), the first under {indexes} indexes (GiST, trigram GIN, B-tree) and two "
        "generated Web Mercator columns; the floor does none of it.",
        "",
    ])


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import dj_database_url

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    config = dj_database_url.parse(url)
    env = dict(os.environ, DATABASE_URL=scratch_url(url, SCRATCH_DB), MEDIA_ROOT=str(ROOT / "bench" / "results" / "media"))
    with scratch_database(config, SCRATCH_DB):
        manage("migrate", "--no-input", "-v", "0", env=env)
        manage("load_demo", "--geography-only", env=env)
        log(f"generate_synthetic --assets {ASSETS} …")
        command_s = manage("generate_synthetic", "--assets", str(ASSETS), "--seed", str(SEED), env=env)
        log("floor …")
        floor_s = floor_seconds(config, ASSETS)
        print(report(ASSETS, command_s, floor_s, asset_indexes(config)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
