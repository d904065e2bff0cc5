"""Hostile geometries: drawn in the admin's map widget and sent in an import file.

Self-intersecting, empty, a point for a plot, outside every street, in a foreign SRID, with NaN,
infinite or 1e308 coordinates, unparseable text, and a 100,000-vertex ring: each refused with a
message, the asset unchanged, nothing imported.
"""

import json
import math

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gardens.models import GreenPlot
from tests.hostile.html_forms import form_data

pytestmark = pytest.mark.django_db

LON, LAT = 113.2355, 23.1222  # inside street W of the test district


def ring(points):
    return [list(p) for p in points] + [list(points[0])]


def square(half=0.0003):
    return {"type": "Polygon", "coordinates": [ring([(LON - half, LAT - half), (LON + half, LAT - half),
                                                     (LON + half, LAT + half), (LON - half, LAT + half)])]}


def circle(vertices):
    return {"type": "Polygon", "coordinates": [ring([(LON + 0.001 * math.cos(2 * math.pi * i / vertices),
                                                      LAT + 0.001 * math.sin(2 * math.pi * i / vertices))
                                                     for i in range(vertices)])]}


def with_coordinates(value):
    return {"type": "Polygon", "coordinates": [[[value, LAT], [LON, value], [LON, LAT], [value, LAT]]]}


GEOMETRIES = {
    "self-intersecting": {"type": "Polygon", "coordinates": [ring([(LON - 0.001, LAT - 0.001),
                                                                   (LON + 0.001, LAT + 0.001),
                                                                   (LON + 0.001, LAT - 0.001),
                                                                   (LON - 0.001, LAT + 0.001)])]},
    "empty": {"type": "Polygon", "coordinates": []},
    "a point for a plot": {"type": "Point", "coordinates": [LON, LAT]},
    "outside every street": {"type": "Polygon", "coordinates": square()["coordinates"] and [
        ring([(100.0, 10.0), (100.001, 10.0), (100.001, 10.001)])]},
    "Web Mercator metres as degrees": {"type": "Polygon", "coordinates": [
        ring([(12605000.0, 2646000.0), (12605100.0, 2646000.0), (12605100.0, 2646100.0)])]},
    "NaN": with_coordinates(float("nan")),
    "infinity": with_coordinates(float("inf")),
    "1e308": with_coordinates(1e308),
    "unclosed ring": {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.001, LAT], [LON, LAT + 0.001]]]},
    "100,000 vertices": circle(100_000),
}
TEXTS = {
    "not JSON": "POLYGON((",
    "foreign SRID": "SRID=2154;POLYGON((650000 6860000, 650100 6860000, 650100 6860100, 650000 6860000))",
    "a collection of nothing": "GEOMETRYCOLLECTION EMPTY",
    "blank": "",
}


def admin_change(client, world):
    plot = world["plot"]
    client.force_login(world["admin"])
    url = f"/admin/gardens/greenplot/{plot.pk}/change/"
    data = form_data(client.get(url).content.decode(), "greenplot_form")
    assert "geometry" in data and "name_zh" in data
    return url, data


def test_the_admin_form_read_back_saves_unchanged(client, world):
    url, data = admin_change(client, world)
    data["geometry"] = [json.dumps(square())]
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.parametrize("label", list(GEOMETRIES) + list(TEXTS))
def test_hostile_geometries_in_the_admin_are_form_errors(client, guard, world, label):
    url, data = admin_change(client, world)
    before = GreenPlot.objects.get(pk=world["plot"].pk).geometry.wkb
    value = TEXTS[label] if label in TEXTS else json.dumps(GEOMETRIES[label])
    guard.before = guard.state()  # the admin page's first load is not part of the test
    response = client.post(url, {**data, "geometry": [value]}, HTTP_ACCEPT_LANGUAGE="en")
    # 100,000 vertices are a 4 MB body: Django's request size limit answers 400 before the form.
    guard.refused(response, form_error=label != "100,000 vertices")
    assert GreenPlot.objects.get(pk=world["plot"].pk).geometry.wkb == before


@pytest.mark.parametrize("label", GEOMETRIES)
def test_hostile_geometries_in_an_import_file_are_refused(client, guard, world, label, settings):
    # Checked in the request, whatever the file's size: a larger preview is a job (tests/dataio) that
    # runs the same checks, and queueing it is itself a recorded change.
    settings.DATAIO_PREVIEW_JOB_BYTES = 64 * 1024 * 1024
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name_zh": "坏绿地", "external_id": "BAD-1"},
         "geometry": GEOMETRIES[label]}]}
    upload = SimpleUploadedFile("plots.geojson", json.dumps(collection).encode())
    client.force_login(world["admin"])
    response = client.post("/staff/import/", {"step": "preview", "file": upload, "kind": "green_plot"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code < 500
    confirm = client.post("/staff/import/", {"step": "confirm", "token": (client.session.get("dataio-import") or {})
                                             .get("token", "none")}, HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code < 500
    guard.unchanged()
