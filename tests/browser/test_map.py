"""The public map in a real browser: tiles draw offline, filters, a click on the canvas opens the
popup, its link leads to the asset page; in Chinese (the default) and in English.

The browser is offline (see conftest): basemap tiles fail, so drawn features prove the vector
tiles come from our own server. Screenshots: /tmp/map-zh.png, /tmp/map-en.png, /tmp/map-phone.png.
"""

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image
from django.db.backends.postgresql.psycopg_any import DateRange

from public.map import KIND_STYLES
from registry.assets import AssetKind
from registry.photos.pipeline import add_photo
from tests.browser.axe import axe_violations
from tests.browser.conftest import basemap_host_patterns
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    ElevatorFactory,
    GardenFactory,
    HeritageFactory,
    MuralFactory,
    PaintedBoxFactory,
    make_test_district,
    square,
)

# The live server's thread must see the test's rows: real commits, hence transaction=True.
pytestmark = pytest.mark.django_db(transaction=True)

XSS_NAME = "<img src=x onerror=alert(1)>彩绘电箱"
BOX_AT = (23.1230, 113.2360)       # (lat, lon) in street W
GARDEN_AT = (23.1270, 113.2340)    # in street W


@pytest.fixture
def assets(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the live server reads the same settings
    # The previous test's flush removed the map-version row, so the counter starts again from 0
    # and the versions it had reached would name that test's tiles in the cache: clear them.
    cache.clear()
    district = make_test_district()
    for code, name in (("W", "West Street"), ("E", "East Street")):
        district[code].name_en = name
        district[code].save()
    today = timezone.localdate()
    box = PaintedBoxFactory(name_zh=XSS_NAME, name_en="Painted box <b>one</b>", address="逢源路1号",
                            geometry=Point(BOX_AT[1], BOX_AT[0], srid=4326), is_adoptable=True)
    garden = GardenFactory(name_zh="荔枝湾邻里花园", name_en="Lizhiwan Neighbourhood Garden", address="荔枝湾路8号",
                           geometry=square(GARDEN_AT[1], GARDEN_AT[0], half_side=0.0004))
    AdoptionFactory(asset=garden, adopter=AdopterFactory(display_name="荔湾志愿队"),
                    period=DateRange(today - datetime.timedelta(days=10), today + datetime.timedelta(days=300)))
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, format="PNG")
    add_photo(asset=garden, upload=SimpleUploadedFile("garden.png", buffer.getvalue()), uploaded_by=None,
              caption="花园入口")
    MuralFactory(name_zh="醒狮墙绘", geometry=Point(113.2450, 23.1270, srid=4326))     # street E
    HeritageFactory(name_zh="西关大屋", geometry=square(113.2460, 23.1220))              # street E
    hidden = ElevatorFactory(name_zh="隐藏的加装电梯", geometry=Point(113.2370, 23.1240, srid=4326), is_public=False)
    return {"box": box, "garden": garden, "hidden": hidden}


def wait_until_idle(page):
    page.wait_for_function("() => window.registryMap && window.registryMap.isIdle()")


def pixel_on_map(page, lat, lon):
    """Page coordinates of (lat, lon) on the map, through the map's own projection."""
    box = page.locator("#map").bounding_box()
    point = page.evaluate("([lat, lon]) => window.registryMap.latLngToContainerPoint(lat, lon)", [lat, lon])
    return box["x"] + point["x"], box["y"] + point["y"]


def drawn_colour(page, x, y):
    """The RGBA of the assets' canvas tile under page point (x, y), or None if no tile is there."""
    return page.evaluate("""([x, y]) => {
        const canvas = document.elementsFromPoint(x, y).find(
            (el) => el.tagName === 'CANVAS' && el.closest('.leaflet-assets-pane'));
        if (!canvas) return null;
        const rect = canvas.getBoundingClientRect();
        const scale = canvas.width / rect.width;
        const data = canvas.getContext('2d').getImageData(
            Math.floor((x - rect.left) * scale), Math.floor((y - rect.top) * scale), 1, 1).data;
        return Array.from(data);
    }""", [x, y])


