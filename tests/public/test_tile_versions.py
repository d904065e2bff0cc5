"""A write makes stale only the tiles over it (issue 21): whatever the path (ORM, import, raw SQL,
boundary change, an adoption decided), the tiles of the rest of the map keep their URL, their ETag and
their cached bytes, while every tile over the write, at every zoom, gets a new version and new content."""

import datetime

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import AdoptionStatus
from adoption.operations import approve_adoption
from dataio.operations import import_assets
from registry.assets import Asset
from registry.geography import update_boundaries
from registry.map_version import MapVersion, block_range, tile_version
from tests.dataio.files import feature, point, write_geojson
from tests.factories import (
    EAST,
    MIDDLE,
    NORTH,
    SOUTH,
    WEST,
    AdoptionFactory,
    GreenPlotFactory,
    PaintedBoxFactory,
    box,
    make_district_admin,
    square,
)
from tests.public.test_tiles import tile_at

# Three places two zoom-16 tiles apart (x = 53380, 53382, 53384), so that no tile's margin reaches another
# spot's block: in the far west of street W, just east of the W/E line, in the east of street E.
WEST_SPOT, LINE_SPOT, EAST_SPOT = (113.2303, 23.1220), (113.2412, 23.1250), (113.2475, 23.1280)
#: The zooms checked over the write: detail (16, 14) and clusters (13, 12, 10).
ZOOMS_OVER_THE_WRITE = (16, 14, 13, 12, 10)


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    MapVersion.objects.get_or_create(pk=1)
    yield
    cache.clear()


@pytest.fixture
def spots(district):
    """An asset at each spot."""
    return {name: PaintedBoxFactory(name_zh=f"{name}电箱", geometry=Point(*where, srid=4326))
            for name, where in (("west", WEST_SPOT), ("line", LINE_SPOT), ("east", EAST_SPOT))}


def fetch(client, tile):
    """(URL the map script would use, ETag, bytes, whether the tile SQL ran) of ``tile`` now."""
    url = reverse("tiles:tile", kwargs=dict(zip("zxy", tile))) + f"?v={tile_version(*tile)}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    drawn = any("ST_AsMVT" in query["sql"] for query in queries.captured_queries)
    return url, response["ETag"], response.content, drawn


def ids(content) -> set[int]:
    return {f["properties"]["id"] for layer in mapbox_vector_tile.decode(content).values()
            for f in layer["features"]}


def assert_only_tiles_over(client, write, changed_spot, kept_spots):
    """Fetch the tiles over every spot, ``write()``, fetch again: the kept spots' zoom-16 tiles are the
    same URL, ETag and bytes, served from the cache; the changed spot's tiles are new at every zoom."""
    kept = [tile_at(*spot, 16) for spot in kept_spots]
    changed = [tile_at(*changed_spot, z) for z in ZOOMS_OVER_THE_WRITE]
    before = {tile: fetch(client, tile) for tile in kept + changed}
    write()
    for tile in kept:
        url, etag, content, drawn = fetch(client, tile)
        assert (url, etag, content) == before[tile][:3], tile
        assert not drawn, f"{tile} was drawn again"
    for tile in changed:
        url, etag, content, drawn = fetch(client, tile)
        assert url != before[tile][0] and etag != before[tile][1], tile
        assert drawn, f"{tile} came from the cache"
    return before


def test_the_block_range_covers_the_tile_and_its_margin():
    assert block_range(16, 100, 200) == (99, 101, 199, 201)
    assert block_range(14, 10, 20) == (39, 44, 79, 84)  # 4 blocks per side and a quarter block each way
    assert block_range(18, 400, 800) == (99, 100, 199, 200)


def test_an_edit_in_one_street_leaves_the_other_streets_tiles_cached(spots, client):
    def rename():
        spots["east"].name_zh = "新名字"
        spots["east"].save()

    assert_only_tiles_over(client, rename, EAST_SPOT, [WEST_SPOT, LINE_SPOT])
    # The name is the popup's, not the tile's; the tile over it is drawn again all the same (any change
    # of the asset's row counts: the filters and the visibility rule read several columns).
    assert spots["east"].pk in ids(fetch(client, tile_at(*EAST_SPOT, 16))[2])


def test_a_move_makes_the_tiles_under_the_old_and_the_new_place_new(spots, client):
    old_tile, new_tile = tile_at(*EAST_SPOT, 16), tile_at(*LINE_SPOT, 16)
    before = {tile: fetch(client, tile) for tile in (old_tile, new_tile)}

    def move():
        spots["east"].geometry = Point(*LINE_SPOT, srid=4326)
        spots["east"].save()

    assert_only_tiles_over(client, move, LINE_SPOT, [WEST_SPOT])
    assert fetch(client, old_tile)[1] != before[old_tile][1]
    assert spots["east"].pk not in ids(fetch(client, old_tile)[2])
    assert spots["east"].pk in ids(fetch(client, new_tile)[2])


def test_an_import_does_the_same(spots, client, tmp_path):
    admin = make_district_admin()
    path = write_geojson(tmp_path / "boxes.geojson", [feature(point(*EAST_SPOT), external_id="IMP1", name_zh="导入电箱")])

    assert_only_tiles_over(client, lambda: import_assets(actor=admin, path=path, kind="painted_box"),
                           EAST_SPOT, [WEST_SPOT, LINE_SPOT])
    assert Asset.objects.get(external_id="IMP1").pk in ids(fetch(client, tile_at(*EAST_SPOT, 16))[2])


def test_a_raw_sql_update_does_the_same(spots, client):
    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE registry_asset SET status = 'retired' WHERE id = %s", [spots["east"].pk])

    assert_only_tiles_over(client, raw_update, EAST_SPOT, [WEST_SPOT, LINE_SPOT])


def test_a_boundary_change_does_the_same(spots, district, client):
    """The W/E line moves east past LINE_SPOT: that asset changes street (both streets' assets are
    rewritten by the reassignment, but only the one whose street changed stamps its blocks)."""
    line = 113.2420

    def move_the_line():
        district["W"].boundary = box(WEST, SOUTH, line, NORTH)
        district["E"].boundary = box(line, SOUTH, EAST, NORTH)
        update_boundaries(district["W"], district["E"])

    assert spots["line"].street == district["E"]
    assert_only_tiles_over(client, move_the_line, LINE_SPOT, [WEST_SPOT, EAST_SPOT])
    assert Asset.objects.get(pk=spots["line"].pk).street == district["W"]
    # The test district's line was at MIDDLE: the spot was east of it.
    assert LINE_SPOT[0] > MIDDLE


def test_an_adoption_decision_refreshes_only_the_tiles_over_its_asset(spots, district, client):
    plot = GreenPlotFactory(name_zh="待认养绿地", geometry=square(*EAST_SPOT), is_adoptable=True)
    today = datetime.date.today()
    adoption = AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED,
                               period=DateRange(today - datetime.timedelta(days=1), today + datetime.timedelta(days=300)))
    looking = {"looking": "1"}  # adoptable with no adopter: what the map shows of adoption

    def looking_ids(tile):
        url = reverse("tiles:tile", kwargs=dict(zip("zxy", tile)))
        response = client.get(url, {"v": tile_version(*tile), **looking})
        assert response.status_code == 200
        return {f["properties"]["id"] for layer in mapbox_vector_tile.decode(response.content).values()
                for f in layer["features"]}

    tile = tile_at(*EAST_SPOT, 16)
    assert plot.pk in looking_ids(tile)
    assert_only_tiles_over(client, lambda: approve_adoption(actor=make_district_admin(), adoption=adoption),
                           EAST_SPOT, [WEST_SPOT, LINE_SPOT])
    assert plot.pk not in looking_ids(tile)


def test_version_json_gives_the_blocks_the_map_script_computes_tile_versions_from(spots, client):
    data = client.get(reverse("tiles:version")).json()["blocks"]
    assert (data["zoom"], data["margin"]) == (16, 1 / 16)
    newest = {(x, y): v for x, y, v in data["blocks"]}
    z, x, y = tile_at(*EAST_SPOT, 16)
    assert tile_version(z, x, y) == f"{newest[(x, y)]}{data['suffix']}"


def test_a_truncate_makes_every_tile_new(spots, client):
    tiles = [tile_at(*spot, 16) for spot in (WEST_SPOT, EAST_SPOT)]
    before = [tile_version(*tile) for tile in tiles]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE problems_problemreport CASCADE")
    assert all(tile_version(*tile) != old for tile, old in zip(tiles, before))
