"""Street / community / grid assignment by containment, and reassignment when things move."""

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError

from gardens.models import GreenPlot
from registry.assets import Asset
from registry.geography import Grid, Street, update_boundaries
from tests.factories import EQUATOR, MIDDLE, NORTH, SOUTH, WEST, EAST, PaintedBoxFactory, box, square


def test_asset_gets_street_community_and_grid_of_its_location(district):
    box_asset = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    stored = Asset.objects.get(pk=box_asset.pk)
    assert (stored.street, stored.community, stored.grid) == (district["W"], district["W1"], district["W1S"])


def test_polygon_is_assigned_by_a_point_on_it_not_its_bounding_box(district):
    # An L-shaped plot mostly in the east street whose centroid would fall outside the shape.
    from django.contrib.gis.geos import Polygon
    l_shape = Polygon(((113.2395, 23.1280), (113.2480, 23.1280), (113.2480, 23.1285),
                       (113.2405, 23.1285), (113.2405, 23.1295), (113.2395, 23.1295), (113.2395, 23.1280)),
                      srid=4326)
    plot = GreenPlot.objects.create(name_zh="L形绿地", geometry=l_shape)
    assert plot.location.within(l_shape)
    assert plot.street == district["E"]
    assert plot.grid == district["E1N"]


def test_moving_an_asset_reassigns_it(district):
    box_asset = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    box_asset.geometry = Point(113.245, 23.128, srid=4326)
    box_asset.save()
    stored = Asset.objects.get(pk=box_asset.pk)
    assert (stored.street, stored.grid) == (district["E"], district["E1N"])


def test_moving_a_street_boundary_reassigns_the_assets_it_covers(district):
    near_middle = PaintedBoxFactory(geometry=Point(113.2385, 23.122, srid=4326))
    far_west = PaintedBoxFactory(geometry=Point(113.231, 23.122, srid=4326))
    assert near_middle.street == district["W"]

    # The east street grows 0.002° westwards; the west street shrinks accordingly.
    new_line = MIDDLE - 0.002
    west, east = district["W"], district["E"]
    west.boundary = box(WEST, SOUTH, new_line, NORTH)
    east.boundary = box(new_line, SOUTH, EAST, NORTH)
    update_boundaries(west, east)

    assert Asset.objects.get(pk=near_middle.pk).street == east
    assert Asset.objects.get(pk=far_west.pk).street == west


def test_moving_a_grid_boundary_reassigns_the_grid_only(district):
    asset = PaintedBoxFactory(geometry=Point(113.235, 23.1245, srid=4326))
    assert asset.grid == district["W1S"]
    south, north = district["W1S"], district["W1N"]
    north.boundary = box(WEST, EQUATOR - 0.001, MIDDLE, NORTH)
    north.save()
    stored = Asset.objects.get(pk=asset.pk)
    assert stored.grid == north
    assert stored.street == district["W"]
    assert south.pk != north.pk


def test_redrawing_one_side_of_a_shared_line_alone_is_refused_as_it_would_open_a_gap(district):
    asset = PaintedBoxFactory(geometry=Point(113.2385, 23.122, srid=4326))
    west = district["W"]
    west.boundary = box(WEST, SOUTH, MIDDLE - 0.002, NORTH)
    with pytest.raises(ValidationError):
        update_boundaries(west)
    assert Asset.objects.get(pk=asset.pk).street == west
    assert Street.objects.get(pk=west.pk).boundary.equals(box(WEST, SOUTH, MIDDLE, NORTH))


def test_boundary_change_that_would_strand_assets_is_refused_and_changes_nothing(district):
    asset = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    west = district["W"]
    west.boundary = box(WEST, EQUATOR, MIDDLE, NORTH)  # drops the southern half, where the asset is
    with pytest.raises(ValidationError) as excinfo:
        west.save()
    assert "1" in str(excinfo.value)
    assert Street.objects.get(pk=west.pk).boundary.equals(box(WEST, SOUTH, MIDDLE, NORTH))
    assert Asset.objects.get(pk=asset.pk).street == west


@pytest.mark.parametrize("where", [Point(113.300, 23.122, srid=4326), Point(0, 0, srid=4326)])
def test_asset_outside_the_district_is_refused_with_a_clear_message(district, where):
    with pytest.raises(ValidationError) as excinfo:
        PaintedBoxFactory(geometry=where)
    assert excinfo.value.message_dict["geometry"] == [
        "This location is outside the district: no street boundary covers it."
    ]
    assert not Asset.objects.exists()


def test_outside_message_is_in_chinese_by_default(district):
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as excinfo:
            GreenPlot(name_zh="区外", geometry=square(113.3, 23.122)).full_clean()
        assert "街道" in " ".join(excinfo.value.message_dict["geometry"])


def test_asset_on_a_street_without_community_keeps_street_but_no_grid(district):
    Grid.objects.filter(code="E1N").delete()
    asset = PaintedBoxFactory(geometry=Point(113.245, 23.128, srid=4326))
    assert asset.street == district["E"]
    assert asset.community == district["E1"]
    assert asset.grid is None
