"""Benchmark: ``manage.py import_assets`` of 100,000 points from GeoJSON against ``ogr2ogr`` into PostGIS.

    .venv/bin/python bench/imports.py                              # prints a Markdown section
    BENCH_IMPORT_FEATURES=20000 .venv/bin/python bench/imports.py  # a quicker, smaller run

From bench/run.py: ``run()`` returns the Markdown section. Everything happens in a scratch
database, ``registry_bench_imports`` (next to the database of DATABASE_URL), created, migrated and
dropped here:

1. create it with PostGIS, ``manage.py migrate``, ``manage.py load_demo --geography-only``, and a
   superuser (a district administrator to registry.access) to import as;
2. write N painted electrical boxes (points spread over the 22 streets by PostGIS's
   ``ST_GeneratePoints`` with a fixed seed, six attributes each) to a GeoJSON file;
3. time the whole command ``manage.py import_assets FILE --kind painted_box`` (Python start-up,
   reading through GDAL, every row checked — fields, geometry, street/community/grid — and the
   insert into both tables, in one transaction) and note its phases (``-v 2`` prints them);
4. the peer, same file, same database: ``ogr2ogr -f PostgreSQL PG:… FILE -nln bench_raw``;
5. three floors for reading the ratio: the database alone inserting the same rows into
   ``registry_asset`` (``INSERT … SELECT`` from the imported rows, rolled back); the street /
   community / grid look-up alone (``registry.bulk.locate_in_bulk`` over the imported points); and
   the least any importer into this schema could take, with no checks at all: ogr2ogr into an
   unlogged staging table without an index, then one ``INSERT … SELECT`` into both tables with the
   look-up (rolled back, foreign keys checked before).
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._scratch import connect, log, run_in_child, scratch_database, scratch_url, setup_django  # noqa: E402

#: BENCH_SCRATCH_DB names it otherwise (two people benchmarking on one server).
SCRATCH_DB = os.environ.get("BENCH_SCRATCH_DB", "registry_bench_imports")
DEFAULT_URL = "postgis://127.0.0.1:5432/registry"
FEATURES = int(os.environ.get("BENCH_IMPORT_FEATURES", "100000"))
TARGET_FEATURES, TARGET_RATIO = 100_000, 5.0
SEED = 20211221
THEMES = ["醒狮", "龙舟", "鸡公榄", "西关大屋", "荔枝湾", "粤剧"]

POINTS_SQL = """
-- N points inside the streets, each street's share by its area; fixed seed (PostGIS ≥ 3.0).
WITH shares AS (
  SELECT code, boundary, ST_Area(boundary) / SUM(ST_Area(boundary)) OVER () AS share FROM registry_street
), counts AS (
  SELECT code, boundary, GREATEST(1, ROUND(share * %(n)s))::int AS n FROM shares
)
SELECT code, ST_X(p.geom), ST_Y(p.geom)
FROM counts, LATERAL ST_Dump(ST_GeneratePoints(boundary, n, %(seed)s)) AS p
ORDER BY code
LIMIT %(n)s
"""
FLOOR_INSERT_SQL = """
INSERT INTO registry_asset (external_id, name_zh, name_en, kind, geometry, location, area_m2, address, status,
                            description, is_public, is_adoptable, street_id, community_id, grid_id, created_at,
                            updated_at)
SELECT 'floor-' || external_id, name_zh, name_en, kind, geometry, location, area_m2, address, status, description,
       is_public, is_adoptable, street_id, community_id, grid_id, now(), now()