def rgb(hex_colour):
    return [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]


def assert_no_inline_script(page):
    inline = page.evaluate("""() => Array.from(document.scripts)
        .filter((s) => !s.src && s.type !== 'application/json').length""")
    assert inline == 0


def assert_only_local_and_basemap_hosts(recorded, live_server):
    patterns = basemap_host_patterns()
    foreign = recorded.foreign_requests(live_server.url)
    unexpected = [url for url in foreign if not any(p.match(urlsplit(url).hostname) for p in patterns)]
    assert unexpected == []
    # Every script and style came from the live server (none of the foreign ones is one).
    assert not [url for url in foreign if re.search(r"\.(js|css)(\?|$)", url)]


def open_map(recorded, live_server):
    page = recorded.page
    page.goto(live_server.url + "/", wait_until="domcontentloaded")
    wait_until_idle(page)
    return page


def filter_to_street(page, code):
    page.select_option("#map-street", code)
    wait_until_idle(page)
    assert parse_qs(urlsplit(page.url).query)["street"] == [code]


def test_map_in_chinese_click_popup_and_asset_page(open_page, live_server, assets):
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = open_map(recorded, live_server)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert_no_inline_script(page)
    with translation.override("zh-hans"):
        box_label = str(AssetKind.PAINTED_BOX.label)
        looking = gettext("Looking for an adopter")
    assert page.locator(".map-legend").inner_text().count(box_label) == 1  # the legend speaks Chinese

    filter_to_street(page, "W")
    assert any("street=W" in url for url in recorded.requests if "/tiles/" in url and ".pbf?" in url)

    # The painted box is drawn in its colour (offline: the basemap failed, our own tiles did not).
    x, y = pixel_on_map(page, *BOX_AT)
    colour = drawn_colour(page, x, y)
    assert colour is not None and colour[3] > 200
    assert max(abs(a - b) for a, b in zip(colour[:3], rgb(KIND_STYLES[AssetKind.PAINTED_BOX]["colour"]))) < 40

    page.mouse.click(x, y)
    name = page.locator(".asset-popup-name")
    name.wait_for()
    assert name.inner_text() == XSS_NAME  # shown as text, not markup
    assert page.locator(".leaflet-popup img[src='x']").count() == 0
    popup_text = page.locator(".asset-popup").inner_text()
    assert box_label in popup_text and looking in popup_text
    wait_until_idle(page)  # the popup has finished panning into view
    page.screenshot(path="/tmp/map-zh.png")

    # A click on empty ground (still on a vector tile's canvas) reaches the map and closes the popup.
    empty_x, empty_y = pixel_on_map(page, BOX_AT[0] - 0.002, BOX_AT[1] + 0.002)
    assert drawn_colour(page, empty_x, empty_y) == [0, 0, 0, 0]
    page.mouse.click(empty_x, empty_y)
    assert page.locator(".leaflet-popup").count() == 0
    page.mouse.click(*pixel_on_map(page, *BOX_AT))
    page.locator(".asset-popup-link").click()
    page.wait_for_url(f"**/assets/{assets['box'].pk}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert box_label in page.locator("body").inner_text()

    # Back on the map, the view and filter come back from the URL.
    page.go_back(wait_until="domcontentloaded")
    wait_until_idle(page)
    assert page.locator("#map-street").input_value() == "W"

    # Search: a Chinese fragment finds the garden, not the hidden asset; all by keyboard.
    page.fill("#map-search-q", "隐藏")
    page.press("#map-search-q", "Enter")
    page.locator("#map-search-status").filter(has_text="隐藏").wait_for()
    assert page.locator(".search-result").count() == 0
    page.fill("#map-search-q", "荔枝")
    page.press("#map-search-q", "Enter")
    page.locator(".search-result").first.wait_for()
    assert page.locator(".search-result").count() == 1
    page.press("#map-search-q", "ArrowDown")
    page.keyboard.press("Enter")
    page.locator(".asset-popup-name", has_text="荔枝湾邻里花园").wait_for()
    assert "荔湾志愿队" in page.locator(".asset-popup").inner_text()
    assert page.evaluate("() => document.activeElement.className") == "asset-popup-name"
    page.keyboard.press("Escape")  # closes the popup and returns to the result
    assert page.locator(".leaflet-popup").count() == 0
    assert page.evaluate("() => document.activeElement.className") == "search-result"

    assert recorded.dialogs == [] and recorded.errors == []
    assert_only_local_and_basemap_hosts(recorded, live_server)


def test_map_in_english_click_popup_and_asset_page(open_page, live_server, assets):
    recorded = open_page(locale="en-US", reduced_motion="reduce")
    page = open_map(recorded, live_server)
    assert page.locator("html").get_attribute("lang") == "en"
    street_options = page.locator("#map-street option").all_inner_texts()
    assert "West Street" in street_options

    filter_to_street(page, "W")
    assert page.locator("#map-community option").all_inner_texts() == ["All communities", "W一社区"]
    x, y = pixel_on_map(page, *GARDEN_AT)  # the middle of the garden's polygon
    assert drawn_colour(page, x, y)[3] > 0
    page.mouse.click(x, y)
    page.locator(".asset-popup-name", has_text="Lizhiwan Neighbourhood Garden").wait_for()
    wait_until_idle(page)  # the popup has finished panning into view
    popup = page.locator(".asset-popup")
    assert "Adopted by 荔湾志愿队" in popup.inner_text()
    assert popup.locator("img").get_attribute("alt") == "花园入口"
    page.screenshot(path="/tmp/map-en.png")
    assert axe_violations(page) == []  # the map with its filters and an open popup

    popup.locator(".asset-popup-link").click()
    page.wait_for_url(f"**/assets/{assets['garden'].pk}/")
    assert page.locator("html").get_attribute("lang") == "en"
    with translation.override("en"):
        garden_label = str(AssetKind.GARDEN.label)
    assert garden_label.lower() in page.locator("body").inner_text().lower()
    assert recorded.dialogs == [] and recorded.errors == []
    assert_only_local_and_basemap_hosts(recorded, live_server)


def test_state_in_the_url_survives_a_reload(open_page, live_server, assets):
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = open_map(recorded, live_server)
    filter_to_street(page, "W")
    page.uncheck("input[name=layers][value=mural]")
    page.check("input[name=looking]")
    page.check("input[name=base][value=gaode]")
    wait_until_idle(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["layers"] == [",".join(k for k in AssetKind.values if k != "mural")]
    assert query["looking"] == ["1"] and query["base"] == ["gaode"] and "z" in query and "lat" in query
    # The language switch keeps the view.
    assert page.locator(".language-switch input[name=next]").get_attribute("value") == page.url.split(
        live_server.url)[1]

    first_request = len(recorded.requests)
    page.reload(wait_until="domcontentloaded")
    wait_until_idle(page)
    assert page.locator("#map-street").input_value() == "W"
    assert not page.is_checked("input[name=layers][value=mural]")
    assert page.is_checked("input[name=looking]") and page.is_checked("input[name=base][value=gaode]")
    assert parse_qs(urlsplit(page.url).query) == query
    tile_requests = [url for url in recorded.requests[first_request:] if "/tiles/" in url and ".pbf?" in url]
    assert tile_requests and all("looking=1" in url and "street=W" in url for url in tile_requests)
    # Gaode's tiles were asked for (and failed: offline), and they are placed so that what Gaode
    # draws at the centre's GCJ-02 position lands on the centre's WGS-84 pixel.
    assert any("autonavi.com" in url for url in recorded.requests)
    misfit, shift = page.evaluate("""() => {
        const map = window.registryMap.map;
        let layer = null;
        map.eachLayer((l) => { if (l._shiftAt) layer = l; });
        const centre = map.getCenter(), zoom = layer._tileZoom, size = layer.getTileSize();
        const gcj = window.gcj02.wgs84ToGcj02(centre.lat, centre.lng);
        const pixel = map.project([gcj.lat, gcj.lon], zoom);      // in Gaode's own pixel grid
        const coords = L.point(Math.floor(pixel.x / size.x), Math.floor(pixel.y / size.y));
        coords.z = zoom;
        const tile = layer._tiles[layer._tileCoordsToKey(coords)].el.getBoundingClientRect();
        const box = map.getContainer().getBoundingClientRect();
        const drawn = L.point(tile.left + pixel.x - coords.x * size.x, tile.top + pixel.y - coords.y * size.y);
        const wanted = map.latLngToContainerPoint(centre).add([box.left, box.top]);
        const shift = layer._shiftAt(zoom);
        return [drawn.distanceTo(wanted), Math.hypot(shift.x, shift.y)];
    }""")
    assert misfit <= 1.5
    assert shift > 100  # ≈ 620 m at zoom ≥ 15: a real offset was applied
    assert_only_local_and_basemap_hosts(recorded, live_server)


def test_a_cluster_zooms_in_and_a_new_data_version_reloads_the_tiles(open_page, live_server, assets):
    MuralFactory(name_zh="龙舟墙绘", geometry=Point(113.2451, 23.1271, srid=4326))  # next to 醒狮墙绘
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = recorded.page
    page.goto(live_server.url + "/?z=12&lat=23.12700&lon=113.24500", wait_until="domcontentloaded")
    wait_until_idle(page)
    page.mouse.click(*pixel_on_map(page, 23.12705, 113.24505))  # the two murals: one cluster
    wait_until_idle(page)
    assert page.evaluate("() => window.registryMap.map.getZoom()") == 14
    assert page.locator(".leaflet-popup").count() == 0

    # A new asset bumps the data version; on focus the map notices and reloads its tiles.
    old_version = page.evaluate("() => window.registryMap.version()")
    ElevatorFactory(name_zh="新加装电梯", geometry=Point(113.2440, 23.1265, srid=4326))
    x, y = pixel_on_map(page, 23.1265, 113.2440)
    assert (drawn_colour(page, x, y) or [0, 0, 0, 0])[3] == 0
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")
    page.wait_for_function("(old) => window.registryMap.version() !== old", arg=old_version)
    wait_until_idle(page)
    new_version = page.evaluate("() => window.registryMap.version()")
    assert any(f"v={new_version}" in url for url in recorded.requests if ".pbf?" in url)
    assert drawn_colour(page, x, y)[3] > 200
    assert recorded.errors == []


def test_phone_layout_is_a_bottom_sheet(open_page, live_server, assets):
    recorded = open_page(locale="zh-CN", reduced_motion="reduce", viewport={"width": 390, "height": 844},
                         device_scale_factor=2, is_mobile=True, has_touch=True)
    page = open_map(recorded, live_server)
    toggle = page.locator("#map-panel-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#map-street").is_visible()
    for control in (toggle, page.locator("#map-search-q"), page.locator(".leaflet-control-zoom-in")):
        assert control.bounding_box()["height"] >= 44
    panel = page.locator("#map-panel").bounding_box()
    assert panel["y"] + panel["height"] == pytest.approx(844, abs=1)  # docked at the bottom
    page.screenshot(path="/tmp/map-phone.png")
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#map-street").is_visible()
    for row in page.locator(".map-filters .check-row").all():
        assert row.bounding_box()["height"] >= 44
    assert axe_violations(page) == []  # the phone's open filter sheet
    page.keyboard.press("Escape")  # focus is on the toggle, inside the panel
    assert toggle.get_attribute("aria-expanded") == "false"
    assert recorded.errors == []
