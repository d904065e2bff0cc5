"""Benchmark: the public dashboard over 500,000 assets and 5,000,000 upkeep logs (full scale).

    .venv/bin/python bench/run.py dashboard                      # full scale, into docs/benchmarks.md
    .venv/bin/python bench/dashboard.py                          # full scale, prints a Markdown section
    BENCH_DASHBOARD_SCALE=0.1 .venv/bin/python bench/run.py dashboard   # 1/10: 50,000 assets, 500,000 logs

In a scratch database, ``registry_bench_dashboard``: Liwan's geography, ASSETS synthetic assets
(the registers' kind mix, so elevator retrofits included), ten upkeep logs per asset (rounds its kind owes) over
the last two years (a tenth of them by adopters, with durations), a problem report per 20 assets,
an adoption for a third of the adoptable assets, elevator stage events as bench/retrofit_figures.py
writes them, and a renovation project per 500 assets with phase events and funding lines — the
programme tables in proportion. Then, for the district (the last 365 days):

1. ``compute_figures`` uncached: every figure of /dashboard.json (median of REPEAT warm runs);
2. ``dashboard_figures`` cached: the same answer from the cache (the street look-up is not part
   of it; the map version and data version queries are);
3. the peer, same run: the district's own figures (assets by kind, adoption, volunteer hours,
   upkeep and problems per month, problem counts) computed street by street with ORM loops that
   fetch the rows and count in Python; its figures are checked equal to the SQL's.

Targets (issue 19): uncached under 500 ms, cached under 10 ms, at least 10× faster than the peer.
"""

import datetime
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import log, run_in_child, run_on_geography  # noqa: E402

SCRATCH_DB = "registry_bench_dashboard"
SCALE = float(os.environ.get("BENCH_DASHBOARD_SCALE", "1"))
ASSETS = int(500_000 * SCALE)
LOGS_PER_ASSET = 10
REPEAT = int(os.environ.get("BENCH_DASHBOARD_REPEAT", "7"))
SEED = 19
TARGET_UNCACHED_MS = 500
TARGET_CACHED_MS = 10
TARGET_RATIO = 10

#: A round the kind owes (upkeep.schedules), two kinds of round for gardens and elevators.
ACTION_BY_KIND = """CASE asset.kind WHEN 'green_plot' THEN 'watering'
                                    WHEN 'garden' THEN (ARRAY['watering', 'cleaning'])[1 + n %% 2]
                                    WHEN 'elevator' THEN (ARRAY['elevator_maintenance', 'annual_inspection'])[1 + n %% 2]
                                    ELSE 'inspection' END"""

FILL_SQL = [
    # Ten upkeep logs per asset over the last two years, of rounds their kind owes; every tenth by the
    # asset's adopter (below).
    """
    INSERT INTO registry_upkeeplog (asset_id, performed_at, action, notes, participants, created_at, submission_key,
                                    staff_id)
    SELECT asset.id, now() - ((asset.id * 7 + n * 73) %% 730) * interval '1 day', """ + ACTION_BY_KIND + """, '',
           1 + n %% 3, now(), '', %(staff)s
    FROM registry_asset asset, generate_series(1, %(logs)s) n
    """,
    # A problem report per twenty assets, a third resolved within days.
    """
    INSERT INTO problems_problemreport (asset_id, description, reporter_name, reporter_mobile, reporter_email,
        contact_consent, language, created_at, category, status, staff_reply, duplicates_count, submission_key,
        public_description, resolved_at)
    SELECT id, 'bench', '', '', '', false, 'zh-hans', now() - (id %% 700) * interval '1 day', 'litter',
           CASE WHEN id %% 3 = 0 THEN 'resolved' ELSE 'open' END, '', 0, '', '',
           CASE WHEN id %% 3 = 0 THEN now() - (id %% 700) * interval '1 day' + (id %% 96) * interval '1 hour' END
    FROM registry_asset WHERE id %% 20 = 0
    """,
]


def run() -> str:
    return run_in_child(__file__)


