"""The map version moves with every change the map shows; Web Mercator copies stay in step."""

import datetime

from django.contrib.gis.geos import Point
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adoption, AdoptionStatus
from registry.assets import Asset
from registry.map_version import current_map_version
from tests.factories import AdoptionFactory, GreenPlotFactory, PaintedBoxFactory


def test_creating_changing_and_deleting_assets_bumps_the_version(district):
    versions = [current_map_version()]
    box_asset = PaintedBoxFactory()
    versions.append(current_map_version())
    Asset.objects.filter(pk=box_asset.pk).update(status="retired")  # bulk updates count too
    versions.append(current_map_version())
    box_asset.delete()
    versions.append(current_map_version())
    assert len(set(versions)) == 4


def test_an_adoption_decision_bumps_the_version(district):
    plot = GreenPlotFactory()
    before = current_map_version()
    adoption = AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED,
                               period=DateRange(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)))
    middle = current_map_version()
    Adoption.objects.filter(pk=adoption.pk).update(status=AdoptionStatus.APPROVED)
    assert len({before, middle, current_map_version()}) == 3


def test_web_mercator_copies_follow_the_geometry(district):
    box_asset = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    box_asset.geometry = Point(113.245, 23.128, srid=4326)
    box_asset.save()
    stored = Asset.objects.get(pk=box_asset.pk)
    expected = Point(113.245, 23.128, srid=4326).transform(3857, clone=True)
    assert stored.location_webmercator.srid == 3857
    assert stored.location_webmercator.distance(expected) < 0.01
    assert stored.geometry_webmercator.distance(expected) < 0.01


def test_the_version_row_is_recreated_if_a_flush_removed_it(district):
    from registry.map_version import MapVersion

    MapVersion.objects.all().delete()
    PaintedBoxFactory()
    assert MapVersion.objects.get(pk=1).version >= 1


def test_the_version_is_read_through_a_short_in_process_cache(district, settings, django_assert_num_queries):
    settings.MAP_VERSION_CACHE_SECONDS = 2
    first = current_map_version()
    with django_assert_num_queries(0):  # every tile asks: one query per worker every two seconds at most
        assert current_map_version() == first
    PaintedBoxFactory()
    assert current_map_version() == first  # the change shows once the two seconds are over
    settings.MAP_VERSION_CACHE_SECONDS = 0
    assert current_map_version() != first
