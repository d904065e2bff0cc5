"""factory_boy factories shared by the whole suite.

Geography: :func:`make_test_district` lays out a small two-street district near Fengyuan so
that containment tests can reason about exact boxes.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adopter, AdopterKind, Adoption, AdoptionStatus
from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox
from heritage.models import HeritageBuilding, Mural, ProtectionLevel
from registry.geography import Community, District, Grid, Street
from retrofits.models import ElevatorRetrofit

# The test district spans 113.230–113.250 E, 23.120–23.130 N. Street WEST is its western half,
# street EAST its eastern half; each street is one community, split north/south into two grids.
WEST, MIDDLE, EAST = 113.230, 113.240, 113.250
SOUTH, EQUATOR, NORTH = 23.120, 23.125, 23.130


def box(x0, y0, x1, y1) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x0, y0, x1, y1)), srid=4326)


def square(lon, lat, half_side=0.0002) -> Polygon:
    polygon = Polygon.from_bbox((lon - half_side, lat - half_side, lon + half_side, lat + half_side))
    polygon.srid = 4326
    return polygon


def make_test_district():
    district = District.objects.create(code="T", name_zh="测试区", boundary=box(WEST, SOUTH, EAST, NORTH))
    areas = {"district": district}
    for code, (x0, x1) in {"W": (WEST, MIDDLE), "E": (MIDDLE, EAST)}.items():
        street = Street.objects.create(code=code, name_zh=f"{code}街道", district=district,
                                       boundary=box(x0, SOUTH, x1, NORTH))
        community = Community.objects.create(code=f"{code}1", name_zh=f"{code}一社区", street=street,
                                             boundary=box(x0, SOUTH, x1, NORTH))
        south = Grid.objects.create(code=f"{code}1S", name_zh=f"{code}南网格", community=community,
                                    boundary=box(x0, SOUTH, x1, EQUATOR))
        north = Grid.objects.create(code=f"{code}1N", name_zh=f"{code}北网格", community=community,
                                    boundary=box(x0, EQUATOR, x1, NORTH))
        areas.update({code: street, f"{code}1": community, f"{code}1S": south, f"{code}1N": north})
    return areas


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")


def make_staff(role, *, username=None, streets=(), communities=(), grids=(), can_reveal_mobile=False):
    """A user with a StaffAssignment (role from registry.staffing.Role) over the given areas."""
    from registry.staffing import StaffAssignment

    user = UserFactory(**({"username": username} if username else {}))
    assignment = StaffAssignment.objects.create(user=user, role=role, can_reveal_mobile=can_reveal_mobile)
    assignment.streets.set(streets)
    assignment.communities.set(communities)
    assignment.grids.set(grids)
    return user


def make_district_admin(username=None):
    from registry.staffing import Role

    return make_staff(Role.DISTRICT_ADMIN, username=username)


class AssetFactoryBase(factory.django.DjangoModelFactory):
    name_zh = factory.Sequence(lambda n: f"测试资产{n}")


class GreenPlotFactory(AssetFactoryBase):
    class Meta:
        model = GreenPlot

    geometry = factory.LazyFunction(lambda: square(113.235, 23.122))


class GardenFactory(AssetFactoryBase):
    class Meta:
        model = NeighbourhoodGarden

    geometry = factory.LazyFunction(lambda: square(113.235, 23.122))
    theme = "岭南花园"


class PaintedBoxFactory(AssetFactoryBase):
    class Meta:
        model = PaintedElectricalBox

    geometry = factory.LazyFunction(lambda: Point(113.235, 23.122, srid=4326))


class MuralFactory(AssetFactoryBase):
    class Meta:
        model = Mural

    geometry = factory.LazyFunction(lambda: Point(113.245, 23.127, srid=4326))


class HeritageFactory(AssetFactoryBase):
    class Meta:
        model = HeritageBuilding

    geometry = factory.LazyFunction(lambda: square(113.245, 23.127))
    protection_level = ProtectionLevel.HISTORIC


class ElevatorFactory(AssetFactoryBase):
    class Meta:
        model = ElevatorRetrofit

    geometry = factory.LazyFunction(lambda: Point(113.245, 23.127, srid=4326))


class AdopterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adopter

    kind = AdopterKind.VOLUNTEER
    display_name = factory.Sequence(lambda n: f"志愿者{n}")
    contact_person = "陈小明"
    mobile = "13812345678"


class AdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adoption

    adopter = factory.SubFactory(AdopterFactory)
    asset = factory.SubFactory(GreenPlotFactory)
    period = DateRange(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))
    status = AdoptionStatus.APPROVED
