"""Create the database named by DATABASE_URL and its PostGIS extension, if missing.

Run by `make setup` before `migrate`; does nothing when both already exist.
"""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgis://127.0.0.1:5432/registry"


def connect(config, dbname):
    return psycopg2.connect(dbname=dbname, user=config["USER"] or None, password=config["PASSWORD"] or None,
                            host=config["HOST"] or None, port=config["PORT"] or None)


def main() -> int:
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    name = config["NAME"]
    admin = connect(config, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating database {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    database = connect(config, name)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
