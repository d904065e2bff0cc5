"""Vector tiles: layers and properties, who sees what, filters, bad requests, clustering, caching."""

import datetime
import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import AdoptionStatus
from public.tiles import sql as tile_sql
from public.tiles.views import forget_compiled_filters
from registry.assets import Asset, AssetKind, AssetStatus
from registry.map_version import MapVersion, current_map_version, tile_version
from tests.factories import (
    AdoptionFactory,
    ElevatorFactory,
    GardenFactory,
    GreenPlotFactory,
    HeritageFactory,
    MuralFactory,
    PaintedBoxFactory,
    make_district_admin,
    square,
)

# Tile z14/13345/7109 covers 113.225–113.247 E and the whole test district's latitudes: every asset
# below is in it (the factories place assets at 113.235 and 113.245 E).
DISTRICT_TILE = (14, 13345, 7109)
# z12 over the whole district; z16 around 113.235 E 23.122 N (the factories' western spot).
OVERVIEW_TILE = (12, 3336, 1777)
CLOSE_UP_TILE = (16, 53381, 28439)
TILE_LIMIT = 500 * 1024


@pytest.fixture(autouse=True)
def empty_cache(db):
    # Test transactions roll the map version back, so a version can recur with other content.
    cache.clear()
    # The counter's row, in case a transactional test's flush elsewhere in the suite removed it.
    MapVersion.objects.get_or_create(pk=1)
    yield
    cache.clear()


def tile_at(lon, lat, z):
    n = 2 ** z
    return z, int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def tile_url(z, x, y):
    return reverse("tiles:tile", kwargs={"z": z, "x": x, "y": y})


def get_tile(client, tile=DISTRICT_TILE, **params):
    response = client.get(tile_url(*tile), params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return response, mapbox_vector_tile.decode(response.content)


def by_id(layers) -> dict[int, dict]:
    return {feature["properties"]["id"]: feature["properties"]
            for layer in layers.values() for feature in layer["features"]}


def staff_client(client, django_user_model):
    client.force_login(make_district_admin("staff"))
    return client


def today_range(days=30):
    today = timezone.localdate()
    return DateRange(today - datetime.timedelta(days=days), today + datetime.timedelta(days=days))


# ---------------------------------------------------------------- layers and properties

def test_one_layer_per_kind_with_the_properties_the_map_needs(district, client):
    garden = GardenFactory(name_zh="逢源邻里花园", name_en="Fengyuan Garden")
    adopted = GreenPlotFactory(is_adoptable=True, geometry=square(113.236, 23.123))
    pending = GreenPlotFactory(is_adoptable=True, geometry=square(113.237, 23.124))
    AdoptionFactory(asset=adopted, period=today_range(), status=AdoptionStatus.APPROVED)
    AdoptionFactory(asset=pending, period=today_range(), status=AdoptionStatus.REQUESTED)
    PaintedBoxFactory(status=AssetStatus.PLANNED)
    MuralFactory()
    HeritageFactory()
    ElevatorFactory(status=AssetStatus.UNDER_RENOVATION)

    response, layers = get_tile(client)

    assert set(layers) == set(AssetKind.values)
    features = by_id(layers)
    assert len(features) == 7
    for layer_name, layer in layers.items():
        for feature in layer["features"]:
            properties = feature["properties"]
            # Only what the map draws (issue 21): the popup (popup.json) fetches names, status, adoption.
            assert set(properties) <= {"id", "kind", "count", "marker"}
            assert properties["kind"] == layer_name
            assert feature["id"] == properties["id"]  # the MVT feature id, for the browser's feature-state
    # A speck at z14: sent as its point, drawn as the kind's symbol.
    assert features[garden.pk] == {"id": garden.pk, "kind": "garden", "marker": True}
    # Adoption is a filter here (looking=1: adoptable and not adopted); the popup says which.
    _, looking = get_tile(client, looking=1)
    assert set(by_id(looking)) == {pending.pk}
    # A 40 m garden is a speck at z14: it comes as its point (a marker to tap), as its own shape at z16.
    polygons = [f for f in layers["garden"]["features"] if f["properties"]["id"] == garden.pk]
    assert polygons[0]["geometry"]["type"] == "Point"
    _, close = get_tile(client, tile=CLOSE_UP_TILE)
    assert [f["geometry"]["type"] for f in close["garden"]["features"] if f["properties"]["id"] == garden.pk] \
        == ["Polygon"]


def test_an_adoption_that_is_over_or_not_yet_begun_is_not_adopted(district, client):
    plot = GreenPlotFactory(is_adoptable=True)
    today = timezone.localdate()
    AdoptionFactory(asset=plot, status=AdoptionStatus.APPROVED,
                    period=DateRange(today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)))
    _, layers = get_tile(client, looking=1)
    assert plot.pk in by_id(layers)  # still looking for an adopter


