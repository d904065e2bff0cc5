"""The read-replica router with a second alias, ``replica``, mirroring the test database.

Which alias ran each query is read from each connection's captured queries. The data is
committed (``transaction=True``) because the replica alias has its own connection.
"""

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from config.db_router import PIN_COOKIE, REPLICA, PrimaryReplicaRouter, ReplicaRoutingMiddleware
from registry.assets import Asset
from tests.factories import GreenPlotFactory, make_district_admin, make_test_district

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_alias(django_db_setup):
    """Add ``replica`` as settings would with DATABASE_REPLICA_URL: a TEST MIRROR of ``default``."""
    primary = connections["default"].settings_dict
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def plot():
    make_test_district()
    return GreenPlotFactory(name_zh="荔枝湾认领绿地")


class Queries:
    """Captured queries of both aliases during a block."""

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in ("default", REPLICA)}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def on(self, alias) -> list[str]:
        return [query["sql"] for query in self.contexts[alias].captured_queries]


PUBLIC_READ_ONLY = {
    "map": lambda plot: reverse("map"),
    "tile": lambda plot: reverse("tiles:tile", args=[16, 53452, 28510]),
    "version": lambda plot: reverse("tiles:version"),
    "asset page": lambda plot: reverse("asset-detail", args=[plot.pk]),
    "popup": lambda plot: reverse("asset-popup", args=[plot.pk]),
    "search": lambda plot: reverse("asset-search") + "?q=荔枝湾",
    "ogc items": lambda plot: "/ogc/collections/green_plot/items",
}


def test_public_read_only_pages_read_the_replica_only(client, plot, subtests):
    """One committed data set for all pages (each transactional test costs a flush)."""
    for name, url in PUBLIC_READ_ONLY.items():
        with subtests.test(msg=name), Queries() as queries:
            response = client.get(url(plot))
            assert response.status_code == 200
            assert queries.on(REPLICA), "nothing was read from the replica"
            assert queries.on("default") == []


def test_the_tile_itself_is_drawn_on_the_replica(client, plot):
    cache.clear()  # drawn, not taken from the tile cache
    with Queries() as queries:
        response = client.get(reverse("tiles:tile", args=[16, 53452, 28510]))
    assert response.status_code == 200
    assert any("ST_AsMVT" in sql for sql in queries.on(REPLICA))


def test_staff_pages_the_api_and_writes_use_the_primary(client, plot):
    client.force_login(make_district_admin())
    with Queries() as queries:
        assert client.get("/staff/").status_code == 200
        assert client.get("/api/v1/assets/").status_code == 200
    assert queries.on("default") and queries.on(REPLICA) == []


def run_in_request(path, view, cookies=None):
    """Run ``view`` inside ReplicaRoutingMiddleware as if Django had resolved ``path`` to it."""
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)
    middleware = None

    def get_response(request):
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = ReplicaRoutingMiddleware(get_response)
    return middleware(request)


def test_after_a_write_the_request_reads_the_primary_and_stays_pinned_a_moment(plot):
    seen = {}

    def view(request):
        with Queries() as queries:
            Asset.objects.count()
            Asset.objects.filter(pk=plot.pk).update(name_en="Lizhiwan")
            Asset.objects.get(pk=plot.pk)
        seen["replica"], seen["default"] = queries.on(REPLICA), queries.on("default")
        return HttpResponse()

    response = run_in_request(reverse("asset-detail", args=[plot.pk]), view)
    assert len(seen["replica"]) == 1 and "COUNT" in seen["replica"][0]
    assert [sql.split()[0] for sql in seen["default"]] == ["UPDATE", "SELECT"]
    assert response.cookies[PIN_COOKIE]["max-age"] == 5

    def reads(request):
        with Queries() as queries:
            Asset.objects.count()
        seen["pinned"] = queries.on(REPLICA)
        return HttpResponse()

    run_in_request(reverse("asset-detail", args=[plot.pk]), reads, cookies={PIN_COOKIE: "1"})
    assert seen["pinned"] == []


def test_reads_inside_a_transaction_and_account_tables_use_the_primary(plot):
    def view(request):
        router = PrimaryReplicaRouter()
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Asset) == REPLICA
        assert router.db_for_read(get_user_model()) is None
        assert router.db_for_read(Session) is None
        with transaction.atomic():
            assert router.db_for_read(Asset) is None
        return HttpResponse()

    run_in_request(reverse("asset-detail", args=[plot.pk]), view)


def test_outside_a_request_everything_uses_the_primary(plot):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Asset) is None
    assert router.db_for_write(Asset) == "default"
    assert router.allow_migrate(REPLICA, "registry") is False
    with Queries() as queries:
        Asset.objects.count()
    assert queries.on(REPLICA) == []
