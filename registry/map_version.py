"""What the map shows changed, and where: a counter and a version per block of the map.

PostgreSQL keeps both (triggers of migration 0018 and their uses in ``adoption`` and ``problems``):

* ``registry_mapversion`` (one row) counts the writing statements: it moves with every change the
  map shows, whoever makes it (an operation, an import, a bulk update, raw SQL, a boundary change
  reassigning assets);
* ``registry_mapblock`` holds, per **block** (a tile of zoom ``BLOCK_ZOOM``, about 560 m across in
  Guangzhou), the counter of the last statement that changed something drawn in it: the blocks under
  the old and the new geometry and representative point of every asset written, and for an adoption
  or a problem report (they decide "adopted", "pending", "open problems") the blocks of its asset. A
  row (-1, -1) is "everywhere" (a TRUNCATE).

A tile's version (:func:`tile_version`) is the newest block version under it and the margin around it
that its buffer and clusters read (``BLOCK_MARGIN`` of a tile on each side), with today's date
(adoptions start and end by date): a write changes the version of the tiles over it, at every zoom,
and of no other tile. Tile URLs carry it, so browsers and proxies keep every other tile.

Every tile request needs it, so the counter and the blocks are read through a short in-process cache
(``MAP_VERSION_CACHE_SECONDS``, default 2): the counter at most once per worker every two seconds, the
blocks (a few hundred rows for the district) only when the counter moved. While PostgreSQL cannot answer
(a restart, a failover) the last state this process read is used for up to
``MAP_VERSION_STALE_IF_ERROR_SECONDS`` (default 300): cached tiles and ``version.json`` keep answering,
and only work that needs the database fails.
"""

import math
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, models
from django.utils import timezone

DEFAULT_CACHE_SECONDS = 2.0
DEFAULT_STALE_IF_ERROR_SECONDS = 300.0
#: The zoom of the blocks versions are kept for, and the margin (in tiles of the tile's own zoom)
#: around a tile whose blocks count for it: a tile draws what its 1/16-tile buffer (detail, and the
#: ring of cluster cells) reaches. The same numbers are in static/js/map/tiles.js and the SQL.
BLOCK_ZOOM = 16
BLOCK_MARGIN = 1 / 16
#: The block standing for "everywhere" (bumped by a TRUNCATE).
EVERYWHERE = (-1, -1)
#: Tile versions remembered per process for one state of the blocks.
MEMO_SIZE = 100_000


class MapVersion(models.Model):
    """One row (id=1); ``version`` only ever grows."""

    version = models.BigIntegerField(default=0)

    class Meta:
        managed = True
        verbose_name = "map version"

    def __str__(self):
        return str(self.version)


class MapBlock(models.Model):
    """The counter of the last change drawn in block (x, y) of zoom ``BLOCK_ZOOM``; written by triggers only."""

    pk = models.CompositePrimaryKey("x", "y")
    x = models.IntegerField()
    y = models.IntegerField()
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "map block version"

    def __str__(self):
        return f"{self.x}/{self.y}: {self.version}"


@dataclass
class MapState:
    """The counter and the block versions as one process last read them."""

    counter: int
    blocks: dict[tuple[int, int], int]
    read_at: float
    memo: dict = field(default_factory=dict)

    def tile_counter(self, z: int, x: int, y: int) -> int:
        key = (z, x, y)
        found = self.memo.get(key)
        if found is None:
            found = _newest_block(self.blocks, z, x, y)
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[key] = found
        return found


def block_range(z: int, x: int, y: int) -> tuple[int, int, int, int]:
    """(x0, x1, y0, y1), inclusive: the blocks under tile z/x/y and its margin (exact binary fractions,
    so that the map script's copy of this computes the very same range)."""
    scale = 2.0 ** (BLOCK_ZOOM - z)
    x0, x1 = math.floor((x - BLOCK_MARGIN) * scale), math.ceil((x + 1 + BLOCK_MARGIN) * scale) - 1
    y0, y1 = math.floor((y - BLOCK_MARGIN) * scale), math.ceil((y + 1 + BLOCK_MARGIN) * scale) - 1
    return x0, x1, y0, y1


def _newest_block(blocks: dict, z: int, x: int, y: int) -> int:
    x0, x1, y0, y1 = block_range(z, x, y)
    newest = blocks.get(EVERYWHERE, 0)
    if (x1 - x0 + 1) * (y1 - y0 + 1) <= len(blocks):
        for bx in range(x0, x1 + 1):
            for by in range(y0, y1 + 1):
                newest = max(newest, blocks.get((bx, by), 0))
    else:  # a low zoom: fewer blocks were ever written than the tile covers
        for (bx, by), version in blocks.items():
            if x0 <= bx <= x1 and y0 <= by <= y1 and version > newest:
                newest = version
    return newest


_state: MapState | None = None


def _read_counter() -> int:
    return MapVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def _read_blocks() -> dict[tuple[int, int], int]:
    return {(x, y): version for x, y, version in MapBlock.objects.values_list("x", "y", "version")}


def map_state(at_least: int = 0) -> MapState:
    """The counter and the block versions: from this process's cache while fresh, else from PostgreSQL.

    ``at_least``: a counter the caller knows exists (a tile URL made by a browser that read a newer
    ``version.json`` from another worker): an older cached state is read again at once.
    """
    global _state
    now, last = time.monotonic(), _state
    if (last is not None and last.counter >= at_least
            and now - last.read_at < getattr(settings, "MAP_VERSION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)):
        return last
    try:
        counter = _read_counter()
        if last is not None and counter == last.counter:
            last.read_at = now
            return last
        # Writers hold the counter's row until they commit, so every block of a version up to
        # ``counter`` is committed by now: reading the blocks after the counter misses none.
        state = MapState(counter, _read_blocks(), now)
    except DatabaseError:
        stale_limit = getattr(settings, "MAP_VERSION_STALE_IF_ERROR_SECONDS", DEFAULT_STALE_IF_ERROR_SECONDS)
        if last is not None and now - last.read_at < stale_limit:
            return last
        raise
    _state = state
    return state


def forget_cached_version() -> None:
    """Drop this process's cached state: the next call reads the database (tests, after a restore)."""
    global _state
    _state = None


def _date_part() -> str:
    return f"{timezone.localdate():%Y%m%d}"


def current_map_version() -> str:
    """The version of the whole map: the counter and today's date (adoptions start and end by date)."""
    return f"{map_state().counter}-{_date_part()}"


def tile_version(z: int, x: int, y: int, requested: str | None = None) -> str:
    """The version of tile z/x/y: the newest change under it (see the module's docstring) and the date.

    ``requested``: the version a tile URL names; one newer than this process knows makes it read again.
    """
    at_least = 0
    if requested:
        counter = requested.partition("-")[0]
        at_least = int(counter) if counter.isdigit() and len(counter) < 19 else 0
    return f"{map_state(at_least).tile_counter(z, x, y)}-{_date_part()}"


def block_versions() -> dict:
    """What the map script needs to compute every tile's version itself (see static/js/map/tiles.js)."""
    state = map_state()
    return {"zoom": BLOCK_ZOOM, "margin": BLOCK_MARGIN, "suffix": f"-{_date_part()}",
            "blocks": sorted([x, y, version] for (x, y), version in state.blocks.items())}
