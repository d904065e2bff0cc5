import datetime

import pytest
from django.contrib.gis.geos import Point

from elevators.models import StageEvent
from registry.staffing import Role
from tests.factories import ElevatorFactory, make_staff


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def make_retrofit(lon=113.245, lat=23.127, **fields):
    """A retrofit in the east street (default) with no stage events yet."""
    retrofit = ElevatorFactory(geometry=Point(lon, lat, srid=4326), **fields)
    StageEvent.objects.filter(retrofit=retrofit).delete()
    return retrofit


@pytest.fixture
def east_staff(district):
    return make_staff(Role.STREET_STAFF, streets=[district["E"]])


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, streets=[district["W"]])


@pytest.fixture
def retrofit(district):
    return make_retrofit(households=12)
