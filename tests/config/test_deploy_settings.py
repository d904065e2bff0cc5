"""Settings switched on by the environment for a multi-machine deployment (config/deploy_settings.py).

Settings are read once per process, so the end-to-end checks start a fresh Python with the
variables set; the helpers are also tested directly.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import deploy_settings

ROOT = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
print(json.dumps({"databases": sorted(settings.DATABASES), "replica_test": settings.DATABASES.get("replica", {}).get("TEST"),
                  "cache": type(caches["default"]).__name__, "location": settings.CACHES["default"].get("LOCATION"),
                  "routers": settings.DATABASE_ROUTERS, "storage": settings.STORAGES["default"]["BACKEND"]}))
"""


def settings_with(**environ) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "DATABASE_REPLICA_URL", "MEDIA_STORAGE")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environ)
    result = subprocess.run([sys.executable, "-c", SHOW_SETTINGS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_one_database_a_local_memory_cache_and_files_on_disk():
    shown = settings_with()
    assert shown["databases"] == ["default"]
    assert shown["cache"] == "LocMemCache"
    assert shown["storage"] == "django.core.files.storage.FileSystemStorage"
    assert shown["routers"] == ["config.db_router.PrimaryReplicaRouter"]


def test_redis_url_makes_the_cache_redis():
    shown = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
    assert shown["cache"] == "RedisCache"
    assert shown["location"] == "redis://127.0.0.1:6379/3"


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests():
    shown = settings_with(DATABASE_REPLICA_URL="postgis://reader@replica.internal:5432/registry")
    assert shown["databases"] == ["default", "replica"]
    assert shown["replica_test"]["MIRROR"] == "default"


def test_a_replica_url_must_be_postgis():
    with pytest.raises(ImproperlyConfigured, match="postgis://"):
        deploy_settings.replica_database("postgres://replica/registry", conn_max_age=0)


def test_s3_media_storage_for_minio():
    storages = deploy_settings.media_storages({
        "MEDIA_STORAGE": "s3", "S3_BUCKET": "registry-media", "S3_ACCESS_KEY": "minio",
        "S3_SECRET_KEY": "minio-secret", "S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_ADDRESSING_STYLE": "path",
    })
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert default["OPTIONS"]["addressing_style"] == "path"
    assert default["OPTIONS"]["bucket_name"] == "registry-media"
    assert "region_name" not in default["OPTIONS"]
    assert storages["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


@pytest.mark.parametrize("environ, message", [
    ({"MEDIA_STORAGE": "s3", "S3_BUCKET": "b"}, "needs S3_ACCESS_KEY, S3_SECRET_KEY"),
    ({"MEDIA_STORAGE": "ftp"}, "'local' or 's3'"),
])
def test_incomplete_or_unknown_media_storage_is_refused_at_start(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        deploy_settings.media_storages(environ)
