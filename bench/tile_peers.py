"""The tile endpoint against its named peers, on the same rows with the same attributes (issue 21).

Called by bench/tiles.py inside its child process (Django set up on the scratch database). At each
zoom of ``ZOOMS``, over the same tile, median of ``REPEAT`` rounds in which every server answers once
in turn (so that load on the shared machine weighs on all alike), each request a new HTTP connection
(``urllib``) from this process:

* **endpoint, uncached**: ``/tiles/z/x/y.pbf`` from gunicorn (1 sync worker, DEBUG=0, production
  settings) with no server cache (bench/_uncached_settings.py: DummyCache);
* **endpoint, cached**: the same from a second gunicorn with the normal cache, warm;
* **plain ST_AsMVT floor**: ``ST_AsMVT`` of ``ST_AsMVTGeom`` over the view below, the GiST-indexed
  3857 column, one layer, through psycopg2 (no HTTP: a floor, not a server);
* **tipg** (Development Seed's OGC Tiles server, ``requirements-bench.txt``, its own environment
  ``.venv-bench``, under uvicorn, 1 worker) serving that view.

The view ``bench_tile_assets`` holds what the public map may show (the anonymous tile queryset,
compiled by Django) with the attributes the endpoint's features carry: ``id``, ``kind``, ``geom``.
"""

import contextlib
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
VIEW = "bench_tile_assets"

FLOOR_SQL = f"""
SELECT ST_AsMVT(q, 'assets', 4096, 'geom')
FROM (SELECT id, kind, ST_AsMVTGeom(geom, ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 256, true) AS geom
      FROM {VIEW}
      WHERE geom && ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 0.0625)) AS q
"""


def create_view() -> None:
    from django.db import connection
    from django.db.models import ExpressionWrapper, F, Field

    from public.tiles.filters import TileFilters

    rows = TileFilters().assets(None).annotate(
        geom=ExpressionWrapper(F("geometry_webmercator"), output_field=Field())).values("id", "kind", "geom")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {VIEW}")
        statement = cursor.mogrify(f"CREATE VIEW {VIEW} AS {sql}", params)  # bytes from psycopg2, str from psycopg 3
        cursor.execute(statement.decode() if isinstance(statement, bytes) else statement)


def _wait(url: str, process) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the server exited at start-up") from None
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 30 s")


@contextlib.contextmanager
def _server(command, env, probe):
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(probe, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def gunicorn(database_url: str, settings: str):
    from bench._live import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings, "DEBUG": "0",
           "SECRET_KEY": "bench-" + os.urandom(24).hex(), "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING"}
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application", "--bind",
               f"127.0.0.1:{port}", "--workers", "1", "--threads", "1", "--timeout", "60"]
    return base, _server(command, env, base + "/tiles/version.json")


def tipg(database_url: str):
    from bench._live import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url.replace("postgis://", "postgresql://", 1),
           "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": f'["public.{VIEW}"]',
           "TIPG_MAX_FEATURES_PER_TILE": "100000", "DB_MIN_CONN_SIZE": "1", "DB_MAX_CONN_SIZE": "1"}
    base = f"http://127.0.0.1:{port}"
    command = [str(BENCH_VENV / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1", "--log-level", "warning"]
    return base, _server(command, env, base + "/collections")


def _get(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
    return (time.perf_counter() - start) * 1000, len(body)


def measure(database_url: str, config, tiles, repeat: int) -> list[dict]:
    """One row per tile: medians (ms) and sizes of each peer."""
    from bench._scratch import connect
    from django.db import connection

    create_view()
    connection.close()
    raw = connect(config, database_url.rsplit("/", 1)[1])
    raw.autocommit = True

    def floor(z, x, y):
        start = time.perf_counter()
        with raw.cursor() as cursor:
            cursor.execute(FLOOR_SQL, {"z": z, "x": x, "y": y})
            body = bytes(cursor.fetchone()[0] or b"")
        return (time.perf_counter() - start) * 1000, len(body)

    uncached_base, uncached = gunicorn(database_url, "bench._uncached_settings")
    cached_base, cached = gunicorn(database_url, "config.settings")
    tipg_base, tipg_server = tipg(database_url)
    rows = []
    with uncached, cached, tipg_server:
        for z, x, y in tiles:
            peers = {
                "endpoint": lambda: _get(f"{uncached_base}/tiles/{z}/{x}/{y}.pbf"),
                "cached": lambda: _get(f"{cached_base}/tiles/{z}/{x}/{y}.pbf"),
                "floor": lambda: floor(z, x, y),
                "tipg": lambda: _get(f"{tipg_base}/collections/public.{VIEW}/tiles/WebMercatorQuad/{z}/{x}/{y}"),
            }
            times = {name: [] for name in peers}
            sizes = {name: peer()[1] for name, peer in peers.items()}  # warm-up (and the cached one's fill)
            for _ in range(repeat):
                for name, peer in peers.items():
                    times[name].append(peer()[0])
            rows.append({"tile": (z, x, y), "sizes": sizes,
                         **{name: statistics.median(values) for name, values in times.items()}})
    raw.close()
    return rows


def report(rows, zooms_within_tipg=(14, 16), tipg_target=1.2, floor_target=1.5) -> str:
    lines = [
        "### The endpoint and its peers (same rows, attributes `id`, `kind`)",
        "",
        "Over HTTP from the benchmark's process, a new connection per request; medians. Endpoint: gunicorn, "
        "1 sync worker, DEBUG=0; uncached = no server cache. Floor: plain `ST_AsMVT` over the indexed 3857 "
        "column through psycopg2 (no HTTP). tipg: uvicorn, 1 worker, over the same view "
        "(bench/tile_peers.py). \"cached\" here includes a new HTTP connection to gunicorn; the cached-tile "
        "target (< 2 ms) is the server's own time, in the first table.",
        "",
        "| tile | endpoint, uncached | floor | tipg | endpoint ÷ floor | endpoint ÷ tipg | cached "
        "| sizes (endpoint / floor / tipg) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    verdicts = []
    for row in rows:
        z, x, y = row["tile"]
        to_floor, to_tipg = row["endpoint"] / row["floor"], row["endpoint"] / row["tipg"]
        sizes = " / ".join(f"{row['sizes'][name] / 1024:.0f} KiB" for name in ("endpoint", "floor", "tipg"))
        lines.append(f"| {z}/{x}/{y} | {row['endpoint']:.1f} ms | {row['floor']:.1f} ms | {row['tipg']:.1f} ms "
                     f"| {to_floor:.2f}× | {to_tipg:.2f}× | {row['cached']:.2f} ms | {sizes} |")
        verdict = f"z{z}: ÷ floor {to_floor:.2f}× ({'meets' if to_floor <= floor_target else '**misses**'} ≤ {floor_target}×)"
        if z in zooms_within_tipg:
            verdict += f", ÷ tipg {to_tipg:.2f}× ({'meets' if to_tipg <= tipg_target else '**misses**'} ≤ {tipg_target}×)"
        else:
            verdict += f", size {row['sizes']['endpoint'] / 1024:.0f} KiB (≤ 500 KiB: " \
                       f"{'meets' if row['sizes']['endpoint'] <= 500 * 1024 else '**misses**'})"
        verdicts.append(verdict)
    lines += ["", "Targets: " + "; ".join(verdicts) + ".", ""]
    return "\n".join(lines)