def test_a_tile_carries_no_names_and_is_not_sniffed(district, client):
    mural = MuralFactory(name_zh="<img src=x onerror=alert(1)>", name_en='"><script>alert(1)</script>')
    response, layers = get_tile(client)
    assert mural.pk in by_id(layers) and b"alert(1)" not in response.content  # names are the popup's
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_tile_with_nothing_in_it_is_empty(district, client):
    GardenFactory()
    response, layers = get_tile(client, tile=(10, 0, 0))
    assert response.content == b"" and layers == {}


# ---------------------------------------------------------------- who sees what

def test_hidden_assets_are_for_staff_only(district, client, django_user_model):
    shown = MuralFactory()
    hidden = MuralFactory(is_public=False, geometry=Point(113.236, 23.123, srid=4326))

    _, layers = get_tile(client)
    assert shown.pk in by_id(layers) and hidden.pk not in by_id(layers)

    resident = django_user_model.objects.create_user("resident", password="x" * 12)
    client.force_login(resident)
    _, layers = get_tile(client)
    assert hidden.pk not in by_id(layers)

    client.logout()
    staff = staff_client(client, django_user_model)
    response, layers = get_tile(staff)
    assert {shown.pk, hidden.pk} <= set(by_id(layers))
    assert "private" in response["Cache-Control"]


def test_anonymous_and_staff_tiles_are_cached_apart(district, client, django_user_model):
    hidden = HeritageFactory(is_public=False)
    _, anonymous_layers = get_tile(client)  # cached first, for the public
    _, staff_layers = get_tile(staff_client(client, django_user_model))
    assert hidden.pk in by_id(staff_layers) and hidden.pk not in by_id(anonymous_layers)
    client.logout()
    _, layers = get_tile(client)
    assert hidden.pk not in by_id(layers)


# ---------------------------------------------------------------- filters

@pytest.fixture
def varied(district):
    """Assets in both streets, of several kinds and statuses, some looking for an adopter."""
    west = {"geometry": square(113.235, 23.122)}
    east = {"geometry": square(113.244, 23.127)}
    assets = {
        "west_garden": GardenFactory(**west),
        "east_garden": GardenFactory(status=AssetStatus.PLANNED, **east),
        "west_plot_free": GreenPlotFactory(is_adoptable=True, geometry=square(113.236, 23.123)),
        "west_plot_adopted": GreenPlotFactory(is_adoptable=True, geometry=square(113.237, 23.124)),
        "east_plot_pending": GreenPlotFactory(is_adoptable=True, status=AssetStatus.RETIRED,
                                              geometry=square(113.243, 23.126)),
        "east_mural": MuralFactory(),
    }
    AdoptionFactory(asset=assets["west_plot_adopted"], period=today_range(), status=AdoptionStatus.APPROVED)
    AdoptionFactory(asset=assets["east_plot_pending"], period=today_range(), status=AdoptionStatus.REQUESTED)
    return {name: asset.pk for name, asset in assets.items()}


@pytest.mark.parametrize("params, expected", [
    ({}, {"west_garden", "east_garden", "west_plot_free", "west_plot_adopted", "east_plot_pending", "east_mural"}),
    ({"street": "W"}, {"west_garden", "west_plot_free", "west_plot_adopted"}),
    ({"community": "E1"}, {"east_garden", "east_plot_pending", "east_mural"}),
    ({"street": "W,E", "community": "E1"}, {"east_garden", "east_plot_pending", "east_mural"}),
    ({"status": "planned"}, {"east_garden"}),
    ({"status": "planned,retired"}, {"east_garden", "east_plot_pending"}),
    ({"status": " retired , planned "}, {"east_garden", "east_plot_pending"}),
    ({"kind": "garden"}, {"west_garden", "east_garden"}),
    ({"kind": "garden,mural"}, {"west_garden", "east_garden", "east_mural"}),
    ({"looking": "1"}, {"west_plot_free", "east_plot_pending"}),
    ({"looking": "1", "street": "E"}, {"east_plot_pending"}),
    ({"looking": "0"}, {"west_garden", "east_garden", "west_plot_free", "west_plot_adopted", "east_plot_pending",
                        "east_mural"}),
])
def test_filters(varied, client, params, expected):
    _, layers = get_tile(client, **params)
    assert set(by_id(layers)) == {varied[name] for name in expected}