FROM registry_asset WHERE kind = 'painted_box'
"""
STAGING_TABLE = "bench_staging"
#: From the staging table (ord, location, the file's columns) into both tables, street/community/grid by
#: registry.bulk.locate_query; the child rows find their parents by external id.
STAGED_INSERT_SQL = """
WITH located AS ({locate}),
parents AS (
    INSERT INTO registry_asset (external_id, name_zh, name_en, kind, geometry, location, area_m2, address, status,
                                description, is_public, is_adoptable, street_id, community_id, grid_id, created_at,
                                updated_at)
    SELECT 'staged-' || s.external_id, s.name_zh, s.name_en, 'painted_box', s.location, s.location, NULL, '',
           s.status, '', true, true, l.street_id, l.community_id, l.grid_id, now(), now()
    FROM {staging} AS s JOIN located AS l USING (ord)
    RETURNING id, external_id
)
INSERT INTO gardens_paintedelectricalbox (asset_ptr_id, artwork_theme, painter, painted_on)
SELECT p.id, s.artwork_theme, s.painter, s.painted_on
FROM parents AS p JOIN {staging} AS s ON p.external_id = 'staged-' || s.external_id
"""


def run() -> str:
    """Run the benchmark in a child process (it needs its own database settings); return Markdown."""
    return run_in_child(__file__)





def timed(command: list[str], env: dict) -> tuple[float, str]:
    """Run ``command``; return its wall-clock seconds and its standard output."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return time.perf_counter() - started, result.stdout


def write_features(config, path: Path, count: int) -> int:
    """The benchmark's GeoJSON: ``count`` painted boxes at seeded random points inside the streets."""
    scratch = connect(config, SCRATCH_DB)
    with scratch.cursor() as cursor:
        cursor.execute(POINTS_SQL, {"n": count, "seed": SEED})
        points = cursor.fetchall()
    scratch.close()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(x, 7), round(y, 7)]},
                 "properties": {"external_id": f"BOX-{i:06d}", "name_zh": f"{code}街彩绘电箱{i}",
                                "name_en": f"Painted box {i}", "status": "in_use",
                                "artwork_theme": THEMES[i % len(THEMES)], "painter": f"画师{i % 97}",
                                "painted_on": f"20{19 + i % 6}-0{1 + i % 9}-1{i % 10}"}}
                for i, (code, x, y) in enumerate(points)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return len(features)


def pg_connection_string(config) -> str:
    """GDAL's connection string for the scratch database on the server of ``config`` (a Django/dj_database_url
    settings dict)."""
    parts = [f"dbname={SCRATCH_DB}"]
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if config[key]:
            parts.append(f"{name}={config[key]}")
    return "PG:" + " ".join(parts)


def floors(env: dict, source: Path) -> dict:
    """Seconds of the three floors (see the module's docstring), and the index count of registry_asset.

    Runs in this process with Django set up on the scratch database (registry.bulk is the import's own
    code); every insert is rolled back, its deferred foreign-key checks run first.
    """
    setup_django(env["DATABASE_URL"])
    from django.db import connection, transaction

    from registry.assets import Asset
    from registry.bulk import locate_in_bulk, locate_query

    def rolled_back(*statements) -> float:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return seconds

    result = {"insert": rolled_back(FLOOR_INSERT_SQL)}
    points = list(Asset.objects.filter(kind="painted_box").values_list("location", flat=True))
    started = time.perf_counter()
    locate_in_bulk(points)
    result["locate"] = time.perf_counter() - started

    staging_s, _out = timed(["ogr2ogr", "-f", "PostgreSQL", pg_connection_string(connection.settings_dict),
                             str(source), "-nln", STAGING_TABLE, "-lco", "UNLOGGED=ON", "-lco", "SPATIAL_INDEX=NONE",
                             "-lco", "GEOMETRY_NAME=location", "-lco", "FID=ord"], env)
    result["staged"] = staging_s + rolled_back(
        f"CREATE INDEX ON {STAGING_TABLE} USING gist (location)", f"ANALYZE {STAGING_TABLE}",
        STAGED_INSERT_SQL.format(locate=locate_query(STAGING_TABLE), staging=STAGING_TABLE))
    result["staging"] = staging_s
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'registry_asset'")
        result["indexes"] = cursor.fetchone()[0]
    return result


