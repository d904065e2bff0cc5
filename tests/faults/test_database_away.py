"""While PostgreSQL cannot be reached (a restart, a failover): the public map keeps its cached tiles,
and everything else answers 503 with Retry-After, in the user's language, rather than a 500.

The database really is unreachable for the request: Django's connection is pointed at a port where
nothing listens, so connecting fails in the driver as it does during a restart.
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse

from config.errors import RETRY_AFTER_SECONDS, server_error
from registry.map_version import forget_cached_version
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


def test_version_json_and_cached_tiles_of_the_current_version_answer_through_a_restart(garden, client, settings):
    """The map version is read through a short in-process cache; while the database is away the
    last one read stands in, so the map's own requests (version.json, then tiles with ?v=) answer."""
    settings.MAP_VERSION_CACHE_SECONDS = 2
    before = client.get(reverse("tiles:version")).json()
    cached = client.get(tile_url(14, 13345, 7109, before["version"]))
    plain = client.get(reverse("tiles:tile", kwargs={"z": 14, "x": 13345, "y": 7109}))  # no ?v=: the current one

    with database_unreachable():
        for cache_seconds in (2, 0):  # within the 2 s, then past them: the database is asked, and fails
            settings.MAP_VERSION_CACHE_SECONDS = cache_seconds
            during = client.get(reverse("tiles:version"))
            assert during.status_code == 200 and during.json() == before
            again = client.get(tile_url(14, 13345, 7109, before["version"]))
            assert again.status_code == 200 and again.content == cached.content
            without_v = client.get(reverse("tiles:tile", kwargs={"z": 14, "x": 13345, "y": 7109}))
            assert without_v.status_code == 200 and without_v.content == plain.content
        with pytest.raises(OperationalError):  # a tile never rendered still needs the database
            client.get(tile_url(14, 13346, 7109, before["version"]))

    assert client.get(reverse("tiles:version")).json() == before  # back again


def test_without_any_version_read_before_the_database_went_away_the_error_shows(garden, client):
    forget_cached_version()
    with database_unreachable():
        with pytest.raises(OperationalError):
            client.get(reverse("tiles:version"))


def test_pages_and_the_api_say_try_again_shortly_while_the_database_is_away(garden):
    client = Client(raise_request_exception=False)
    with database_unreachable():
        page = client.get(f"/assets/{garden.pk}/")  # Chinese by default
        english = client.get(f"/assets/{garden.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        api = client.get("/api/v1/assets/")
        tile = client.get(tile_url(14, 13346, 7109, "1-20260101"))
    assert page.status_code == english.status_code == api.status_code == tile.status_code == 503
    assert page["Retry-After"] == api["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "数据库暂时无法连接" in page.content.decode()
    assert "database cannot be reached" in english.content.decode()
    assert "数据库暂时无法连接" in api.json()["detail"] and "detail" in tile.json()
    assert client.get(f"/assets/{garden.pk}/").status_code == 200  # back again


def test_other_errors_stay_500s_without_retry_after():
    request = RequestFactory().get("/assets/1/")
    try:
        raise ValueError("a bug")
    except ValueError:  # Django calls handler500 while handling the error, as here
        response = server_error(request)
    assert response.status_code == 500 and "Retry-After" not in response
