"""Issue 13, item 8: /favicon.ico is served (no 404 on every page), pages link the icon, and the staff
workbench installs as an app with its icons."""

import io
import json

from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.factories import GreenPlotFactory, make_district_admin


def test_favicon_ico_is_served_at_the_site_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert "max-age" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


def test_every_layout_links_the_icon(client, district):
    plot = GreenPlotFactory()
    pages = [reverse("map"), reverse("asset-detail", args=[plot.pk]), reverse("login")]
    for url in pages:
        text = client.get(url).content.decode()
        assert 'rel="icon" href="/static/favicon.ico"' in text, url
        assert 'rel="apple-touch-icon"' in text, url
    client.force_login(make_district_admin())
    staff_page = client.get(reverse("staff-home")).content.decode()
    assert 'rel="icon"' in staff_page and f'rel="manifest" href="{reverse("staff-manifest")}"' in staff_page


def test_the_staff_app_manifest_names_the_workbench_and_its_icons_exist(client, db):
    response = client.get(reverse("staff-manifest"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == reverse("staff-home") and manifest["display"] == "standalone"
    assert manifest["name"] == "荔湾绿地：工作台"
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        width, height = Image.open(path).size
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes
