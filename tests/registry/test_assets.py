"""The common asset table: geometry rules with their messages, area, representative point, kinds."""

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Point, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox
from heritage.models import HeritageBuilding, Mural
from registry.assets import Asset, AssetKind
from retrofits.models import ElevatorRetrofit
from tests.factories import (
    ElevatorFactory, GardenFactory, GreenPlotFactory, HeritageFactory, MuralFactory, PaintedBoxFactory, square,
)

# A 40 m × 25 m plot near Fengyuan, expressed in EPSG:4547 metres and brought back to 4326,
# so the true planar area is known exactly.
def _rectangle_of_known_area():
    origin = Point(113.235, 23.122, srid=4326).transform(4547, clone=True)
    x, y = origin.x, origin.y
    plot = Polygon(((x, y), (x + 40, y), (x + 40, y + 25), (x, y + 25), (x, y)), srid=4547)
    return plot.transform(4326, clone=True)


def test_area_is_within_half_a_percent_of_postgis_geodesic_area(district):
    plot = GreenPlotFactory(geometry=_rectangle_of_known_area())
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geometry::geography) FROM registry_asset WHERE id = %s", [plot.pk])
        geodesic = cursor.fetchone()[0]
    assert abs(plot.area_m2 - geodesic) / geodesic < 0.005
    assert plot.area_m2 == pytest.approx(1000, rel=0.005)


def test_area_of_a_large_irregular_garden_matches_geodesic_reference(district):
    garden_shape = Polygon(((113.2310, 23.1210), (113.2380, 23.1205), (113.2395, 23.1270),
                            (113.2350, 23.1290), (113.2320, 23.1260), (113.2310, 23.1210)), srid=4326)
    garden = GardenFactory(geometry=garden_shape)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(%s::geography)", [garden_shape.ewkt])
        geodesic = cursor.fetchone()[0]
    assert abs(garden.area_m2 - geodesic) / geodesic < 0.005


def test_points_and_lines_have_no_area_and_their_point_is_on_them(district):
    box_asset = PaintedBoxFactory()
    wall = MuralFactory(geometry=LineString((113.2440, 23.1270), (113.2446, 23.1272), srid=4326))
    assert box_asset.area_m2 is None and wall.area_m2 is None
    assert box_asset.location.equals(box_asset.geometry)
    assert wall.geometry.distance(wall.location) < 1e-9


def test_multipolygon_heritage_footprint_is_accepted(district):
    footprint = MultiPolygon(square(113.245, 23.127), square(113.2455, 23.1275, 0.0001), srid=4326)
    building = HeritageFactory(geometry=footprint)
    assert building.area_m2 > 0
    assert building.street == district["E"]


@pytest.mark.parametrize(
    "geometry, code, words",
    [
        (Polygon(((113.235, 23.121), (113.236, 23.122), (113.236, 23.121), (113.235, 23.122), (113.235, 23.121)),
                 srid=4326), "geometry_self_intersection", "crosses itself"),
        (GEOSGeometry("POLYGON EMPTY", srid=4326), "geometry_empty", "empty"),
        (square(113.235, 23.122).transform(3857, clone=True), "geometry_wrong_srid", "EPSG:3857"),
        (Point(113.235, 23.122, srid=4326), "geometry_wrong_type", "polygon"),
    ],
    ids=["self-intersecting", "empty", "wrong-srid", "point-for-plot"],
)
def test_bad_geometry_is_refused_with_a_message_saying_what_is_wrong(district, geometry, code, words):
    plot = GreenPlot(name_zh="坏绿地", geometry=geometry)
    with pytest.raises(ValidationError) as excinfo:
        plot.full_clean()
    (error,) = excinfo.value.error_dict["geometry"]
    assert error.code == code
    assert words in " ".join(excinfo.value.message_dict["geometry"])
    with pytest.raises(ValidationError):
        plot.save()
    assert not Asset.objects.exists()


def test_missing_geometry_is_reported_once_by_the_form_and_refused_on_save(district):
    plot = GreenPlot(name_zh="无位置")
    with pytest.raises(ValidationError) as excinfo:
        plot.full_clean()
    assert [e.code for e in excinfo.value.error_dict["geometry"]] == ["null"]
    with pytest.raises(ValidationError) as excinfo:
        plot.save()
    assert [e.code for e in excinfo.value.error_dict["geometry"]] == ["geometry_missing"]
    assert not Asset.objects.exists()


def test_database_itself_refuses_an_invalid_geometry(district):
    plot = GreenPlotFactory()
    bow_tie = "SRID=4326;POLYGON((113.235 23.121,113.236 23.122,113.236 23.121,113.235 23.122,113.235 23.121))"
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_asset SET geometry = %s WHERE id = %s", [bow_tie, plot.pk])


def test_geometry_without_srid_is_taken_as_wgs84(district):
    plot = GreenPlot.objects.create(name_zh="无SRID", geometry=Polygon.from_bbox((113.234, 23.121, 113.235, 23.122)))
    assert plot.geometry.srid == 4326
    assert plot.street == district["W"]


@pytest.mark.parametrize(
    "factory, model, kind",
    [
        (GardenFactory, NeighbourhoodGarden, AssetKind.GARDEN),
        (GreenPlotFactory, GreenPlot, AssetKind.GREEN_PLOT),
        (PaintedBoxFactory, PaintedElectricalBox, AssetKind.PAINTED_BOX),
        (MuralFactory, Mural, AssetKind.MURAL),
        (HeritageFactory, HeritageBuilding, AssetKind.HERITAGE),
        (ElevatorFactory, ElevatorRetrofit, AssetKind.ELEVATOR),
    ],
)
def test_each_kind_is_one_row_in_the_common_table_and_knows_its_specific_row(district, factory, model, kind):
    made = factory()
    common = Asset.objects.get(pk=made.pk)
    assert common.kind == kind
    assert isinstance(common.specific, model)
    assert Asset.kind_models[kind] is model


def test_green_plots_are_adoptable_by_default_and_other_kinds_are_not(district):
    assert GreenPlotFactory().is_adoptable
    assert not PaintedBoxFactory().is_adoptable
