"""Vector tiles of the map over HTTP: coordinates and filters in, cached MVT bytes out.

The SQL is in :mod:`public.tiles.sql`, the filters in :mod:`public.tiles.filters`. Here:

* **Cache.** Tiles are kept in Django's default cache under z/x/y + the normalised filters + the
  user's visibility class + the tile's version (:func:`~registry.map_version.tile_version`: the
  newest change drawn in the tile or the margin its buffer and clusters read). A write moves the
  version of the tiles over it only, so an edit is on the next load, every other tile stays
  cached (same key, same ETag), and stale entries just expire.
* **HTTP caching.** ``?v=<the tile's version>`` makes a URL that never changes meaning (the map
  script computes each tile's version from ``version.json``'s ``blocks``): anonymous
  users get ``public, max-age=31536000, immutable``. Without ``v`` (or with an old one) the
  tile is cacheable briefly. Signed-in users' tiles are always ``private`` and short-lived, as
  they may show assets the public does not see. An ETag answers revalidation with 304.
* **Database away.** If PostgreSQL cannot say which version is current, a tile cached under the
  URL's own ``?v=`` is served all the same (see ``_cached_tile``).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from public.tiles.filters import TileFilters
from public.tiles.sql import (DETAIL_MIN_ZOOM, MAX_ZOOM, MIN_ZOOM, CompiledAssets, compile_assets, compile_summary,
                              render_tile, tile_exists)
from registry.access import asset_scope
from registry.assets import Asset, AssetKind
from registry.map_version import block_versions, current_map_version, tile_version

MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
#: How long a tile stays in the server cache. After a change nobody asks for the old version's keys again.
SERVER_CACHE_SECONDS = 24 * 3600
#: Browser/proxy lifetime of a tile fetched without the current version, and of a signed-in user's tile.
SHORT_MAX_AGE = 60
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def visibility_class(user) -> str:
    """Users who see the same assets share cached tiles: a digest of the SQL of their scope.

    Derived from :func:`registry.access.asset_scope`, so a new rule there (say, street-scoped
    staff) gets its own cache entries without a change here.
    """
    return _scope_digest(asset_scope(user))


@functools.lru_cache(maxsize=1024)
def _scope_digest(scope: Q) -> str:
    """The digest of one scope's SQL, compiled once per process: equal ``Q`` objects give equal SQL, and
    compiling it (about 0.2 ms) would otherwise be most of the work of serving a cached tile."""
    sql, params = Asset.objects.filter(scope).values("pk").query.sql_with_params()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:16]


#: How long a process keeps the compiled ``assets`` SQL of one set of filters and one visibility class
#: (setting ``TILE_SQL_CACHE_SECONDS``): street/community codes are looked up when it is compiled, and a
#: new street code is known within this time. Tests set 0 (their streets get new ids in every test).
DEFAULT_COMPILED_SECONDS = 60
_compiled: dict = {}


def _compiled_assets(user, filters: TileFilters) -> tuple[CompiledAssets, CompiledAssets | None]:
    """The compiled ``assets`` CTE for these filters and this user's visibility, and the ``summary`` CTE of
    the low-zoom cluster tiles (None if the filters need more than it has): the same for every tile,
    so compiled (and street/community codes looked up) once a minute per process, not per tile."""
    key = (visibility_class(user), filters, timezone.localdate())
    now = time.monotonic()
    found = _compiled.get(key)
    if found is not None and now - found[0] < getattr(settings, "TILE_SQL_CACHE_SECONDS", DEFAULT_COMPILED_SECONDS):
        return found[1]
    cells = filters.cells(user)
    compiled = (compile_assets(filters.assets(user)),  # checks street/community codes
                compile_summary(cells) if cells is not None else None)
    if len(_compiled) >= 512:
        _compiled.clear()
    _compiled[key] = (now, compiled)
    return compiled


def forget_compiled_filters() -> None:
    """Drop this process's compiled filters (tests: an earlier test's street had another id)."""
    _compiled.clear()


def tile_cache_key(version: str, user, z: int, x: int, y: int, filters: TileFilters) -> str:
    """The server-cache key of a tile; also its ETag (a different key is different content)."""
    key = f"{version}:{visibility_class(user)}:{z}/{x}/{y}:{filters.cache_part()}"
    return "tile:" + hashlib.sha256(key.encode()).hexdigest()[:32]


def tile_url_template() -> str:
    """``/tiles/{z}/{x}/{y}.pbf``: the tile URL with Leaflet's placeholders (no query string)."""
    return reverse("tiles:tile", kwargs={"z": 0, "x": 0, "y": 0}).replace("0/0/0.pbf", "{z}/{x}/{y}.pbf")


def _bad_request(error: ValidationError) -> HttpResponse:
    return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")


def _cached_tile(request, z, x, y, filters) -> tuple[str, str, bytes | None]:
    """(the tile's current version, cache key, cached bytes or None) of a tile.

    When the database cannot say which version is current (PostgreSQL restarting, a failover), a
    tile cached under the version the URL names (``?v=``) is still a right answer to that URL, the
    one the browser would have kept: the public map keeps showing while the database is away.
    Only with no such tile does the error go on.
    """
    try:
        version = tile_version(z, x, y, request.GET.get("v"))
    except DatabaseError:
        requested = request.GET.get("v")
        key = tile_cache_key(requested, request.user, z, x, y, filters) if requested else None
        body = cache.get(key) if key else None
        if body is None:
            raise
        return requested, key, body
    key = tile_cache_key(version, request.user, z, x, y, filters)
    return version, key, cache.get(key)


@require_safe
def tile(request, z: int, x: int, y: int):
    if not tile_exists(z, x, y):
        raise Http404(_("No such tile."))
    try:
        filters = TileFilters.from_query(request.GET)
        version, key, body = _cached_tile(request, z, x, y, filters)
        if body is None:
            body = render_tile(z, x, y, *_compiled_assets(request.user, filters))
            cache.set(key, body, SERVER_CACHE_SECONDS)
    except ValidationError as error:
        return _bad_request(error)

    response = HttpResponse(body, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = f'"{key.removeprefix("tile:")}"'
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=SHORT_MAX_AGE)
    elif request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=SHORT_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])  # signed-in users may see more
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
def version(request):
    """The current map version, the tile URL template and the block versions, for the map's front-end.

    A tile's URL carries its own version (``v``), computed by the map script from ``blocks`` as
    :func:`registry.map_version.tile_version` does: the newest ``[x, y, version]`` of the zoom-``zoom``
    blocks under the tile and ``margin`` (in tiles) around it, with the block (-1, -1) counting
    everywhere, 0 if none, followed by ``suffix``.
    """
    current = current_map_version()
    response = JsonResponse({
        "version": current,
        "url": f"{tile_url_template()}?v={current}",
        "blocks": block_versions(),
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "detail_minzoom": DETAIL_MIN_ZOOM,
        "layers": list(AssetKind.values),
    })
    patch_cache_control(response, no_cache=True)
    return response
