"""Rendition files in Django's storage, and the sweep that removes files no photo row refers to.

Everything goes through the storage of ``Photo.large`` (Django's ``default`` storage): the
local file system under MEDIA_ROOT unless ``STORAGES["default"]`` names another backend, such
as django-storages' S3 backend for an S3-compatible object store. Nothing here assumes a disk.

An S3-compatible store (AWS S3, Aliyun OSS, Tencent COS, MinIO) needs ``pip install
django-storages[s3]`` and, in settings::

    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": "liwan-registry-media",
            "endpoint_url": "https://oss-cn-guangzhou.aliyuncs.com",  # omit for AWS
            "region_name": "cn-guangzhou",
            "access_key": os.environ["S3_ACCESS_KEY"], "secret_key": os.environ["S3_SECRET_KEY"],
            "addressing_style": "virtual",        # what OSS and COS expect
            "querystring_auth": False,            # plain URLs, cacheable; True signs each URL
            "file_overwrite": True,               # same name means same bytes here
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        }},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

Names are content hashes, so a file is never overwritten with other bytes and the same
rendition uploaded twice is stored once. Because of that sharing, a file is deleted only if it
was written by the failing upload itself, or, by the sweep, if no row refers to it.
"""

import datetime
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.utils import timezone

from registry.photos.models import Photo
from registry.photos.renditions import Rendition

ROOT = "photos"


def photo_storage():
    return Photo._meta.get_field("large").storage


def write(rendition: Rendition) -> tuple[str, bool]:
    """Store ``rendition`` under its content-hashed name: (name, whether this call created the file)."""
    storage = photo_storage()
    if storage.exists(rendition.name):
        return rendition.name, False
    return storage.save(rendition.name, ContentFile(rendition.data)), True


def delete_quietly(names) -> None:
    """Delete ``names``; used while an exception is already on its way, so never raise another."""
    storage = photo_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 — the sweep will find a file left behind
            pass


def stored_files(path: str = ROOT, storage=None) -> Iterator[str]:
    """Every file name under ``path`` ("" for all) in ``storage``, by default the photo storage."""
    storage = storage or photo_storage()
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from stored_files(f"{path}/{directory}" if path else directory, storage)


#: ``lookup()`` → an iterable of (large, small) names that rows of an app above the core refer to
#: (the projects app's milestone photos). Registered at start-up, so the sweep keeps their files
#: without the core importing those apps.
_reference_lookups: list = []


def register_photo_references(lookup) -> None:
    if lookup not in _reference_lookups:
        _reference_lookups.append(lookup)


def referenced_files() -> set[str]:
    names = set()
    for large, small in Photo.objects.values_list("large", "small").iterator(chunk_size=5000):
        names.update((large, small))
    for lookup in _reference_lookups:
        for large, small in lookup():
            names.update((large, small))
    return names


def orphan_files(min_age: datetime.timedelta) -> list[str]:
    """Files under photos/ older than ``min_age`` that no photo row refers to.

    Orphans come from transactions rolled back after ``add_photo`` wrote its files (an upkeep log
    failing after its photos were processed), from deleted photos and from crashed processes.
    ``min_age`` protects files whose transaction has not committed yet.
    """
    storage = photo_storage()
    referenced = referenced_files()
    cutoff = timezone.now() - min_age
    return [name for name in stored_files()
            if name not in referenced and storage.get_modified_time(name) <= cutoff]
