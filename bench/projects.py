"""Benchmark: the public list ``/projects/`` over 5,000 projects in three levels.

    .venv/bin/python bench/projects.py                              # prints a Markdown section
    BENCH_PROJECTS=1000 .venv/bin/python bench/projects.py          # quicker

From bench/run.py: ``run()`` returns the Markdown section. It works in a child process, in its own
scratch database ``registry_bench_projects`` (next to the one of DATABASE_URL), dropped at the end:

1. ``load_demo --geography-only``; PROJECTS projects in three levels (1 % programmes, 9 % their
   projects, 90 % the projects' parts), each at a point of a random street, in every phase, with
   two funding lines each — bulk inserts, so the database's roll-up trigger keeps the progress;
2. the page as residents ask for it (``GET /projects/``, the first page): its number of queries
   and the median of REPEAT warm runs;
3. the page's reads alone (``projects.queries``), median of REPEAT;
4. the peer in the same run, on the same page's projects: the naive ORM — for each project, its
   children and their children by a query per project, the funding by a query per project in
   the tree, the progress as the weighted mean computed in Python. Both must agree.
"""

import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import log, run_in_child, scratch_database, scratch_url, setup_django  # noqa: E402

SCRATCH_DB = "registry_bench_projects"
DEFAULT_URL = "postgis://127.0.0.1:5432/registry"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "5000"))
REPEAT = int(os.environ.get("BENCH_PROJECTS_REPEAT", "15"))
SEED = 20211221
MAX_QUERIES, MIN_SPEED_UP = 6, 10


def run() -> str:
    return run_in_child(__file__)


def fill(rng) -> dict:
    """PROJECTS projects in three levels with two funding lines each; the levels' counts."""
    import datetime

    from django.contrib.gis.geos import Point

    from projects.models import FundingLine, Project, ProjectKind
    from projects.phases import Phase
    from registry.geography import Street, assign_geography

    streets = list(Street.objects.all())
    places = []
    for street in streets:  # a few placed points per street, reused (placement is not what is measured)
        extent = street.boundary.extent
        for _ in range(10):
            while True:
                point = Point(rng.uniform(extent[0], extent[2]), rng.uniform(extent[1], extent[3]), srid=4326)
                if street.boundary.contains(point):
                    break
            probe = Project(site=point, location=point)
            assign_geography(probe)
            places.append(probe)
    top, middle = max(1, PROJECTS // 100), max(1, PROJECTS * 9 // 100)
    counts = {"programmes": top, "projects": middle, "parts": PROJECTS - top - middle}
    parents = [None]
    for level, count in enumerate(counts.values()):
        rows = []
        for number in range(count):
            place = rng.choice(places)
            rows.append(Project(
                name_zh=f"项目{level}-{number}", kind=rng.choice(ProjectKind.values), site=place.site,
                location=place.location, street_id=place.street_id, community_id=place.community_id,
                grid_id=place.grid_id, phase=rng.choice(Phase.values), weight=rng.randint(1, 3),
                parent=rng.choice(parents), progress=rng.choice([None, None, rng.randint(0, 100)]),
                planned_start=datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 365))))
        parents = Project.objects.bulk_create(rows, batch_size=1000)
        lines = [FundingLine(project=project, source=source, amount_planned=Decimal(rng.randint(1, 9999)) * 10,
                             amount_received=Decimal(rng.randint(0, 9999)))
                 for project in parents for source in ("district_budget", "street_budget")]
        FundingLine.objects.bulk_create(lines, batch_size=2000)
        log(f"level {level}: {count:,} projects")
    return counts