def fill() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.retrofit_figures import EVENTS_SQL
    from ops.demo.synthetic import generate_synthetic

    started = time.perf_counter()
    generate_synthetic(ASSETS, SEED)
    log(f"{ASSETS:,} assets in {time.perf_counter() - started:.0f} s; upkeep logs, problems, programmes …")
    migration = __import__("elevators.migrations.0003_progress", fromlist=["BACKFILL"])
    staff = get_user_model().objects.create(username="bench-staff")  # the logs' performer
    with connection.cursor() as cursor:
        # The logs' triggers (history, the upkeep roll-up) are off while they are loaded; the roll-up
        # is then rebuilt once, as its migration does on an existing database.
        cursor.execute("ALTER TABLE registry_upkeeplog DISABLE TRIGGER USER")
        cursor.execute(FILL_SQL[0], {"logs": LOGS_PER_ASSET, "staff": staff.pk})
        cursor.execute("ALTER TABLE problems_problemreport DISABLE TRIGGER USER")
        cursor.execute(FILL_SQL[1], {})
        cursor.execute("ALTER TABLE problems_problemreport ENABLE TRIGGER USER")
        adopters(cursor)
        cursor.execute("ALTER TABLE registry_upkeeplog ENABLE TRIGGER USER")
        started = time.perf_counter()
        cursor.execute("SELECT upkeep_rollup_rebuild()")
        log(f"upkeep roll-up rebuilt in {time.perf_counter() - started:.0f} s")
        cursor.execute("ALTER TABLE elevators_stageevent DISABLE TRIGGER USER")
        cursor.execute(EVENTS_SQL)
        cursor.execute("ALTER TABLE elevators_stageevent ENABLE TRIGGER USER")
        cursor.execute("DELETE FROM elevators_retrofitprogress")
        cursor.execute(migration.BACKFILL)
        projects(cursor)
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT (SELECT count(*) FROM registry_upkeeplog), (SELECT count(*) FROM problems_problemreport),"
                       " (SELECT count(*) FROM registry_adoption), (SELECT count(*) FROM elevators_stageevent),"
                       " (SELECT count(*) FROM projects_project)")
        sizes = dict(zip(("upkeep logs", "problem reports", "adoptions", "stage events", "projects"), cursor.fetchone()))
    log(", ".join(f"{n:,} {name}" for name, n in sizes.items()))
    return sizes


def adopters(cursor) -> None:
    """One adopter per 30 adoptable assets; a third of the adoptable assets adopted this year."""
    cursor.execute("""
        INSERT INTO registry_adopter (display_name, kind, contact_person, mobile, email, credit_code, created_at)
        SELECT 'bench ' || n, (ARRAY['enterprise','volunteer','resident','shop'])[1 + n %% 4], '', '', '', '', now()
        FROM generate_series(1, greatest(1, (SELECT count(*) FROM registry_asset WHERE is_adoptable) / 30)) n
    """, {})
    cursor.execute("""
        INSERT INTO registry_adoption (adopter_id, asset_id, status, duties, care_interval_days, people, decision_reason,
                                       created_at, period)
        SELECT (SELECT min(id) FROM registry_adopter) + asset.id %% (SELECT count(*) FROM registry_adopter), asset.id,
               'approved', '', 14, 2, '', now(), daterange(current_date - 100, current_date + 265)
        FROM registry_asset asset WHERE is_adoptable AND asset.id %% 3 = 0
    """, {})
    cursor.execute("""
        UPDATE registry_upkeeplog log SET adopter_id = adoption.adopter_id, duration_minutes = 60
        FROM registry_adoption adoption WHERE adoption.asset_id = log.asset_id AND log.id %% 10 = 0
    """, {})


