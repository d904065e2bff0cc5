"""Settings for running on more than one machine, each switched on by an environment variable.

Kept out of settings.py so that each rule is a small function a test can call with any
environment (settings themselves are read once per process). See docs/deployment.md.

* ``DATABASE_REPLICA_URL`` — a streaming read replica, alias ``replica``
  (:mod:`config.db_router` decides what reads it);
* ``REDIS_URL`` — Django's Redis cache (tiles, and anything else cached) shared by every
  gunicorn worker and machine, instead of one local-memory cache per process;
* ``MEDIA_STORAGE=s3`` with ``S3_*`` — photos in an S3-compatible object store (AWS S3,
  Aliyun OSS, Tencent COS, MinIO) through django-storages, installed only where used.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


#: libpq options of every connection. ``jit=off``: the registry's statements are short reads and
#: writes whose plans PostgreSQL's JIT compiles in 150–750 ms and never repays (the dashboard's
#: adoption and elevator figures over 500,000 assets, docs/benchmarks.md); a server-wide setting
#: of the DBA's is left alone for other clients.
CONNECTION_OPTIONS = "-c jit=off"


def replica_database(url: str, *, conn_max_age: int) -> dict:
    """The ``replica`` alias: a hot standby of the primary; in tests a mirror of ``default``."""
    database = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if database["ENGINE"] != "django.contrib.gis.db.backends.postgis":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must use the postgis:// scheme.")
    database.setdefault("OPTIONS", {})["options"] = CONNECTION_OPTIONS
    database["TEST"] = {"MIRROR": "default"}  # the test run reads its replica from the test database
    return database


def cache_settings(redis_url: str) -> dict:
    """CACHES: Redis when ``redis_url`` is set (needs the ``redis`` package), else local memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": "registry",
        "TIMEOUT": 24 * 3600,  # tiles keep 24 h anyway; Redis evicts the least used first (allkeys-lru)
    }}


S3_REQUIRED = ("S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY")


def media_storages(environ) -> dict:
    """STORAGES: photos on the local disk, or with ``MEDIA_STORAGE=s3`` in an S3-compatible store.

    The S3 backend is django-storages' (``pip install django-storages[s3]``); it is imported by
    Django only when configured, so a single-machine install does not need it.
    """
    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    kind = environ.get("MEDIA_STORAGE", "local").strip().lower()
    if kind in ("", "local"):
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": staticfiles}
    if kind != "s3":
        raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
    missing = [name for name in S3_REQUIRED if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {', '.join(missing)}.")
    options = {
        "bucket_name": environ["S3_BUCKET"],
        "access_key": environ["S3_ACCESS_KEY"],
        "secret_key": environ["S3_SECRET_KEY"],
        "addressing_style": environ.get("S3_ADDRESSING_STYLE", "virtual"),  # "path" for MinIO
        "querystring_auth": False,  # plain, cacheable URLs: only public renditions are stored
        "file_overwrite": True,     # names are content hashes: same name, same bytes
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
    for variable, option in (("S3_ENDPOINT_URL", "endpoint_url"), ("S3_REGION", "region_name"),
                             ("S3_CUSTOM_DOMAIN", "custom_domain")):
        if environ.get(variable):
            options[option] = environ[variable]
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": staticfiles}