def report(count, size_mib, command_s, phases, ogr_s, floor) -> str:
    ratio = command_s / ogr_s
    met = count >= TARGET_FEATURES and ratio <= TARGET_RATIO
    verdict = "met" if met else ("not met" if count >= TARGET_FEATURES else "not measured (smaller run)")
    phase_text = " / ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())

    def row(what, seconds):
        return f"| {what} | {seconds:.1f} s | {count / seconds:,.0f} | {seconds / ogr_s:.1f}× |"

    return "\n".join([
        "## Imports: `import_assets` against `ogr2ogr`",
        "",
        f"{count:,} painted electrical boxes (points, seven attributes) in one GeoJSON file ({size_mib:.1f} MiB), "
        f"into a fresh scratch database holding the demo geography (22 streets, their communities and grids), "
        f"seed {SEED}.",
        "",
        "| what | time | rows/s | vs ogr2ogr |",
        "|---|---|---|---|",
        row("`manage.py import_assets boxes.geojson --kind painted_box` (whole command)", command_s),
        f"| … of which, inside the command: {phase_text} | | | |",
        row("`ogr2ogr -f PostgreSQL PG:… boxes.geojson -nln bench_raw`", ogr_s),
        row("floor: the database alone inserting the same rows into `registry_asset` (`INSERT … SELECT`)",
            floor["insert"]),
        row("floor: the street / community / grid look-up alone (`registry.bulk.locate_in_bulk`)", floor["locate"]),
        row(f"floor: no checks at all, all in the database: ogr2ogr into an unlogged staging table without an index "
            f"({floor['staging']:.1f} s), then one `INSERT … SELECT` into both tables with the look-up",
            floor["staged"]),
        "",
        f"Target: within {TARGET_RATIO:.0f}× of ogr2ogr, measured in the same run — **{verdict}** ({ratio:.1f}×).",
        "",
        "ogr2ogr copies the features into a new table with one spatial index and no rules. The import reads the "
        "same file through GDAL, then checks every row as `Asset.save()` would (field validation, the kind's "
        "geometry type, `validate_geometry`, representative point, street/community/grid by containment, the "
        "importer's scope, duplicate external ids) before writing anything, and writes two rows per asset, the "
        f"first under {floor['indexes']} indexes (GiST, trigram GIN, B-tree), two generated Web Mercator columns "
        "and a validity check constraint. The last floor is the least any importer into this schema could take: "
        "no Python, no check, nothing but loading the file and inserting its rows where they belong — "
        f"{floor['staged'] / ogr_s:.1f}× ogr2ogr's time already. The gap to the target is the cost of the "
        "indexes and constraints the map, search and API rely on, not of the import's code.",
        "",
    ])


def prepare(env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True, stdout=sys.stderr)
    subprocess.run([*manage, "load_demo", "--geography-only"], cwd=ROOT, env=env, check=True, stdout=sys.stderr)
    # A superuser is a district administrator (registry.access): allowed to import anywhere.
    subprocess.run([*manage, "createsuperuser", "--no-input", "--username", "bench", "--email", "bench@example.org"],
                   cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": os.urandom(12).hex()}, check=True,
                   stdout=sys.stderr)


def measure_all(env: dict, config, source: Path) -> None:
    """Steps 1–5 of the module's docstring, in the scratch database; prints the Markdown section."""
    prepare(env)
    count = write_features(config, source, FEATURES)
    log(f"import_assets of {count:,} features …")
    command_s, output = timed([sys.executable, "manage.py", "import_assets", str(source), "--kind",
                               "painted_box", "--user", "bench", "-v", "2"], env)
    phases = {name: float(seconds) for name, seconds in re.findall(r"(\w+) ([\d.]+)", output.split("Seconds:")[1]
                                                                   .splitlines()[0])}
    log("ogr2ogr …")
    ogr_s, _out = timed(["ogr2ogr", "-f", "PostgreSQL", pg_connection_string(config), str(source),
                         "-nln", "bench_raw"], env)
    floor = floors(env, source)
    size_mib = source.stat().st_size / 1024 / 1024
    print(report(count, size_mib, command_s, phases, ogr_s, floor))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import dj_database_url

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    config = dj_database_url.parse(url)
    work = ROOT / "bench" / "results"
    work.mkdir(parents=True, exist_ok=True)
    source = work / "boxes.geojson"
    env = dict(os.environ, DATABASE_URL=scratch_url(url, SCRATCH_DB), MEDIA_ROOT=str(work / "media"))
    try:
        with scratch_database(config, SCRATCH_DB):
            measure_all(env, config, source)
    finally:
        source.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