def projects(cursor) -> None:
    cursor.execute("""
        INSERT INTO projects_project (external_id, name_zh, name_en, kind, site, location, street_id, community_id,
            grid_id, description, is_public, weight, phase, rolled_progress, tree_planned, tree_received,
            created_at, updated_at)
        SELECT '', 'bench ' || id, '', 'garden', location, location, street_id, community_id, grid_id, '', true, 1,
               (ARRAY['proposal','design','construction','in_use'])[1 + id %% 4], 0, 0, 0, now(), now()
        FROM registry_asset WHERE id %% 500 = 0
    """, {})
    cursor.execute("""
        INSERT INTO projects_phaseevent (project_id, phase, previous_phase, date, note, document_number, is_return,
                                         created_at)
        SELECT id, phase, '', current_date - (id %% 300)::int, '', '', false, now() FROM projects_project
    """, {})
    cursor.execute("""
        INSERT INTO projects_fundingline (project_id, source, sponsor_name, amount_planned, amount_received, date, note,
                                          created_at)
        SELECT id, 'district_budget', '', 100000, 40000, current_date - (id %% 300)::int, '', now() FROM projects_project
    """, {})


def median_ms(function, repeat=REPEAT):
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def orm_peer(params) -> dict:
    """The district's own figures street by street, rows fetched by the ORM and counted in Python."""
    from django.utils import timezone

    from adoption.models import Adoption
    from problems.models import ProblemReport
    from registry.assets import Asset
    from registry.geography import Street
    from upkeep.models import UpkeepLog

    since = timezone.make_aware(datetime.datetime.combine(params.date_from, datetime.time.min))
    until = timezone.make_aware(datetime.datetime.combine(params.date_to + datetime.timedelta(days=1), datetime.time.min))
    today = timezone.localdate()
    by_kind, upkeep_months, problem_months = Counter(), Counter(), Counter()
    adoptable = adopted = reported = resolved = 0
    minutes = 0
    for street in Street.objects.defer("boundary"):
        adopted_ids = {adoption.asset_id for adoption in Adoption.objects.filter(asset__street=street, status="approved")
                       if adoption.period.lower <= today and (adoption.period.upper is None or today < adoption.period.upper)}
        for asset in Asset.objects.filter(street=street).only("id", "kind", "status", "is_public", "is_adoptable"):
            if asset.is_public and asset.status != "retired":
                by_kind[asset.kind] += 1
            if asset.is_adoptable and asset.status != "retired":
                adoptable += 1
                adopted += asset.pk in adopted_ids
        for log_ in UpkeepLog.objects.filter(asset__street=street, performed_at__gte=since, performed_at__lt=until).only(
                "performed_at", "adopter_id", "duration_minutes", "participants"):
            upkeep_months[f"{timezone.localtime(log_.performed_at):%Y-%m}"] += 1
            if log_.adopter_id and log_.duration_minutes:
                minutes += log_.duration_minutes * log_.participants
        for report in ProblemReport.objects.filter(asset__street=street, created_at__gte=since,
                                                   created_at__lt=until).only("created_at", "status"):
            problem_months[f"{timezone.localtime(report.created_at):%Y-%m}"] += 1
            reported += 1
            resolved += report.status == "resolved"
    return {"by_kind": dict(sorted(by_kind.items())), "adoptable": adoptable, "adopted": adopted,
            "volunteer_hours": round(minutes / 60, 1), "reported": reported, "resolved": resolved,
            "upkeep_months": dict(upkeep_months), "problem_months": dict(problem_months)}


def comparable(figures: dict) -> dict:
    return {"by_kind": figures["assets"]["by_kind"], "adoptable": figures["adoption"]["adoptable"],
            "adopted": figures["adoption"]["adopted"], "volunteer_hours": figures["adoption"]["volunteer_hours"],
            "reported": figures["problems"]["reported"], "resolved": figures["problems"]["resolved"],
            "upkeep_months": {m: n for m, n in figures["upkeep"]["by_month"].items() if n},
            "problem_months": {m: n for m, n in figures["problems"]["by_month"].items() if n}}


def measure(sizes: dict) -> str:
    from django.core.cache import cache
    from django.http import QueryDict

    from public.dashboard.cache import dashboard_figures
    from public.dashboard.figures import compute_figures
    from public.dashboard.params import read_params

    params = read_params(QueryDict(""))
    cache.clear()
    parts = part_timings(params)
    uncached_ms, figures = median_ms(lambda: compute_figures(params))
    cached_ms, cached = median_ms(lambda: dashboard_figures(params), repeat=REPEAT * 5)
    assert cached == figures
    peer_ms, peer = median_ms(lambda: orm_peer(params), repeat=1)
    assert comparable(figures) == peer, "the dashboard and the ORM peer differ"
    log(f"uncached {uncached_ms:.0f} ms, cached {cached_ms:.2f} ms, ORM peer {peer_ms:.0f} ms")
    return report(sizes, uncached_ms, cached_ms, peer_ms, parts)


