"""The cluster summary (registry.cluster_cells) equals an aggregation of the assets from scratch after
every kind of write, and the low-zoom cluster tiles read from it are the ones computed from the assets."""

import random

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from public.tiles.filters import TileFilters
from public.tiles.sql import compile_assets, compile_summary, render_tile
from registry.assets import Asset, AssetStatus
from tests.factories import EAST, NORTH, SOUTH, WEST, GreenPlotFactory, MuralFactory, PaintedBoxFactory, square
from tests.public.test_tiles import tile_at

FROM_SCRATCH = """
SELECT registry_cluster_cell_x(location_webmercator), registry_cluster_cell_y(location_webmercator),
       kind, status, is_public, street_id, community_id, grid_id,
       count(*), round(sum(ST_X(location_webmercator))::numeric, 3), round(sum(ST_Y(location_webmercator))::numeric, 3),
       min(id)
FROM registry_asset GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""
SUMMARY = """
SELECT cell_x, cell_y, kind, status, is_public, street_id, community_id, grid_id,
       count, round(sum_x::numeric, 3), round(sum_y::numeric, 3), min_id
FROM registry_clustercell ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
"""


def rows(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def assert_summary_is_fresh():
    expected = rows(FROM_SCRATCH)
    assert expected, "the test needs assets"
    assert rows(SUMMARY) == expected


def somewhere(rng):
    return rng.uniform(WEST + 0.0005, EAST - 0.0005), rng.uniform(SOUTH + 0.0005, NORTH - 0.0005)


@pytest.fixture
def scattered(district):
    """60 assets of three kinds spread over the test district (both streets), some not public."""
    rng = random.Random(21)
    made = []
    for n in range(60):
        lon, lat = somewhere(rng)
        factory = (PaintedBoxFactory, MuralFactory, GreenPlotFactory)[n % 3]
        geometry = square(lon, lat, 0.0001) if factory is GreenPlotFactory else Point(lon, lat, srid=4326)
        made.append(factory(geometry=geometry, is_public=n % 7 != 0,
                            status=AssetStatus.PLANNED if n % 5 == 0 else AssetStatus.IN_USE))
    return made


def test_the_migration_and_orm_writes_keep_the_summary(scattered):
    assert_summary_is_fresh()
    moved = scattered[0]
    moved.geometry = Point(EAST - 0.001, NORTH - 0.001, srid=4326)
    moved.save()
    assert_summary_is_fresh()
    scattered[1].delete()
    assert_summary_is_fresh()
    Asset.objects.filter(pk__in=[a.pk for a in scattered[2:20]]).update(status=AssetStatus.RETIRED)
    assert_summary_is_fresh()
    Asset.objects.filter(pk__in=[a.pk for a in scattered[20:30]]).update(is_public=False)
    assert_summary_is_fresh()
    Asset.objects.filter(pk__in=[a.pk for a in scattered[30:35]]).delete()
    assert_summary_is_fresh()


def test_raw_sql_bulk_insert_update_delete_keep_the_summary(scattered):
    columns = [f.column for f in Asset._meta.concrete_fields
               if f.column not in ("id", "geometry", "location", "external_id") and not f.generated]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        # A bulk copy of every asset, moved 150 m north-east (new cells and existing ones).
        cursor.execute(f"INSERT INTO registry_asset ({listed}, geometry, location) "
                       f"SELECT {listed}, ST_Translate(geometry, 0.0015, 0.0012), ST_Translate(location, 0.0015, 0.0012) "
                       f"FROM registry_asset")
        assert_summary_is_fresh()
        cursor.execute("UPDATE registry_asset SET location = ST_Translate(location, -0.0007, 0.0003), "
                       "geometry = ST_Translate(geometry, -0.0007, 0.0003) WHERE id % 3 = 0")
        assert_summary_is_fresh()
        cursor.execute("UPDATE registry_asset SET kind = 'mural', geometry = location "
                       "WHERE kind = 'painted_box' AND id % 2 = 0")
        assert_summary_is_fresh()
        cursor.execute("UPDATE registry_asset SET name_zh = name_zh || '（改）'")  # no cell changes
        assert_summary_is_fresh()
        # (the copies only: the originals have rows in their kind's table)
        cursor.execute("DELETE FROM registry_asset WHERE id %% 4 = 1 AND id > %s", [max(a.pk for a in scattered)])
        assert_summary_is_fresh()


def test_a_truncate_empties_the_summary(scattered):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending from the fixture's inserts
        cursor.execute("TRUNCATE registry_asset CASCADE")
    assert rows(SUMMARY) == []


def features(tile: bytes) -> dict:
    """Per layer, the features as (id, count, x, y) in tile units, sorted."""
    return {name: sorted((f["properties"]["id"], f["properties"].get("count"), *f["geometry"]["coordinates"])
                         for f in layer["features"])
            for name, layer in mapbox_vector_tile.decode(tile).items()}


@pytest.mark.parametrize("filters", [
    TileFilters(),
    TileFilters(kinds=("mural", "green_plot")),
    TileFilters(statuses=("planned",)),
    TileFilters(streets=("E",)),
    TileFilters(communities=("W1",)),
])
@pytest.mark.parametrize("zoom", [10, 12, 13])
def test_cluster_tiles_from_the_summary_are_those_from_the_assets(scattered, filters, zoom):
    from_assets = compile_assets(filters.assets(None))
    summary = compile_summary(filters.cells(None))
    tiles = {tile_at(lon, lat, zoom) for lon in (WEST, (WEST + EAST) / 2, EAST) for lat in (SOUTH, NORTH)}
    drawn = 0
    for z, x, y in sorted(tiles):
        live = features(render_tile(z, x, y, from_assets))
        summed = features(render_tile(z, x, y, from_assets, summary))
        assert summed.keys() == live.keys()
        for layer in live:
            # Same clusters (lowest id, count); same position, but for one tile unit of rounding.
            assert [f[:2] for f in summed[layer]] == [f[:2] for f in live[layer]]
            assert all(abs(a - b) <= 1 for s, v in zip(summed[layer], live[layer]) for a, b in zip(s[2:], v[2:]))
            drawn += sum(f[1] or 1 for f in live[layer])
    assert drawn > 0


def test_filters_the_summary_cannot_answer_fall_back_to_the_assets(district):
    assert TileFilters(looking=True).cells(None) is None
    assert TileFilters(checkin=True).cells(None) is None
    assert TileFilters().cells(None) is not None


def test_hidden_assets_stay_out_of_the_public_summary(district):
    hidden = PaintedBoxFactory(is_public=False)
    shown = PaintedBoxFactory()
    public = list(TileFilters().cells(None).values_list("min_id", "count"))
    assert public == [(shown.pk, 1)] and hidden.pk not in {pk for pk, _ in public}


@pytest.mark.parametrize("who", ["street staff of W", "grid worker of E1N", "district admin"])
def test_staff_see_in_the_summary_what_they_see_in_the_assets(scattered, district, who):
    """The visibility rule (registry.access.asset_scope) applies to the summary as to the assets."""
    from registry.staffing import Role
    from tests.factories import make_district_admin, make_staff

    user = {"street staff of W": lambda: make_staff(Role.STREET_STAFF, streets=[district["W"]]),
            "grid worker of E1N": lambda: make_staff(Role.GRID_WORKER, grids=[district["E1N"]]),
            "district admin": make_district_admin}[who]()
    filters = TileFilters()
    from_assets, summary = compile_assets(filters.assets(user)), compile_summary(filters.cells(user))
    z, x, y = tile_at((WEST + EAST) / 2, (SOUTH + NORTH) / 2, 12)
    live, summed = features(render_tile(z, x, y, from_assets)), features(render_tile(z, x, y, from_assets, summary))
    assert {k: [f[:2] for f in v] for k, v in summed.items()} == {k: [f[:2] for f in v] for k, v in live.items()}
    seen = sum(f[1] or 1 for layer in live.values() for f in layer)
    public = Asset.objects.filter(is_public=True).count()
    assert seen >= public and (seen > public) == (Asset.objects.count() > public)
