"""OGC API – Features at /ogc/: documents, paging, bbox, bad parameters, scoping, and GDAL's OAPIF driver."""

import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point

from dataio.ogc.params import MAX_LIMIT
from registry.assets import AssetKind
from registry.staffing import Role
from tests.dataio.test_export import make_every_kind
from tests.factories import PaintedBoxFactory, make_staff


@pytest.fixture
def boxes(district):
    """Five public painted boxes along street W (west to east), and a private one."""
    public = [PaintedBoxFactory(name_zh=f"电箱{i}", geometry=Point(113.231 + i * 0.001, 23.122, srid=4326))
              for i in range(5)]
    hidden = PaintedBoxFactory(name_zh="内部电箱", is_public=False, external_id="SECRET-1")
    return public, hidden


@pytest.mark.django_db
def test_landing_conformance_and_collections(client, district):
    landing = client.get("/ogc/").json()
    rels = {link["rel"]: link["href"] for link in landing["links"]}
    assert rels["conformance"].endswith("/ogc/conformance") and rels["data"].endswith("/ogc/collections")
    assert rels["service-desc"].endswith("/api/schema/")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in client.get("/ogc/conformance").json()[
        "conformsTo"]
    collections = client.get("/ogc/collections?f=json").json()["collections"]
    assert [c["id"] for c in collections] == [*AssetKind.values, "projects", "routes"]  # the kinds, the programmes
    items_link = next(link for link in collections[0]["links"] if link["rel"] == "items")
    assert items_link["type"] == "application/geo+json" and items_link["href"].endswith("/ogc/collections/garden/items")


@pytest.mark.django_db
def test_items_paging_counts_and_links(client, boxes):
    first = client.get("/ogc/collections/painted_box/items?limit=2")
    assert first["Content-Type"] == "application/geo+json"
    page = first.json()
    assert (page["numberMatched"], page["numberReturned"]) == (5, 2)
    assert [f["properties"]["name_zh"] for f in page["features"]] == ["电箱0", "电箱1"]
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert "prev" not in links and "offset=2" in links["next"] and "limit=2" in links["next"]
    last = client.get("/ogc/collections/painted_box/items?limit=2&offset=4").json()
    last_links = {link["rel"]: link["href"] for link in last["links"]}
    assert last["numberReturned"] == 1 and "next" not in last_links and "offset=2" in last_links["prev"]
    one = client.get(f"/ogc/collections/painted_box/items/{boxes[0][0].pk}").json()
    assert one["id"] == boxes[0][0].pk and one["geometry"]["coordinates"] == [113.231, 23.122]


@pytest.mark.django_db
def test_bbox_filters_and_a_large_limit_is_clamped(client, boxes):
    page = client.get("/ogc/collections/painted_box/items?bbox=113.2305,23.12,113.2325,23.13").json()
    assert [f["properties"]["name_zh"] for f in page["features"]] == ["电箱0", "电箱1"]
    clamped = client.get(f"/ogc/collections/painted_box/items?limit={MAX_LIMIT * 10}&offset=1")
    assert clamped.status_code == 200 and clamped.json()["numberReturned"] == 4
    previous = next(link["href"] for link in clamped.json()["links"] if link["rel"] == "prev")
    assert parse_qs(urlsplit(previous).query)["limit"] == [str(MAX_LIMIT)]  # served as the maximum, not refused


@pytest.mark.django_db
@pytest.mark.parametrize("query, message", [
    ("bbox=abc", "four numbers"), ("bbox=1,2,3", "four numbers"), ("bbox=114,23,113,24", "west to east"),
    ("bbox=nan,1,2,3", "four numbers"), ("limit=0", "at least 1"), ("limit=ten", "at least 1"),
    ("offset=-1", "from 0 to"), ("offset=99999999999999999999", "from 0 to"), ("colour=red", "Unknown query parameter"),
    ("f=html", "Only JSON"), ("bbox-crs=http://www.opengis.net/def/crs/EPSG/0/4547", "Only bbox-crs"),
])
def test_bad_parameters_are_400_with_a_message(client, boxes, query, message):
    response = client.get(f"/ogc/collections/painted_box/items?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameterValue" and message in response.json()["description"]


@pytest.mark.django_db
def test_unknown_collections_and_features_are_json_404(client, boxes):
    hidden = boxes[1]
    for url in ("/ogc/collections/parks", "/ogc/collections/parks/items", f"/ogc/collections/painted_box/items/{hidden.pk}",
                "/ogc/collections/painted_box/items/abc", "/ogc/collections/mural/items/" + str(boxes[0][0].pk)):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["code"] == "NotFound", url


@pytest.mark.django_db
def test_anonymous_clients_see_public_assets_and_columns_staff_see_their_scope(client, boxes, district):
    anonymous = client.get("/ogc/collections/painted_box/items").json()
    assert anonymous["numberMatched"] == 5 and "external_id" not in anonymous["features"][0]["properties"]
    client.force_login(make_staff(Role.STREET_STAFF, streets=[district["W"]]))
    staff = client.get("/ogc/collections/painted_box/items").json()
    assert staff["numberMatched"] == 6 and "SECRET-1" in {f["properties"]["external_id"] for f in staff["features"]}


def ogrinfo(*arguments) -> str:
    result = subprocess.run(["ogrinfo", "-ro", *arguments], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "GDAL_HTTP_TIMEOUT": "30", "CPL_VSIL_CURL_USE_HEAD": "NO"})
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_gdal_oapif_driver_lists_every_collection_and_reads_every_feature(live_server, district):
    make_every_kind()
    PaintedBoxFactory.create_batch(4)
    expected = {"garden": 1, "green_plot": 0, "painted_box": 5, "mural": 2, "heritage": 1, "elevator": 1,
                "projects": 0, "routes": 0}
    url = f"OAPIF:{live_server.url}/ogc/"

    summary = ogrinfo("-so", "-al", url)
    counts = dict(re.findall(r"Layer name: (\w+).*?Feature Count: (\d+)", summary, flags=re.S))
    assert {name: int(count) for name, count in counts.items()} == expected

    # Reading every feature with a page size of 2 makes GDAL follow the "next" links.
    full = ogrinfo("-oo", "PAGE_SIZE=2", "-al", "-q", url)
    read = {}
    for layer in re.split(r"\nLayer name: ", "\n" + full)[1:]:
        read[layer.split("\n", 1)[0].strip()] = layer.count("OGRFeature(")
    assert read == expected
    assert "恩宁花园" in full and "MULTIPOLYGON" in full
