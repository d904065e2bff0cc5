"""While PostgreSQL cannot be reached (a restart, a failover), the public map keeps its cached tiles.

The database really is unreachable for the request: Django's connection is pointed at a port where
nothing listens, so connecting fails in the driver as it does during a restart.
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from tests.factories import GardenFactory, make_test_district


@contextmanager
def database_unreachable():
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


@pytest.fixture
def garden(transactional_db):
    cache.clear()
    make_test_district()
    yield GardenFactory()
    cache.clear()


def tile_url(z, x, y, version):
    return reverse("tiles:tile", kwargs={"z": z, "x": x, "y": y}) + f"?v={version}"


def test_a_cached_tile_of_the_url_s_version_is_served_without_the_database(garden, client):
    version = client.get(reverse("tiles:version")).json()["version"]
    cached = client.get(tile_url(14, 13345, 7109, version))
    assert cached.status_code == 200 and cached.content

    with database_unreachable():
        again = client.get(tile_url(14, 13345, 7109, version))
        assert again.status_code == 200
        assert again.content == cached.content and again["ETag"] == cached["ETag"]
        assert again["Cache-Control"] == "public, max-age=31536000, immutable"
        # A tile nobody asked for before needs the database: that error is not hidden.
        with pytest.raises(OperationalError):
            client.get(tile_url(14, 13346, 7109, version))

    assert client.get(tile_url(14, 13346, 7109, version)).status_code == 200  # back again