#: The peer part: upkeep on time counted from the logs, as a grid worker's statistics still do.
FROM_THE_LOGS = "for comparison, upkeep on time from the logs (on_time_counts)"


def part_timings(params) -> dict:
    """Each part of compute_figures on its own (median ms), to show where the time goes."""
    from public.dashboard import figures as dashboard
    from registry.assets import Asset
    from upkeep.queries import on_time_counts

    streets, column, area_id = dashboard._area(params)
    parts = {
        "dashboard's own statement (public.dashboard.sql)": lambda: dashboard._own_figures(params),
        "upkeep on time (upkeep.queries.on_time_from_rollup)": lambda: dashboard._upkeep(params, streets, column,
                                                                                           area_id),
        "adoption (adoption.queries.adoption_counts)": lambda: dashboard._adoption(streets, column, area_id),
        "problems (problems.queries.problem_statistics)": lambda: dashboard._problems(params, streets, column, area_id),
    }
    parts[FROM_THE_LOGS] = (
        lambda: on_time_counts(Asset.objects.filter(street__in=streets), group_by=column, since=params.date_from,
                               today=params.date_to))
    for key, function in dashboard.PROGRAMMES:
        parts[f"programme {key}"] = (lambda function=function: function(
            street=params.street, community=params.community, date_from=params.date_from, date_to=params.date_to))
    measured = {label: median_ms(function, repeat=3) for label, function in parts.items()}
    timings = {label: ms for label, (ms, _result) in measured.items()}
    from_logs = measured[FROM_THE_LOGS][1]
    assert dashboard._upkeep(params, streets, column, area_id) == dashboard._on_time(from_logs, area_id), \
        "the roll-up and the logs differ"
    for label, ms in timings.items():
        log(f"  {label}: {ms:.1f} ms")
    return timings


def report(sizes, uncached_ms, cached_ms, peer_ms, parts) -> str:
    ratio = peer_ms / uncached_ms
    met = uncached_ms < TARGET_UNCACHED_MS and cached_ms < TARGET_CACHED_MS and ratio >= TARGET_RATIO
    scale = "full scale" if SCALE == 1 else f"scale {SCALE:g} (the machine was shared; full scale: " \
        "`.venv/bin/python bench/dashboard.py`)"
    lines = [
        "## Public dashboard",
        "",
        f"{ASSETS:,} synthetic assets (seed {SEED}, {scale}), " + ", ".join(f"{n:,} {k}" for k, n in sizes.items())
        + f". The district over the last 365 days: median of {REPEAT} warm runs (cached: {REPEAT * 5}); "
        "the ORM peer (street by street, rows counted in Python): one run after a warm-up. Same figures; the "
        "roll-up's upkeep on time equal to on_time_counts' from the logs (both asserted in the run).",
        "",
        "| | time |",
        "|---|---:|",
        f"| `compute_figures` (uncached, every figure in SQL) | {uncached_ms:.0f} ms |",
        f"| `dashboard_figures` (cached by map and data version) | {cached_ms:.2f} ms |",
        f"| ORM loops per street (a subset of the figures) | {peer_ms:,.0f} ms |",
        "",
        "Where the uncached time goes (each part alone, median of 3):",
        "",
        "| part | time |",
        "|---|---:|",
        *(f"| {label} | {ms:.1f} ms |" for label, ms in parts.items()),
        "",
        f"Targets: uncached under {TARGET_UNCACHED_MS} ms, cached under {TARGET_CACHED_MS} ms, at least "
        f"{TARGET_RATIO}× the peer — **{'met' if met else 'not met'}** (ratio {ratio:.0f}×).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    return run_on_geography(SCRATCH_DB, fill, measure)


if __name__ == "__main__":
    sys.exit(main())
