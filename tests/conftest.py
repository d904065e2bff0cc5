import pytest
from django.core import signals
from django.db import close_old_connections
from django.utils import translation

from registry.map_version import forget_cached_version
from tests.factories import make_test_district


@pytest.fixture(autouse=True)
def english_messages():
    """Messages raised outside a request are compared in English; Chinese tests override it."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_map_version(settings):
    """The map version is read at every call in tests (a change shows at once) and no test inherits
    another's cached counter; tests of the in-process cache set MAP_VERSION_CACHE_SECONDS themselves."""
    settings.MAP_VERSION_CACHE_SECONDS = 0
    settings.TILE_SQL_CACHE_SECONDS = 0  # the tiles' compiled filters: streets get new ids in every test
    forget_cached_version()
    yield
    forget_cached_version()


@pytest.fixture
def district(db):
    """A two-street test district (see tests/factories.py for its exact boxes)."""
    return make_test_district()


@pytest.fixture
def keep_test_connection():
    """Requests sent through a WSGI handler (not the test Client) keep the test's database connection
    open at their end, as Django's test Client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
