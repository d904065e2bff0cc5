"""Benchmark (issue 20): the import of N point features from GeoJSON against its floor and ogr2ogr.

    BENCH_IMPORT_FEATURES=20000 .venv/bin/python bench/import_checks.py   # while the machine is shared
    .venv/bin/python bench/import_checks.py                               # the target's 100,000
    .venv/bin/python bench/run.py import_checks                           # rewrites its section of docs/benchmarks.md

Same scratch database, file and steps as bench/imports.py (whose helpers it reuses): the whole
``manage.py import_assets`` command; the **floor**, the same rows loaded into the asset tables with
their indexes, constraints and history triggers and no checks at all (ogr2ogr into an unlogged
staging table, then one ``INSERT … SELECT`` into both tables with the street / community / grid
look-up, rolled back); and ``ogr2ogr`` into a plain table. Targets: the import within 2× the floor
and within 10× ogr2ogr, all three measured in the same run. Then the floor's insert once more under
``EXPLAIN ANALYZE``, for each trigger's own time (docs/data-io.md, "What an import's write costs").
"""

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import log, run_in_child, scratch_database, scratch_url  # noqa: E402
from bench.imports import FEATURES, SCRATCH_DB, floors, pg_connection_string, prepare, timed, write_features  # noqa: E402

DEFAULT_URL = "postgis://127.0.0.1:5432/registry"
FLOOR_TARGET, OGR_TARGET = 2.0, 10.0


def run() -> str:
    return run_in_child(__file__)


def measure(env: dict, config, source: Path) -> str:
    prepare(env)
    count = write_features(config, source, FEATURES)
    log(f"import_assets of {count:,} features …")
    command_s, output = timed([sys.executable, "manage.py", "import_assets", str(source), "--kind", "painted_box",
                               "--user", "bench", "--no-progress", "-v", "2"], env)
    phases = dict(re.findall(r"(\w+) ([\d.]+)", output.split("Seconds:")[1].splitlines()[0]))
    log("ogr2ogr …")
    ogr_s, _out = timed(["ogr2ogr", "-f", "PostgreSQL", pg_connection_string(config), str(source),
                         "-nln", "bench_raw"], env)
    floor_s = floors(env, source)["staged"]
    vs_floor, vs_ogr = command_s / floor_s, command_s / ogr_s
    log("the floor's INSERT … SELECT under EXPLAIN ANALYZE …")
    costs = trigger_costs()

    def verdict(ratio, target):
        return f"**{'met' if ratio <= target else 'not met'}** ({ratio:.1f}×, target ≤ {target:.0f}×)"

    return "\n".join([
        "## Import checks: `import_assets` against its floor and `ogr2ogr`",
        "",
        f"{count:,} painted electrical boxes (points) in one GeoJSON file, scratch database with the demo geography.",
        "",
        "| what | time | rows/s | ratio |",
        "|---|---|---|---|",
        f"| `manage.py import_assets` (whole command; read {phases.get('read')} s / check {phases.get('check')} s / "
        f"write {phases.get('write')} s) | {command_s:.1f} s | {count / command_s:,.0f} | — |",
        f"| floor: the same rows into both asset tables with their indexes and triggers, no checks "
        f"(ogr2ogr to staging + one `INSERT … SELECT`) | {floor_s:.1f} s | {count / floor_s:,.0f} | "
        f"import {vs_floor:.1f}× |",
        f"| `ogr2ogr` into a plain table | {ogr_s:.1f} s | {count / ogr_s:,.0f} | import {vs_ogr:.1f}× |",
        "",
        f"Against the floor: {verdict(vs_floor, FLOOR_TARGET)}; against ogr2ogr: {verdict(vs_ogr, OGR_TARGET)}.",
        "",
        f"The floor itself is {floor_s / ogr_s:.1f}× `ogr2ogr` ({floor_s:.1f} s against {ogr_s:.1f} s): "
        + (f"within 10× `ogr2ogr` lies below the floor ({OGR_TARGET * ogr_s:.1f} s < {floor_s:.1f} s), so no "
           "importer into these tables, checks or none, can meet that target; the floor is the one to hold the "
           "import to." if OGR_TARGET * ogr_s < floor_s else
           f"10× `ogr2ogr` ({OGR_TARGET * ogr_s:.1f} s) leaves {OGR_TARGET * ogr_s - floor_s:.1f} s above the "
           "floor for reading and checking."),
        "",
        "The import stages the rows in a temporary table (one COPY), checks them there set-based in SQL (field "
        "constraints, duplicate ids, geometry, street / community / grid) and writes from it with one "
        "`INSERT … SELECT` into both tables, as the floor does (dataio/importing/staging.py, field_checks.py, "
        "checks.py, write.py); reading the file and parsing its cells are Python's. The floor has no checks at "
        "all but pays, as the import does, for the asset tables' indexes and their triggers.",
        "",
        *trigger_table(costs, count),
        *([] if count >= 100_000 else [
            "", f"Run at {count:,} rows while the machine was shared; the target's scale: "
                "`.venv/bin/python bench/run.py import_checks` (100,000 rows)."]),
        "",
    ])


