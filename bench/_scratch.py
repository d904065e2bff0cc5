"""Helpers the benchmarks share: run in a child process, log to stderr, scratch databases.

Benchmarks that need their own database settings run themselves as a script in a child
process (``run_in_child``) and create, fill and drop a scratch database next to the one of
DATABASE_URL (``admin_sql`` runs CREATE/DROP DATABASE on the ``postgres`` maintenance database).
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def run_in_child(script: str) -> str:
    """Run ``script`` (a benchmark's own file) with this Python; return what it printed."""
    result = subprocess.run([sys.executable, str(Path(script).resolve())], cwd=ROOT, check=True,
                            stdout=subprocess.PIPE, text=True)
    return result.stdout


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def connect(config, dbname):
    """A psycopg2 connection to ``dbname`` on the server of ``config`` (a dj_database_url dict)."""
    import psycopg2

    return psycopg2.connect(dbname=dbname, user=config["USER"] or None, password=config["PASSWORD"] or None,
                            host=config["HOST"] or None, port=config["PORT"] or None)


def admin_sql(config, statement: str, database: str) -> None:
    """Run ``statement`` with ``{}`` standing for the quoted name ``database`` (CREATE/DROP DATABASE)."""
    from psycopg2 import sql

    admin = connect(config, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL(statement).format(sql.Identifier(database)))
    admin.close()


def create_scratch_database(config, database: str) -> None:
    """A fresh, empty ``database`` with PostGIS (an existing one of that name is dropped first)."""
    drop_scratch_database(config, database)
    admin_sql(config, "CREATE DATABASE {}", database)
    scratch = connect(config, database)
    scratch.autocommit = True
    with scratch.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    scratch.close()


def drop_scratch_database(config, database: str) -> None:
    admin_sql(config, "DROP DATABASE IF EXISTS {} WITH (FORCE)", database)


def scratch_url(url: str, database: str) -> str:
    """``url`` (a DATABASE_URL) with its database replaced by ``database``."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


@contextmanager
def scratch_database(config, database: str):
    """A fresh ``database`` with PostGIS for the block; dropped afterwards, whatever happens, after
    closing this process's Django connections to it (if Django was set up on it)."""
    log(f"Creating scratch database {database} …")
    create_scratch_database(config, database)
    try:
        yield
    finally:
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        drop_scratch_database(config, database)


def setup_django(database_url: str, media_root: Path | None = None) -> None:
    """Configure Django in this process for ``database_url`` (a benchmark's scratch database)."""
    os.environ["DATABASE_URL"] = database_url
    if media_root is not None:
        os.environ["MEDIA_ROOT"] = str(media_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def run_on_geography(database: str, fill, measure) -> int:
    """The usual benchmark run: a scratch ``database`` (dropped after), migrated, with the demo's
    geography only; then ``measure(fill())`` printed (the section ``bench/run.py`` writes).

    With ``BENCH_KEEP_DATABASE=1`` the database is kept afterwards and, when a kept one is found
    filled, reused (migrated, not filled again): for working on a query at full scale, where the
    fill takes longer than the measurement. What ``fill`` returned is kept in ``bench_filled``."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "postgis://127.0.0.1:5432/registry")
    config = dj_database_url.parse(url)
    if os.environ.get("BENCH_KEEP_DATABASE") == "1":
        return _run_kept(config, url, database, fill, measure)
    with scratch_database(config, database):
        _run(url, database, fill, measure)
    return 0


def _run(url, database, fill, measure, *, kept=None, keep=False) -> None:
    import json

    setup_django(scratch_url(url, database), media_root=Path(__file__).resolve().parent / "results" / "media")
    from django.core.management import call_command
    from django.db import connection

    log("migrate" + (", geography …" if kept is None else " (kept database) …"))
    call_command("migrate", verbosity=0)
    filled = kept
    if filled is None:
        call_command("load_demo", "--geography-only", stdout=sys.stderr)
        filled = fill()
        if keep:
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE bench_filled (sizes text)")
                cursor.execute("INSERT INTO bench_filled VALUES (%s)", [json.dumps(filled)])
    log("measuring …")
    print(measure(filled))


def _run_kept(config, url, database, fill, measure) -> int:
    import json
    from contextlib import closing

    with closing(connect(config, "postgres")) as admin, admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        exists = cursor.fetchone() is not None
    kept = None
    if exists:
        with closing(connect(config, database)) as scratch, scratch.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_filled') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("SELECT sizes FROM bench_filled")
                kept = json.loads(cursor.fetchone()[0])
    if kept is None:
        create_scratch_database(config, database)
    _run(url, database, fill, measure, kept=kept, keep=True)
    log(f"kept {database} (BENCH_KEEP_DATABASE=1; drop it when done)")
    return 0
