"""Issue 13, item 6 (server side): ``/in-view.json``, the assets in the map's view that pass its filters,
nearest the middle first — the list keyboard users open popups from."""

from django.contrib.gis.geos import Point
from django.urls import reverse

from tests.factories import GreenPlotFactory, MuralFactory, PaintedBoxFactory, square

WEST_HALF = "113.230,23.120,113.240,23.130"


def in_view(client, **params):
    return client.get(reverse("assets-in-view"), params, HTTP_ACCEPT_LANGUAGE="en")


def test_lists_the_visible_assets_in_view_nearest_the_middle_first(client, district):
    middle = PaintedBoxFactory(name_zh="中间的电箱", geometry=Point(113.235, 23.125, srid=4326))
    edge = GreenPlotFactory(name_zh="边上的绿地", geometry=square(113.231, 23.121))
    MuralFactory(name_zh="东边的墙绘")  # 113.245: outside the view
    GreenPlotFactory(name_zh="未公开绿地", geometry=square(113.236, 23.126), is_public=False)
    response = in_view(client, bbox=WEST_HALF)
    assert response.status_code == 200
    data = response.json()
    assert [row["id"] for row in data["results"]] == [middle.pk, edge.pk] and data["more"] is False
    assert data["results"][0] == {"id": middle.pk, "name": "中间的电箱", "kind": "painted_box",
                                  "kind_label": "painted electrical box", "lat": 23.125, "lon": 113.235}


def test_the_maps_filters_apply(client, district):
    PaintedBoxFactory(geometry=Point(113.235, 23.125, srid=4326))
    plot = GreenPlotFactory(geometry=square(113.231, 23.121))
    data = in_view(client, bbox=WEST_HALF, kind="green_plot").json()
    assert [row["id"] for row in data["results"]] == [plot.pk]


def test_bad_boxes_and_filters_are_a_400_with_a_message(client, district):
    for bbox in ("", "1,2,3", "a,b,c,d", "113.24,23.12,113.23,23.13", "0,95,1,96"):
        response = in_view(client, bbox=bbox)
        assert response.status_code == 400 and "bbox" in response.json()["error"], bbox
    response = in_view(client, bbox=WEST_HALF, kind="castle")
    assert response.status_code == 400 and "castle" in response.json()["error"]
