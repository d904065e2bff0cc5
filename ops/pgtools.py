"""PostgreSQL's own tools and a plain connection, for backups and restores.

Backups run pg_dump / pg_restore as subprocesses; the password travels in the environment
(PGPASSWORD), never on the command line where ``ps`` would show it. Restores also need a
connection to a database that may not exist yet (to create it, through the ``postgres``
maintenance database), so this module talks psycopg2 directly rather than through Django's
configured connections.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass

import dj_database_url
import psycopg2
from psycopg2 import sql


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_django(cls, settings_dict) -> "Database":
        return cls(name=settings_dict["NAME"], host=settings_dict.get("HOST") or "",
                   port=str(settings_dict.get("PORT") or ""), user=settings_dict.get("USER") or "",
                   password=settings_dict.get("PASSWORD") or "")

    @classmethod
    def from_url(cls, url: str) -> "Database":
        return cls.from_django(dj_database_url.parse(url))

    def environment(self) -> dict[str, str]:
        values = {"PGHOST": self.host, "PGPORT": self.port, "PGUSER": self.user,
                  "PGPASSWORD": self.password, "PGDATABASE": self.name}
        return {key: value for key, value in values.items() if value}

    def connect(self, name: str | None = None):
        params = {"dbname": name or self.name, "host": self.host or None, "port": self.port or None,
                  "user": self.user or None, "password": self.password or None}
        connection = psycopg2.connect(**{key: value for key, value in params.items() if value})
        connection.autocommit = True
        return connection

    def _query(self, statement, params=(), *, name=None) -> list[tuple]:
        connection = self.connect(name)
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def execute(self, statement, params=()) -> list[tuple]:
        return self._query(statement, params)

    def exists(self) -> bool:
        return bool(self._query("SELECT 1 FROM pg_database WHERE datname = %s", [self.name], name="postgres"))

    def create_if_missing(self) -> None:
        if not self.exists():
            self._query(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)), name="postgres")

    def drop(self) -> None:
        self._query(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)),
                    name="postgres")

    def user_tables(self) -> list[str]:
        """Tables outside the system schemas that no extension owns (PostGIS's spatial_ref_sys is not data)."""
        return [row[0] for row in self.execute(
            """SELECT c.oid::regclass::text FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                 AND n.nspname NOT LIKE 'pg_toast%%'
                 AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                 AND d.objid = c.oid AND d.deptype = 'e')""")]

    def empty(self) -> None:
        """Drop everything in the public schema (PostGIS included); what ``--force`` means."""
        self.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")

    def count_rows(self, tables) -> dict[str, int]:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                return count_rows(cursor, tables)
        finally:
            connection.close()

    def server_major(self) -> int:
        return int(self._query("SELECT current_setting('server_version_num')::int", name="postgres")[0][0]) // 10000


def count_rows(cursor, tables) -> dict[str, int]:
    """table → row count, through ``cursor`` (psycopg2's own or Django's)."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {quote_identifier(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def quote_identifier(name: str) -> str:
    """``name`` as a quoted SQL identifier (table names may come from an archive's manifest)."""
    return '"' + name.replace('"', '""') + '"'


def tool(name: str, server_major: int) -> str:
    """Path of ``name`` (pg_dump, pg_restore) of the server's major version, or BackupError."""
    candidates = [f"/usr/lib/postgresql/{server_major}/bin/{name}", shutil.which(name)]
    for path in filter(None, candidates):
        version = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
        # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)" -> 15
        words = version.split()
        if len(words) >= 3 and words[2].split(".")[0] == str(server_major):
            return path
    raise BackupError(f"No {name} of PostgreSQL {server_major} found (the server's major version); "
                      f"install postgresql-client-{server_major}.")


def run(db: Database, name: str, server_major: int, arguments: list[str]) -> None:
    """Run a PostgreSQL client tool against ``db``; its own error message on failure."""
    result = subprocess.run([tool(name, server_major), *arguments], capture_output=True, text=True,
                            env={**os.environ, **db.environment()}, check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()[-2000:]}")
