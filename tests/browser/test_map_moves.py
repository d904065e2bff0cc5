"""Issue 13, items 2 and 3: the map after a search flies to z17 drops the old level's blown-up tiles and
opens the popup without waiting behind the new tiles; a filter closes a popup it may leave out; a
popup near the edge comes fully into view, clear of the zoom buttons."""

import pytest

from tests.browser.test_map import BOX_AT, GARDEN_AT, assets, open_map, pixel_on_map, wait_until_idle  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

SCALED_LEVELS = """() => Array.from(document.querySelectorAll('.leaflet-assets-pane .leaflet-tile-container'))
    .filter((level) => level.querySelector('canvas') && new DOMMatrix(getComputedStyle(level).transform).a > 1.01)
    .length"""


def test_a_search_result_far_below_opens_without_blown_up_tiles_or_a_wait(open_page, live_server, assets):  # noqa: F811
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = recorded.page
    page.goto(f"{live_server.url}/?z=13&lat={GARDEN_AT[0]}&lon={GARDEN_AT[1]}", wait_until="domcontentloaded")
    wait_until_idle(page)
    page.evaluate(f"""() => {{
        window.scaledAtArrival = null;
        window.registryMap.map.once('moveend', () => {{ window.scaledAtArrival = ({SCALED_LEVELS})(); }});
    }}""")
    page.fill("#map-search-q", "荔枝")
    page.press("#map-search-q", "Enter")
    page.locator(".search-result").first.click()
    page.locator(".asset-popup-name", has_text="荔枝湾邻里花园").wait_for()
    assert page.evaluate("() => window.registryMap.map.getZoom()") == 17
    assert page.evaluate("() => window.scaledAtArrival") == 0  # no z13 tile drawn 16 times its size
    popup = next(i for i, url in enumerate(recorded.requests) if "/popup.json" in url)
    detail_tiles = [i for i, url in enumerate(recorded.requests) if "/tiles/17/" in url]
    assert detail_tiles and popup < detail_tiles[0]  # asked for before the new view's tiles queue up
    assert recorded.errors == []


def test_a_filter_closes_a_popup_it_may_leave_out(open_page, live_server, assets):  # noqa: F811
    page = open_map(open_page(locale="zh-CN", reduced_motion="reduce"), live_server)
    page.select_option("#map-street", "W")
    wait_until_idle(page)
    page.mouse.click(*pixel_on_map(page, *BOX_AT))
    page.locator(".asset-popup-name").wait_for()
    page.select_option("#map-street", "E")
    wait_until_idle(page)
    assert page.locator(".leaflet-popup").count() == 0


def test_a_popup_near_the_edge_pans_fully_into_view_clear_of_the_zoom_buttons(open_page, live_server, assets):  # noqa: F811
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = recorded.page
    # The box near the top right corner of the map.
    page.goto(f"{live_server.url}/?z=17&lat={BOX_AT[0] - 0.0023:.5f}&lon={BOX_AT[1] - 0.0044:.5f}",
              wait_until="domcontentloaded")
    wait_until_idle(page)
    x, y = pixel_on_map(page, *BOX_AT)
    map_box = page.locator("#map").bounding_box()
    assert map_box["x"] + map_box["width"] - x < 120 and y - map_box["y"] < 200  # near the corner, below the buttons
    page.mouse.click(x, y)
    page.locator(".asset-popup-name").wait_for()
    wait_until_idle(page)  # the pan has ended
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    assert popup["x"] >= map_box["x"] and popup["y"] >= map_box["y"]
    assert popup["x"] + popup["width"] <= map_box["x"] + map_box["width"]
    assert popup["y"] + popup["height"] <= map_box["y"] + map_box["height"]
    overlaps = not (popup["x"] + popup["width"] <= zoom["x"] or zoom["x"] + zoom["width"] <= popup["x"]
                    or popup["y"] + popup["height"] <= zoom["y"] or zoom["y"] + zoom["height"] <= popup["y"])
    assert not overlaps
    assert recorded.errors == []
