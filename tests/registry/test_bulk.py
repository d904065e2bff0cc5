"""registry.bulk.locate_in_bulk answers as registry.geography.covering() does, point by point."""

from django.contrib.gis.geos import Point
from django.db import transaction

from registry.bulk import locate_in_bulk
from registry.geography import LEVELS, Grid, covering
from tests.factories import EAST, EQUATOR, MIDDLE, NORTH, SOUTH, WEST, box

POINTS = [
    Point(113.235, 23.122),          # inside the west street, its south grid
    Point(113.245, 23.128),          # inside the east street, its north grid
    Point(MIDDLE, 23.122),           # on the line both streets share: the lowest code wins
    Point(113.235, EQUATOR),         # on the line both western grids share
    Point(WEST, SOUTH),              # the district's corner: covered (a boundary covers its edge)
    Point(113.236, 23.1215),         # inside the overlapping grid drawn below
    Point(EAST + 0.001, 23.125),     # outside every street
    Point(113.235, NORTH + 0.01),    # outside every street
]


def one_by_one(points):
    return [tuple(getattr(covering(area_model, point).first(), "pk", None) for _level, area_model in LEVELS)
            for point in points]


def test_locating_in_bulk_gives_what_covering_gives_for_each_point(district):
    # A grid drawn over part of W1S by mistake, with a lower code: where both cover, it wins.
    Grid.objects.create(code="A0", name_zh="重叠网格", community=district["W1"],
                        boundary=box(113.2355, 23.121, 113.237, 23.122))
    for point in POINTS:
        point.srid = 4326
    located = locate_in_bulk(POINTS)
    assert located == one_by_one(POINTS)
    assert located[2][0] == district["E"].pk  # "E" < "W"
    assert located[3][2] == district["W1N"].pk  # "W1N" < "W1S"
    assert located[5][2] == Grid.objects.get(code="A0").pk
    assert located[6] == (None, None, None)


def test_locating_twice_in_one_transaction_leaves_no_table_behind(district):
    points = [Point(113.235, 23.122, srid=4326)]
    with transaction.atomic():
        assert locate_in_bulk(points) == locate_in_bulk(points) == one_by_one(points)
    assert locate_in_bulk([]) == []