def trigger_costs() -> dict:
    """The floor's ``INSERT … SELECT`` (bench.imports.STAGED_INSERT_SQL, from the staging table floors()
    left) under ``EXPLAIN (ANALYZE, FORMAT JSON)``, rolled back: PostgreSQL's own account of the time
    each trigger took (its ``Triggers`` list) beside the statement's. Timed inside the server, so
    measured in the same statement as the insert rather than as the difference of two runs, which the
    load of a shared machine drowns. Called after floors() (Django is set up)."""
    from django.db import connection, transaction

    from bench.imports import STAGED_INSERT_SQL, STAGING_TABLE
    from registry.bulk import locate_query

    insert = STAGED_INSERT_SQL.format(locate=locate_query(STAGING_TABLE), staging=STAGING_TABLE)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX ON {STAGING_TABLE} USING gist (location)")
        cursor.execute(f"ANALYZE {STAGING_TABLE}")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {insert}")
        explained = cursor.fetchone()[0]
        transaction.set_rollback(True)
    if isinstance(explained, str):
        explained = json.loads(explained)
    return explained[0]


def trigger_table(explained: dict, count: int) -> list[str]:
    """Markdown lines: each trigger's time in the floor's insert, as EXPLAIN ANALYZE reports it."""
    total = explained["Execution Time"] / 1000
    triggers = sorted(explained.get("Triggers", []), key=lambda t: -t["Time"])
    return [
        f"What the triggers cost: the floor's `INSERT … SELECT` of the {count:,} rows (look-up included) under "
        "`EXPLAIN ANALYZE` (rolled back), each trigger's time as PostgreSQL reports it (one call: statement-level; "
        "the foreign keys are deferred to the commit and not in it). The rest of the statement is the look-up and "
        "the rows into the tables and their indexes:",
        "",
        "| trigger | table | calls | time | share of the statement |",
        "|---|---|---|---|---|",
        *(f"| `{t['Trigger Name']}` | {t.get('Relation', '')} | {t['Calls']:,} | {t['Time'] / 1000:.2f} s | "
          f"{t['Time'] / 1000 / total:.0%} |" for t in triggers),
        f"| the whole statement | | | {total:.2f} s | 100% |",
    ]


def main() -> int:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    config = dj_database_url.parse(url)
    work = ROOT / "bench" / "results"
    work.mkdir(parents=True, exist_ok=True)
    source = work / "import_checks.geojson"
    env = dict(os.environ, DATABASE_URL=scratch_url(url, SCRATCH_DB), MEDIA_ROOT=str(work / "media"))
    try:
        with scratch_database(config, SCRATCH_DB):
            print(measure(env, config, source))
    finally:
        source.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
