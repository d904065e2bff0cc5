"""Benchmark: the elevator programme's figures over 100,000 retrofits and ~600,000 stage events.

    .venv/bin/python bench/retrofit_figures.py                                   # prints a Markdown section
    BENCH_RETROFITS=20000 .venv/bin/python bench/retrofit_figures.py             # quicker

In a scratch database, ``registry_bench_retrofits``: Liwan's geography, RETROFITS synthetic
elevator retrofits (the demo's stage mix: most in service), and for each the stage events its stage
implies, dated since 2017-08 (about six per retrofit, in one ``INSERT … SELECT``); the progress rows
are filled as migration 0003 fills them. Then, for the district and for the busiest street:

1. ``elevators.figures.programme_figures`` — one statement over the progress rows (median of
   REPEAT warm runs; no application cache: each run asks PostgreSQL), and its EXPLAIN ANALYZE;
2. the peer, same run, results checked equal: the same figures computed in Python over the ORM
   (every stage event with its retrofit's street and custody mode, then counts, medians and
   percentiles as PostgreSQL's ``percentile_cont`` computes them).

Target (issue 17): under 200 ms, at least 10× faster than the ORM peer.
"""

import datetime
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import log, run_in_child, run_on_geography  # noqa: E402

SCRATCH_DB = "registry_bench_retrofits"
RETROFITS = int(os.environ.get("BENCH_RETROFITS", "100000"))
REPEAT = int(os.environ.get("BENCH_RETROFITS_REPEAT", "15"))
SEED = 20171
TARGET_MS = 200
TARGET_RATIO = 10

# The programme stages of each map stage, with the gap (days) before each; the start spreads
# over 2017-08 … 2025 by the retrofit's id.
EVENTS_SQL = """
INSERT INTO elevators_stageevent (retrofit_id, stage, happened_on, document_number, note, correction_reason,
                                  recorded_at)
SELECT retrofit.asset_ptr_id, path.stage,
       DATE '2017-08-01' + ((retrofit.asset_ptr_id * 7919) % 2700
           + sum(path.gap + (retrofit.asset_ptr_id * 31 + path.position * 17) % 40)
             OVER (PARTITION BY retrofit.asset_ptr_id ORDER BY path.position))::int,
       CASE WHEN path.stage IN ('planning_permit', 'registration') THEN 'B-' || retrofit.asset_ptr_id ELSE '' END,
       '', '', now()
FROM retrofits_elevatorretrofit retrofit
JOIN (VALUES
    ('application', 'accepted', 0, 0), ('application', 'consent', 1, 40),
    ('planning_permit', 'accepted', 0, 0), ('planning_permit', 'consent', 1, 40),
    ('planning_permit', 'planning_permit', 2, 20),
    ('under_construction', 'accepted', 0, 0), ('under_construction', 'consent', 1, 40),
    ('under_construction', 'planning_permit', 2, 20), ('under_construction', 'construction', 3, 30),
    ('in_service', 'accepted', 0, 0), ('in_service', 'consent', 1, 40), ('in_service', 'planning_permit', 2, 20),
    ('in_service', 'construction', 3, 30), ('in_service', 'acceptance', 4, 100),
    ('in_service', 'registration', 5, 8), ('in_service', 'in_service', 6, 5)
) AS path(map_stage, stage, position, gap) ON path.map_stage = retrofit.stage
"""


def run() -> str:
    return run_in_child(__file__)


def fill() -> int:
    from django.db import connection

    from ops.demo.synthetic import generate_synthetic
    from registry.assets import AssetKind

    started = time.perf_counter()
    generate_synthetic(RETROFITS, SEED, kind_weights={AssetKind.ELEVATOR: 1})
    log(f"{RETROFITS:,} retrofits in {time.perf_counter() - started:.0f} s; stage events …")
    migration = __import__("elevators.migrations.0003_progress", fromlist=["BACKFILL"])
    with connection.cursor() as cursor:
        # Bulk fill: the rows go in date order; the progress rows are filled once, as the migration does.
        cursor.execute("ALTER TABLE elevators_stageevent DISABLE TRIGGER USER")
        cursor.execute(EVENTS_SQL)
        events = cursor.rowcount
        cursor.execute("ALTER TABLE elevators_stageevent ENABLE TRIGGER USER")
        cursor.execute("DELETE FROM elevators_retrofitprogress")
        cursor.execute(migration.BACKFILL)
        cursor.execute("VACUUM ANALYZE")
    log(f"{events:,} stage events")
    return events


