"""A counter PostgreSQL bumps whenever something shown on the map changes.

Statement-level triggers on the asset and adoption tables (migrations 0004 and 0005) increment it, so
bulk updates, imports and raw SQL bump it too. Tile URLs carry it: a changed asset shows on
the next load while unchanged tiles stay cached for as long as browsers and proxies like.

Every tile request asks for the version, so it is read through a short in-process cache
(``MAP_VERSION_CACHE_SECONDS``, default 2): at most one query per worker every two seconds, and
a change shows on the map within that time. While PostgreSQL cannot answer (a restart, a
failover) the last version this process read is used for up to
``MAP_VERSION_STALE_IF_ERROR_SECONDS`` (default 300): cached tiles and ``version.json`` keep
answering, and only work that needs the database fails.
"""

import time

from django.conf import settings
from django.db import DatabaseError, models
from django.utils import timezone

DEFAULT_CACHE_SECONDS = 2.0
DEFAULT_STALE_IF_ERROR_SECONDS = 300.0
#: (counter, monotonic time it was read) of the last successful read in this process, or None.
_last_read: tuple[int, float] | None = None


class MapVersion(models.Model):
    """One row (id=1); ``version`` only ever grows."""

    version = models.BigIntegerField(default=0)

    class Meta:
        managed = True
        verbose_name = "map version"

    def __str__(self):
        return str(self.version)


def _read_counter() -> int:
    return MapVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def _counter() -> int:
    global _last_read
    now, last = time.monotonic(), _last_read
    if last is not None and now - last[1] < getattr(settings, "MAP_VERSION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS):
        return last[0]
    try:
        counter = _read_counter()
    except DatabaseError:
        stale_limit = getattr(settings, "MAP_VERSION_STALE_IF_ERROR_SECONDS", DEFAULT_STALE_IF_ERROR_SECONDS)
        if last is not None and now - last[1] < stale_limit:
            return last[0]
        raise
    _last_read = (counter, now)
    return counter


def forget_cached_version() -> None:
    """Drop this process's cached counter: the next call reads the database (tests, after a restore)."""
    global _last_read
    _last_read = None


def current_map_version() -> str:
    """The version string for tile URLs: the counter and today's date (adoptions start and end by date)."""
    return f"{_counter()}-{timezone.localdate():%Y%m%d}"