def test_the_kind_filter_leaves_out_the_other_layers(varied, client):
    _, layers = get_tile(client, kind="garden,mural")
    assert set(layers) == {"garden", "mural"}


# ---------------------------------------------------------------- bad requests

@pytest.mark.parametrize("params, fragment", [
    ({"status": "in_use,demolished"}, "demolished"),
    ({"kind": "fountain"}, "fountain"),
    ({"street": "NOWHERE"}, "NOWHERE"),
    ({"community": "W1,X9"}, "X9"),
    ({"looking": "maybe"}, "looking"),
    ({"status": ",".join(f"s{n}" for n in range(60))}, "status"),
])
def test_unknown_filter_values_are_refused_with_a_message(district, client, params, fragment):
    response = client.get(tile_url(*DISTRICT_TILE), params, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert fragment in response.content.decode()


@pytest.mark.parametrize("path", [
    "/tiles/21/0/0.pbf",                 # beyond the deepest zoom
    "/tiles/3/8/0.pbf",                  # x ≥ 2^z
    "/tiles/3/0/8.pbf",                  # y ≥ 2^z
    "/tiles/0/1/0.pbf",
    "/tiles/99999999999999999999/0/0.pbf",
    "/tiles/-1/0/0.pbf",                 # not matched by the URL's <int:>
    "/tiles/3/-1/0.pbf",
    "/tiles/a/b/c.pbf",
    "/tiles/3/1/1.png",
])
def test_tiles_outside_the_pyramid_are_not_found(district, client, path):
    assert client.get(path).status_code == 404


def test_only_get_and_head(district, client):
    assert client.post(tile_url(*DISTRICT_TILE)).status_code == 405
    assert client.head(tile_url(*DISTRICT_TILE)).status_code == 200


def test_every_zoom_from_min_to_max_is_served(district, client):
    box = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    for z in range(tile_sql.MIN_ZOOM, tile_sql.MAX_ZOOM + 1):
        _, layers = get_tile(client, tile=tile_at(113.235, 23.122, z))
        assert [feature["properties"]["id"] for feature in layers["painted_box"]["features"]] == [box.pk]


# ---------------------------------------------------------------- clustering at scale

BULK_SQL = """
INSERT INTO registry_asset (name_zh, name_en, kind, geometry, location, address, status, description,
                            is_public, is_adoptable, created_at, updated_at, street_id)
SELECT '批量资产' || n, 'Bulk asset ' || n, kind, geometry, ST_PointOnSurface(geometry), '', 'in_use', '',
       true, false, now(), now(), street.id
FROM (
    SELECT n, kind, point,
           CASE WHEN kind IN ('garden', 'green_plot', 'heritage') THEN ST_Expand(point, 0.00003) ELSE point END
               AS geometry
    FROM (
        -- an even, deterministic spread (an R2 sequence) over 113.2305–113.2465 E, 23.1205–23.1295 N
        SELECT n,
               (ARRAY['garden', 'green_plot', 'painted_box', 'mural', 'heritage', 'elevator'])[1 + n %% 6] AS kind,
               ST_Point(113.2305 + 0.016 * mod(n * 0.7548776662, 1), 23.1205 + 0.009 * mod(n * 0.5698402910, 1),
                        4326) AS point
        FROM generate_series(1, %s) AS n
    ) AS spread
) AS shaped
JOIN registry_street AS street ON ST_Covers(street.boundary, shaped.point)
"""


@pytest.fixture
def crowd(district):
    count = 3000
    with connection.cursor() as cursor:
        cursor.execute(BULK_SQL, [count])
    assert Asset.objects.count() == count
    return count


def test_low_zooms_cluster_points_and_stay_small(crowd, client):
    response, layers = get_tile(client, tile=OVERVIEW_TILE)
    assert len(response.content) < TILE_LIMIT
    features = [feature for layer in layers.values() for feature in layer["features"]]
    assert len(features) <= len(AssetKind.values) * tile_sql.CLUSTER_GRID ** 2
    assert all(feature["geometry"]["type"] == "Point" for feature in features)
    assert sum(feature["properties"]["count"] for feature in features) == crowd  # each asset in one cell
    clusters = [feature["properties"] for feature in features if feature["properties"]["count"] > 1]
    assert clusters and all(set(properties) == {"id", "kind", "count", "marker"} for properties in clusters)


def test_high_zooms_draw_each_asset(crowd, client):
    _, layers = get_tile(client, tile=CLOSE_UP_TILE)
    features = [feature for layer in layers.values() for feature in layer["features"]]
    assert len(features) > 20
    assert all("count" not in feature["properties"] for feature in features)
    # The bulk polygons are 6 m across, 3 pixels at z16: they come as points too (tappable markers).
    assert {feature["geometry"]["type"] for feature in features} == {"Point"}


@pytest.mark.parametrize("params", [{}, {"looking": "1"}], ids=["counted by the summary", "counted exactly"])
def test_a_crowded_detail_tile_is_clustered_too(crowd, client, monkeypatch, params):
    if params:
        Asset.objects.update(is_adoptable=True)
    monkeypatch.setattr(tile_sql, "DETAIL_MAX_FEATURES", 500)
    response, layers = get_tile(client, **params)
    features = [feature for layer in layers.values() for feature in layer["features"]]
    assert len(features) <= len(AssetKind.values) * tile_sql.CROWDED_GRID ** 2
    assert sum(feature["properties"]["count"] for feature in features) == crowd
    assert len(response.content) < TILE_LIMIT



def test_deciding_the_mode_leaves_no_setting_behind(crowd, client, monkeypatch):
    """With filters the cluster summary cannot answer (``looking=1``), a detail-zoom tile decides
    crowded-or-not by counting with index scans only, then restores the scan settings; tests run in a
    transaction, where a SET LOCAL would otherwise outlive the tile."""
    Asset.objects.update(is_adoptable=True)  # all of them looking for an adopter
    monkeypatch.setattr(tile_sql, "DETAIL_MAX_FEATURES", 500)
    get_tile(client, looking=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan'), "
                       "current_setting('registry.tile_clustered')")
        assert cursor.fetchone() == ("on", "on", "true")
    monkeypatch.setattr(tile_sql, "DETAIL_MAX_FEATURES", 4000)
    cache.clear()
    _, layers = get_tile(client, looking=1)  # the same tile, now within the limit: drawn asset by asset
    features = [feature for layer in layers.values() for feature in layer["features"]]
    assert len(features) == crowd and all("count" not in feature["properties"] for feature in features)

# ---------------------------------------------------------------- caching and versions

def test_a_cached_tile_is_the_same_bytes_without_drawing_again(district, client, django_assert_num_queries):
    GardenFactory()
    first, _ = get_tile(client)
    with django_assert_num_queries(1):  # the map version; no tile SQL
        second, _ = get_tile(client)
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_the_same_filters_in_another_order_share_the_cache(district, client, django_assert_num_queries):
    GardenFactory()
    first, _ = get_tile(client, status="planned,in_use", kind="mural,garden")
    with django_assert_num_queries(1):
        response = client.get(tile_url(*DISTRICT_TILE) + "?kind=garden&kind=mural&status=in_use,,planned&v=x")
    assert response.content == first.content


def test_revalidation_with_the_etag_is_answered_304(district, client):
    GardenFactory()
    first, _ = get_tile(client)
    again = client.get(tile_url(*DISTRICT_TILE), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["Cache-Control"] == first["Cache-Control"]


def test_cache_control_follows_the_version_and_the_user(district, client, django_user_model):
    version = tile_version(*DISTRICT_TILE)
    response, _ = get_tile(client, v=version)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    response, _ = get_tile(client)
    assert response["Cache-Control"] == "public, max-age=60"
    response, _ = get_tile(client, v="0-19700101")  # an old version: fresh content, briefly cached
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
    response, _ = get_tile(staff_client(client, django_user_model), v=version)
    assert response["Cache-Control"] == "private, max-age=60"


def test_an_edit_shows_on_the_next_load(district, client):
    garden = GardenFactory(status=AssetStatus.IN_USE)
    before = client.get(reverse("tiles:version")).json()
    _, layers = get_tile(client, v=before["version"], status="in_use")
    assert garden.pk in by_id(layers)

    garden.status = AssetStatus.RETIRED
    garden.save()

    after = client.get(reverse("tiles:version")).json()
    assert after["version"] != before["version"]
    _, layers = get_tile(client, v=after["version"], status="in_use")
    assert garden.pk not in by_id(layers)
    # Even the old URL (a browser that has not asked for the version yet) gets the new content.
    _, layers = get_tile(client, v=before["version"], status="in_use")
    assert garden.pk not in by_id(layers)


def test_a_bulk_update_changes_the_tile_too(district, client):
    box = PaintedBoxFactory()
    first, _ = get_tile(client, status="in_use")
    Asset.objects.filter(pk=box.pk).update(status=AssetStatus.RETIRED)
    second, layers = get_tile(client, status="in_use")
    assert second.content != first.content
    assert box.pk not in by_id(layers)


def test_the_version_endpoint_gives_the_tile_url(district, client):
    response = client.get(reverse("tiles:version"))
    data = response.json()
    assert data["version"] == current_map_version()
    assert data["url"] == f"/tiles/{{z}}/{{x}}/{{y}}.pbf?v={data['version']}"
    assert data["layers"] == list(AssetKind.values)
    assert (data["minzoom"], data["maxzoom"]) == (tile_sql.MIN_ZOOM, tile_sql.MAX_ZOOM)
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("z", [13, 15])  # a cluster zoom and a detail zoom
def test_a_marker_on_a_tile_edge_is_drawn_by_both_tiles(district, client, z):
    # 113.2470703125 E is a tile boundary at z13 and z15; the box stands about 13 m east of it.
    box_asset = PaintedBoxFactory(geometry=Point(113.2472, 23.127, srid=4326))
    east = tile_at(113.2472, 23.127, z)
    west = (z, east[1] - 1, east[2])
    positions = {}
    for tile in (west, east):
        _response, layers = get_tile(client, tile)
        layer = layers["painted_box"]
        (feature,) = [f for f in layer["features"] if f["properties"]["id"] == box_asset.pk]
        positions[tile] = feature["geometry"]["coordinates"][0]
    assert 0 <= positions[east] < 64  # inside the east tile, near its west edge
    assert 4096 <= positions[west] < 4096 + 64  # the west tile draws the part that overflows into it


def test_small_polygons_come_as_points_until_they_are_big_enough_to_tap(district, client):
    """Issue 13, item 4: a plot a few pixels across at street zoom is sent as its representative point
    (drawn as a marker, tappable); a big one keeps its shape at the same zoom."""
    small = GreenPlotFactory(geometry=square(113.236, 23.124, half_side=0.0001))   # ~20 m
    big = GreenPlotFactory(geometry=square(113.2345, 23.1245, half_side=0.0015))  # ~300 m
    _, layers = get_tile(client, tile=tile_at(113.236, 23.124, 14))
    shapes = {f["properties"]["id"]: f["geometry"] for f in layers["green_plot"]["features"]}
    assert shapes[small.pk]["type"] == "Point" and shapes[big.pk]["type"] == "Polygon"
    markers = {f["properties"]["id"]: f["properties"].get("marker") for f in layers["green_plot"]["features"]}
    assert markers == {small.pk: True, big.pk: None}  # the flag that has it drawn as the kind's symbol
    _, closer = get_tile(client, tile=tile_at(113.236, 23.124, 18))
    assert {f["properties"]["id"]: f["geometry"]["type"] for f in closer["green_plot"]["features"]}[small.pk] \
        == "Polygon"


def test_the_filters_are_compiled_once_not_per_tile(district, client, settings):
    """No per-tile work that does not depend on the tile (issue 21): the street code is looked up and the
    filters compiled for the first tile, and every other tile of the same filters reuses them."""
    settings.TILE_SQL_CACHE_SECONDS = 60
    forget_compiled_filters()  # compiled by an earlier test of this process, for its own street "W"
    GardenFactory()
    get_tile(client, street="W")
    with CaptureQueriesContext(connection) as queries:
        _, layers = get_tile(client, tile=CLOSE_UP_TILE, street="W")
    assert layers and not any("registry_street" in query["sql"] for query in queries.captured_queries)
