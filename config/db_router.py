"""Send the public map's reads to a streaming read replica, everything else to the primary.

When ``DATABASE_REPLICA_URL`` is set, settings add a ``replica`` database alias (a PostgreSQL hot
standby of the primary). Which queries may go there is decided by *route*, not by model: only
the read-only public routes the festival-day crowd hits — the map page, vector tiles and their
version, asset pages, popups, search, QR codes and plaques, OGC API – Features and the export
downloads — and only for GET/HEAD. Everything else (staff pages, the admin, the REST API, forms,
management commands, scheduled jobs) never touches the replica, so the common case of "edit,
then look" stays on the primary by construction.

Within a replica-eligible request the primary is still used:

* for accounts, sessions and tokens (``auth``, ``sessions``, ``authtoken``, ``axes``): signing in
  writes them, and a replica a few milliseconds behind must not sign anyone out;
* inside ``transaction.atomic()`` on the primary (a read there is part of a write);
* after the request's first write: the router pins the rest of the request to the primary
  (read-your-writes) — and for ``REPLICA_PIN_SECONDS`` (default 5) afterwards, through a
  short-lived cookie, so a redirect after a write never reads a replica that lags behind it.

Without a ``replica`` alias the router answers nothing and Django uses ``default`` throughout.
The replica lag only ever shows as a map that is a moment old; tile cache keys come from the
map version read from the same replica, so a lagging replica never poisons the cache with a
newer version's key holding older data.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "db_pin_primary"
#: URL names of the read-only public routes whose reads may come from the replica.
READ_ONLY_ROUTES = frozenset({
    "map", "tiles:tile", "tiles:version",
    "asset-detail", "asset-popup", "asset-search", "asset-qr-svg", "asset-qr-png", "asset-plaque",
    "ogc-landing", "ogc-conformance", "ogc-collections", "ogc-collection", "ogc-items", "ogc-item",
    "export-download",
})
#: Apps always read from the primary: signing in writes them, and a lagging copy must not sign people out.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "authtoken", "axes", "contenttypes"})


@dataclass
class RequestState:
    replica_allowed: bool = False
    wrote: bool = False


_state: ContextVar[RequestState | None] = ContextVar("registry_db_routing", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reads_from_replica(model=None) -> bool:
    """Whether a read of ``model`` now goes to the replica (see the module docstring for when)."""
    state = _state.get()
    return bool(
        state is not None and state.replica_allowed and not state.wrote
        and replica_configured()
        and (model is None or model._meta.app_label not in PRIMARY_ONLY_APPS)
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry: replica for the public read-only routes, primary for the rest."""

    def db_for_read(self, model, **hints):
        return REPLICA if reads_from_replica(model) else None

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True  # read-your-writes: the rest of this request reads the primary
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's WAL; never migrate it


class ReplicaRoutingMiddleware:
    """Marks GET/HEAD requests to READ_ONLY_ROUTES as replica-eligible; pins after writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = RequestState()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and replica_configured():
            response.set_cookie(PIN_COOKIE, "1", max_age=getattr(settings, "REPLICA_PIN_SECONDS", 5),
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        state = _state.get()
        if (state is not None and request.method in ("GET", "HEAD") and match is not None
                and match.view_name in READ_ONLY_ROUTES and PIN_COOKIE not in request.COOKIES):
            state.replica_allowed = True
        return None