def median_ms(function, repeat=REPEAT):
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def percentile_cont(values: list, fraction: float):
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    if not values:
        return None
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def orm_figures(period) -> dict:
    """The same figures in Python over the ORM: every event, then counting and sorting here."""
    from django.utils import timezone

    from elevators.models import PREDECESSOR, STAGE_ORDER, StageEvent

    end = period.end or timezone.localdate()
    events = StageEvent.objects.filter(happened_on__lte=end)
    if period.street_id is not None:
        events = events.filter(retrofit__street_id=period.street_id)
    dates, modes = defaultdict(dict), {}
    for retrofit_id, stage, on, mode in events.order_by("id").values_list(
            "retrofit_id", "stage", "happened_on", "retrofit__custody_mode").iterator(chunk_size=20000):
        dates[retrofit_id][stage] = on  # the latest recorded event of a stage wins, as in the progress rows
        modes[retrofit_id] = mode
    counted = {pk: stages for pk, stages in dates.items()
               if "accepted" in stages and period.start <= stages["accepted"] <= end}
    by_stage = Counter()
    cohorts = defaultdict(lambda: {"total": 0, "in_service": 0})
    for stages in counted.values():
        now = max(stages, key=STAGE_ORDER.index)
        by_stage[now] += 1
        cohort = cohorts[str(stages["accepted"].year)]
        cohort["total"] += 1
        cohort["in_service"] += now == "in_service"
    gaps = {stage: [(s[stage] - s[before]).days for s in counted.values() if stage in s and before in s]
            for stage, before in PREDECESSOR.items()}
    return {
        "total": len(counted),
        "in_service": by_stage["in_service"],
        "under_construction": sum("planning_permit" in s and "in_service" not in s for s in counted.values()),
        "by_stage": {stage: by_stage[stage] for stage in STAGE_ORDER},
        "median_days": {s: _round(percentile_cont(v, 0.5)) for s, v in gaps.items()},
        "p90_days": {s: _round(percentile_cont(v, 0.9)) for s, v in gaps.items()},
        "cohorts": dict(sorted(cohorts.items())),
        "custody_modes": dict(Counter(modes[pk] for pk in counted if modes[pk])),
    }


def _round(value):
    return None if value is None else round(float(value), 1)


def explain(period) -> str:
    from django.db import connection

    from elevators.figures import FIGURES

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + FIGURES, period.params())
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(events: int) -> str:
    from django.db.models import Count

    from elevators.figures import Period, programme_figures
    from retrofits.models import ElevatorRetrofit

    busiest = (ElevatorRetrofit.objects.values("street", "street__name_zh").annotate(n=Count("pk"))
               .order_by("-n").first())
    rows = []
    for label, period in (("district", Period()),
                          (f"street {busiest['street__name_zh']} ({busiest['n']:,})",
                           Period(street_id=busiest["street"]))):
        sql_ms, figures = median_ms(lambda: programme_figures(period))
        orm_ms, peer = median_ms(lambda: orm_figures(period), repeat=3)
        assert figures == peer, f"the SQL and the ORM figures differ for the {label}"
        rows.append((label, figures["total"], sql_ms, orm_ms))
        log(f"{label}: SQL {sql_ms:.1f} ms, ORM {orm_ms:.0f} ms")
    return report(events, rows, explain(Period()))


def report(events, rows, plan) -> str:
    worst = max(sql_ms for _l, _t, sql_ms, _o in rows)
    ratio = min(orm_ms / sql_ms for _l, _t, sql_ms, orm_ms in rows)
    verdict = "met" if worst < TARGET_MS and ratio >= TARGET_RATIO else "not met"
    lines = [
        "## Elevator programme figures",
        "",
        f"{RETROFITS:,} synthetic elevator retrofits (seed {SEED}) with {events:,} stage events. "
        f"`programme_figures()` (funnel, in service, under construction, per-stage median and 90th percentile "
        f"days, cohorts, custody mix): median of {REPEAT} warm runs; the ORM peer: median of 3. "
        "Both give identical figures.",
        "",
        "| scope | retrofits counted | SQL (one statement over the progress rows) | ORM + Python over every event "
        "| ratio |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {label} | {total:,} | {sql_ms:.1f} ms | {orm_ms:,.0f} ms | {orm_ms / sql_ms:.0f}× |"
              for label, total, sql_ms, orm_ms in rows]
    lines += [
        "",
        f"Target: under {TARGET_MS} ms and at least {TARGET_RATIO}× the ORM — **{verdict}** "
        f"(slowest {worst:.1f} ms, smallest ratio {ratio:.0f}×).",
        "",
        "<details><summary>EXPLAIN (ANALYZE, BUFFERS), district</summary>",
        "",
        "```",
        plan,
        "```",
        "",
        "</details>",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    return run_on_geography(SCRATCH_DB, fill, measure)


if __name__ == "__main__":
    sys.exit(main())
