"""Downloads of the map's selection from the web: the map's filters, the visitor's scope, public columns."""

import io
import json
import zipfile

import pytest

from registry.staffing import Role
from tests.dataio.test_export import make_every_kind
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def features(response) -> list[dict]:
    return json.loads(b"".join(response.streaming_content))["features"]


def test_anonymous_download_holds_public_assets_and_columns_only(client, district):
    make_every_kind()
    response = client.get("/export.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"].startswith('attachment; filename="liwan-assets-')
    found = features(response)
    assert "P-1" not in json.dumps(found) and len(found) == 6  # the green plot is not public
    assert all("external_id" not in f["properties"] and "is_public" not in f["properties"] for f in found)


def test_download_uses_the_map_filters(client, district):
    make_every_kind()
    found = features(client.get("/export.geojson?kind=mural,painted_box&street=E"))
    assert sorted(f["properties"]["name_zh"] for f in found) == ["鸡公榄墙", "龙舟墙"]  # the box is in W
    assert client.get("/export.geojson?status=lost").status_code == 400
    response = client.get("/export.geojson?street=NOWHERE", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Unknown street code: NOWHERE" in response.content.decode()
    assert client.get("/export.xlsx").status_code == 404


def test_staff_download_their_scope_with_internal_columns(client, district):
    make_every_kind()
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    client.force_login(staff)
    found = features(client.get("/export.geojson?kind=green_plot"))
    assert [f["properties"]["external_id"] for f in found] == ["P-1"]
    assert "no-store" in client.get("/export.csv")["Cache-Control"]


def test_a_selection_too_big_for_one_request_is_refused_per_format(client, district, monkeypatch):
    make_every_kind()  # six public assets
    monkeypatch.setattr("dataio.web.downloads.MAX_DOWNLOAD",
                        {"geojson": 6, "csv": 6, "osm": 6, "gpkg": 5, "shp": 5})
    assert client.get("/export.geojson").status_code == 200
    refused = client.get("/export.gpkg", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "holds 6 assets; narrow it to at most 5 for this format" in refused.content.decode()
    assert "manage.py export_assets" in refused.content.decode()
    assert client.get("/export.gpkg?kind=mural").status_code == 200  # narrowed


def test_geopackage_and_shapefile_downloads(client, district):
    make_every_kind()
    shp = client.get("/export.shp?kind=heritage")
    assert shp.status_code == 200 and shp["Content-Type"] == "application/zip"
    assert "assets.shp" in zipfile.ZipFile(io.BytesIO(b"".join(shp.streaming_content))).namelist()
    gpkg = client.get("/export.gpkg")
    assert b"".join(gpkg.streaming_content).startswith(b"SQLite format 3")


def test_file_format_downloads_are_rate_limited_per_ip(client, district, settings):
    from django.core.cache import cache

    cache.clear()
    # ten an hour: the ten downloads below fall in one counting window however slow the machine is
    # (django-ratelimit counts per fixed window; a minute's could end half-way through them)
    settings.DATAIO_FILE_DOWNLOAD_RATE = "10/h"
    for _ in range(10):
        assert client.get("/export.gpkg?kind=elevator").status_code == 200
    assert client.get("/export.gpkg?kind=elevator").status_code == 429
    assert client.get("/export.geojson").status_code == 200  # text formats stream and are not limited
    cache.clear()
