"""Fixtures of the route tests: three murals and a garden in the test district and a published route."""

import pytest
from django.contrib.gis.geos import Point

from registry.staffing import Role
from routes.operations import StopInput, save_route
from tests.factories import GardenFactory, MuralFactory, make_district_admin, make_staff, square

#: Along the equator of the test district, west to east (streets W then E), about 300 m apart.
STOP_POINTS = [(113.236, 23.125), (113.239, 23.125), (113.242, 23.125)]


@pytest.fixture
def admin(district):
    return make_district_admin("district")


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])


@pytest.fixture
def stops(district):
    murals = [MuralFactory(name_zh=f"壁画{n}", name_en=f"Mural {n}", geometry=Point(*point, srid=4326))
              for n, point in enumerate(STOP_POINTS, start=1)]
    garden = GardenFactory(name_zh="口袋花园", geometry=square(113.244, 23.126))
    return [*murals, garden]


@pytest.fixture
def route(admin, stops):
    saved = save_route(actor=admin, values={"name_zh": "西关壁画之旅", "name_en": "Xiguan murals walk",
                                            "theme": "murals", "is_published": True},
                       stops=[StopInput(asset.pk, note=f"note {n}") for n, asset in enumerate(stops, start=1)])
    return saved.route