def naive_page(projects) -> dict:
    """The obvious ORM: children and funding by a query per project, the roll-up in Python."""
    from django.db.models import Sum

    from projects.models import Project
    from projects.phases import DEFAULT_PROGRESS

    def tree(project):
        children = list(Project.objects.filter(parent=project))
        funding = project.funding_lines.aggregate(planned=Sum("amount_planned"), received=Sum("amount_received"))
        planned, received = funding["planned"] or Decimal(0), funding["received"] or Decimal(0)
        if not children:
            progress = Decimal(project.progress if project.progress is not None else DEFAULT_PROGRESS[project.phase])
            return progress, planned, received
        parts = [(tree(child), child.weight) for child in children]
        progress = sum(part[0] * weight for part, weight in parts) / sum(weight for _part, weight in parts)
        return (round(progress, 1), planned + sum(part[1] for part, _w in parts),
                received + sum(part[2] for part, _w in parts))

    return {project.pk: tree(project) for project in projects}


def median_ms(function, repeat=REPEAT):
    result = function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def measure(counts) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from projects.models import Project

    setup_test_environment()  # the client then hands back the page's context, to check the figures
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/projects/")
    assert response.status_code == 200
    queries = len(captured)
    page = response.context["page"].object_list
    page_ms, _response = median_ms(lambda: client.get("/projects/"))
    ids = [project.pk for project in page]
    reads_ms, _rows = median_ms(lambda: page_reads(ids))
    naive_ms, naive = median_ms(lambda: naive_page(list(Project.objects.filter(pk__in=ids))), repeat=5)
    for project in page:  # the same figures both ways
        progress, planned, received = naive[project.pk]
        assert (project.funding_planned, project.funding_received) == (planned, received), project.pk
        assert abs(project.rolled_progress - progress) <= Decimal("0.1"), (project.pk, project.rolled_progress, progress)
    with CaptureQueriesContext(connection) as captured:
        naive_page(list(Project.objects.filter(pk__in=ids)))
    return report(counts, len(page), queries, page_ms, reads_ms, naive_ms, len(captured))


def page_reads(ids):
    """What the page reads for its rows, as the view does (``projects.queries``): one query; progress
    and the funding of every row's tree are columns the database keeps."""
    from projects import queries
    from projects.models import Project

    return queries.with_totals(queries.list_page(Project.objects.filter(pk__in=ids)))


def report(counts, rows, queries, page_ms, reads_ms, naive_ms, naive_queries) -> str:
    speed_up = naive_ms / reads_ms
    verdict = "met" if queries <= MAX_QUERIES and speed_up >= MIN_SPEED_UP else "not met"
    return "\n".join([
        "## Renovation projects: the list `/projects/`",
        "",
        f"{PROJECTS:,} projects in three levels ({counts['programmes']:,} programmes, {counts['projects']:,} "
        f"projects, {counts['parts']:,} parts), two funding lines each (seed {SEED}); the first page "
        f"({rows} rows) with each row's rolled-up progress and funding over its tree. Median of {REPEAT} warm "
        "runs (the naive peer: 5).",
        "",
        "| how | queries | time | vs the page's reads |",
        "|---|---:|---:|---:|",
        f"| the page's reads (`projects.queries.list_page` + `with_totals`): one query; progress and the "
        f"funding of each row's tree are columns kept by the database's triggers | 1 | {reads_ms:.1f} ms | 1× |",
        f"| naive ORM for the same rows and figures: children and funding by a query per project, the "
        f"roll-up in Python | {naive_queries:,} | {naive_ms:.1f} ms | {speed_up:.0f}× |",
        f"| the whole `GET /projects/` (count, rows, the filter's streets; rendering, middleware; "
        f"`DEBUG` as configured) | {queries} | {page_ms:.1f} ms | |",
        "",
        f"Target: ≤ {MAX_QUERIES} queries, whatever the count, and ≥ {MIN_SPEED_UP}× the naive ORM — "
        f"**{verdict}**. Both compute the same progress and funding for every row.",
        "",
    ])


def main() -> int:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    config = dj_database_url.parse(url)
    with scratch_database(config, SCRATCH_DB):
        setup_django(scratch_url(url, SCRATCH_DB), media_root=ROOT / "bench" / "results" / "media")
        from django.core.management import call_command
        from django.db import connection

        log("migrate, geography …")
        call_command("migrate", verbosity=0)
        call_command("load_demo", "--geography-only", stdout=sys.stderr)
        counts = fill(random.Random(SEED))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log("measuring …")
        print(measure(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
