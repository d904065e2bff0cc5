"""The map page's HTML and the configuration it hands to the map script (static/js/map/) (the browser side: tests/browser)."""

import json
import re

import pytest
from django.urls import reverse

from registry.assets import AssetKind, AssetStatus

CONFIG = re.compile(r'<script id="map-config" type="application/json">(.*?)</script>', re.S)


def config_of(response) -> dict:
    return json.loads(CONFIG.search(response.content.decode()).group(1))


@pytest.fixture
def named_district(district):
    district["W"].name_en = "West Street"
    district["W"].save()
    return district


def test_the_map_is_the_home_page_in_chinese_by_default(client, named_district):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("map") == "/"
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    # Leaflet and VectorGrid from our static files; no inline executable script.
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet.vectorgrid/1.3.0/Leaflet.VectorGrid.bundled.min.js" in html
    assert html.index("Leaflet.VectorGrid.bundled.min.js") < html.index("js/vectorgrid-compat.js")
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag or 'type="application/json"' in tag for tag in scripts)
    assert not re.search(r"https?://(?!tile\.openstreetmap|webrd0|t\{s\}\.tianditu)", html.split("map-config")[1])

    config = config_of(response)
    assert [kind["id"] for kind in config["kinds"]] == list(AssetKind.values)
    assert len({kind["colour"] for kind in config["kinds"]}) == len(AssetKind.values)
    assert {kind["id"] for kind in config["kinds"] if kind["geometry"] == "polygon"} == {
        "garden", "green_plot", "heritage"}
    assert [status["id"] for status in config["statuses"]] == list(AssetStatus.values)
    assert config["tiles"]["url"] == "/tiles/{z}/{x}/{y}.pbf"
    assert config["tiles"]["version"] and config["tiles"]["versionUrl"] == "/tiles/version.json"
    assert config["popupUrl"] == "/assets/{id}/popup.json" and config["searchUrl"] == "/search.json"


def test_streets_and_communities_come_with_their_extent_in_the_visitors_language(client, named_district):
    zh = config_of(client.get("/"))
    en = config_of(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert [street["code"] for street in zh["streets"]] == ["E", "W"]
    west_zh, west_en = zh["streets"][1], en["streets"][1]
    assert (west_zh["name"], west_en["name"]) == ("W街道", "West Street")
    assert en["streets"][0]["name"] == "E街道"  # no English name: the Chinese one
    assert west_zh["bbox"] == [113.23, 23.12, 113.24, 23.13]
    assert west_zh["communities"] == [{"code": "W1", "name": "W一社区", "bbox": [113.23, 23.12, 113.24, 23.13]}]
    assert zh["view"]["extent"] == [113.23, 23.12, 113.25, 23.13]


def test_labels_and_strings_follow_the_language(client, named_district):
    en = config_of(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert en["strings"]["lookingForAdopter"] == "Looking for an adopter"
    assert "%(name)s" in en["strings"]["adoptedBy"]
    assert en["kinds"][0]["label"] == "neighbourhood garden"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html and "West Street" in html


def test_tianditu_is_offered_only_with_a_key_which_is_filled_in(client, named_district, settings):
    settings.TIANDITU_KEY = ""
    assert [basemap["id"] for basemap in config_of(client.get("/"))["basemaps"]] == ["osm", "gaode"]

    settings.TIANDITU_KEY = "abc123"
    basemaps = {basemap["id"]: basemap for basemap in config_of(client.get("/"))["basemaps"]}
    assert list(basemaps) == ["osm", "tianditu", "gaode"]
    assert basemaps["tianditu"]["url"].endswith("tk=abc123") and "{key}" not in basemaps["tianditu"]["url"]
    labels = basemaps["tianditu"]["labels_url"]
    assert labels.endswith("tk=abc123") and "LAYER=cva" in labels
    assert basemaps["gaode"]["datum"] == "gcj02" and basemaps["osm"]["datum"] == "wgs84"


def test_user_text_in_the_configuration_cannot_close_the_script_element(client, named_district):
    named_district["W"].name_en = "</script><script>alert(1)</script>"
    named_district["W"].save()
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "</script><script>alert(1)" not in html
    assert config_of(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))["streets"][1]["name"] == named_district["W"].name_en


def test_an_empty_registry_still_has_a_map(client, db):
    config = config_of(client.get("/"))
    assert config["streets"] == [] and config["view"]["extent"] is None
    assert config["view"]["center"] == [23.115, 113.235]
