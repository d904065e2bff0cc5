"""Exports of renovation projects: ``export_projects`` and ``/projects/export.<format>``, the list's filters,
public columns for the public, GeoPackage through ogr2ogr."""

import csv
import io
import json

import pytest
from django.contrib.gis.gdal import DataSource
from django.core.management import call_command

from projects import operations
from projects.phases import Phase
from registry.staffing import Role
from tests.factories import make_district_admin, make_staff
from tests.projects.conftest import EAST_POINT, make_project


@pytest.fixture
def projects(district):
    west = make_staff(Role.STREET_STAFF, username="west-export", streets=[district["W"]])
    garden = make_project(west, name="逢源花园", external_id="LW-1")
    operations.add_funding(actor=west, project=garden, source="district_budget", amount_planned="1234.50")
    operations.change_phase(actor=west, project=garden, phase=Phase.CONSTRUCTION)
    make_project(west, name="内部项目", is_public=False)
    east = make_staff(Role.STREET_STAFF, username="east-export", streets=[district["E"]])
    make_project(east, name="金花墙绘", where=EAST_POINT, kind="mural")
    make_district_admin("export-admin")
    return garden


def test_the_public_geojson_download_follows_the_list_filters(client, projects):
    response = client.get("/projects/export.geojson", {"street": "W"})
    data = json.loads(b"".join(response.streaming_content))
    assert response["Content-Disposition"].startswith('attachment; filename="liwan-projects-')
    assert [f["properties"]["name_zh"] for f in data["features"]] == ["逢源花园"]
    properties = data["features"][0]["properties"]
    assert (properties["phase"], properties["progress"], properties["funding_planned"]) == ("construction", 50.0,
                                                                                            "1234.50")
    assert "external_id" not in properties


def test_the_csv_download_has_wkt_and_the_phase_filter(client, projects):
    response = client.get("/projects/export.csv", {"phase": "proposal"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["name_zh"] for row in rows] == ["金花墙绘"] and rows[0]["wkt"].startswith("POINT")


def test_the_command_writes_a_geopackage_with_every_project_for_the_administrator(tmp_path, projects):
    out = tmp_path / "projects.gpkg"
    call_command("export_projects", str(out), "--format", "gpkg", "--user", "export-admin", verbosity=0)
    layer = DataSource(str(out))[0]
    assert layer.name == "projects" and len(layer) == 3
    assert "external_id" in layer.fields
    call_command("export_projects", str(out), "--format", "gpkg", "--public", verbosity=0)
    assert len(DataSource(str(out))[0]) == 2


def test_an_unknown_format_is_404(client, projects):
    assert client.get("/projects/export.shp").status_code == 404
