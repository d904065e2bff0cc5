"""The GPX download validates against the GPX 1.1 schema; GDAL reads the GPX and the KML back and
finds one track (line) and a waypoint (point) per stop."""

from pathlib import Path

import pytest
from django.contrib.gis.gdal import DataSource
from django.urls import reverse
from lxml import etree

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("gpx-1.1.xsd"))))


@pytest.fixture
def gpx_file(client, route, tmp_path):
    response = client.get(reverse("route-gpx", args=[route.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/gpx+xml"
    path = tmp_path / "route.gpx"
    path.write_bytes(response.content)
    return path


def test_the_gpx_validates_against_the_gpx_1_1_schema(gpx_file):
    document = etree.parse(str(gpx_file))
    assert SCHEMA.validate(document), SCHEMA.error_log


def test_gdal_reads_one_track_and_a_waypoint_per_stop_from_the_gpx(gpx_file, stops):
    source = DataSource(str(gpx_file))
    waypoints, tracks = source["waypoints"], source["tracks"]
    assert len(waypoints) == len(stops) and len(tracks) == 1
    assert [feature.get("name") for feature in waypoints][0] == "1. 壁画1"  # the visitor's language: Chinese by default
    assert tracks[0].geom.geom_type.name == "MultiLineString"
    assert tracks[0].geom.point_count == len(stops)


def test_gdal_reads_the_kml(client, route, stops, tmp_path):
    response = client.get(reverse("route-kml", args=[route.pk]))
    path = tmp_path / "route.kml"
    path.write_bytes(response.content)
    layer = DataSource(str(path))[0]
    kinds = [feature.geom.geom_type.name for feature in layer]
    assert kinds.count("LineString") == 1 and kinds.count("Point") == len(stops)
