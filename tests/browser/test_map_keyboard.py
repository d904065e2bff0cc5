"""Issue 13, item 6: the map's features reached by keyboard alone — through the list of the assets in
view, which opens the same popup as a click — and a focus ring of at least 3:1 (WCAG 1.4.11)."""

import pytest

from tests.browser.test_map import BOX_AT, XSS_NAME, assets, open_map, wait_until_idle  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parse_rgb(css):
    return [int(float(part)) for part in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


def test_a_feature_popup_is_reached_by_keyboard_alone(open_page, live_server, assets):  # noqa: F811
    recorded = open_page(locale="zh-CN", reduced_motion="reduce")
    page = recorded.page
    page.goto(f"{live_server.url}/?z=16&lat={BOX_AT[0]}&lon={BOX_AT[1]}", wait_until="domcontentloaded")
    wait_until_idle(page)
    summary = page.locator("#map-in-view summary")
    for _ in range(60):  # Tab from the top of the page until the list's toggle has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("() => document.activeElement.closest('#map-in-view') !== null")

    # Its focus ring stands out from the panel's white by at least 3:1.
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineColor")
    width = page.evaluate("() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert width >= 2 and contrast(parse_rgb(ring), (255, 255, 255)) >= 3, ring

    page.keyboard.press("Enter")
    first = page.locator(".in-view-item").first
    first.wait_for()
    assert page.locator("#map-in-view-status").inner_text().startswith("视野内的资产：")
    assert XSS_NAME in first.inner_text()  # the box is nearest the middle; its name shown as text
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "in-view-item"
    page.keyboard.press("Enter")
    name = page.locator(".asset-popup-name")
    name.wait_for()
    assert name.inner_text() == XSS_NAME
    assert page.evaluate("() => document.activeElement.className") == "asset-popup-name"
    page.keyboard.press("Escape")  # closes the popup and gives the focus back to the list
    assert page.locator(".leaflet-popup").count() == 0
    assert page.evaluate("() => document.activeElement.className") == "in-view-item"

    # The list follows the filters: the box's layer off, the box leaves the list.
    page.locator("#map-panel-toggle").evaluate("toggle => toggle.getAttribute('aria-expanded') === 'false' && toggle.click()")
    page.locator("input[name=layers][value=painted_box]").uncheck()
    page.wait_for_function("() => !document.querySelector('#map-in-view-list').innerText.includes('Painted box')"
                           " && !document.querySelector('#map-in-view-list').innerText.includes('<img')")
    assert recorded.dialogs == [] and recorded.errors == []
