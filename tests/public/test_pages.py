"""The resident-facing asset pages: asset page, map popup, search, QR codes and the printable plaque."""

import datetime
import io
import itertools
import re
from xml.etree import ElementTree

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from PIL import Image, ImageOps
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import AdoptionStatus
from gardens.models import Vegetation
from heritage.models import Motif, ProtectionLevel
from registry.photos import Photo
from registry.photos.pipeline import add_photo
from tests.factories import (
    AdopterFactory,
    AdoptionFactory,
    GardenFactory,
    GreenPlotFactory,
    HeritageFactory,
    MuralFactory,
    UserFactory,
    make_district_admin,
)
from upkeep.models import UpkeepAction, UpkeepLog

PHOTO_GREENS = itertools.cycle(range(80, 256, 8))
XSS = "<img src=x onerror=alert(1)>"
ESCAPED_XSS = "&lt;img src=x onerror=alert(1)&gt;"
CJK = re.compile(r"[\u4e00-\u9fff]")


def days(n):
    return datetime.timedelta(days=n)


def current_period():
    today = timezone.localdate()
    return DateRange(today - days(30), today + days(300))


def make_photo(asset, caption="", is_public=True):
    """A real PNG, through the photo pipeline into MEDIA_ROOT; each a new colour, so each its own file."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, next(PHOTO_GREENS), 0)).save(buffer, format="PNG")
    return add_photo(asset=asset, upload=SimpleUploadedFile("photo.png", buffer.getvalue()), uploaded_by=None,
                     caption=caption, is_public=is_public)


def log_upkeep(asset, action, adopter=None, staff=None, ago=1):
    return UpkeepLog.objects.create(asset=asset, action=action, adopter=adopter, staff=staff,
                                    performed_at=timezone.now() - days(ago))


def page(client, asset):
    """The asset page in English."""
    return client.get(reverse("asset-detail", args=[asset.pk]), HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def plot(district):
    return GreenPlotFactory(name_zh="荔枝湾认领绿地", name_en="Lizhiwan green plot", address="荔湾区逢源路1号",
                            vegetation=Vegetation.FLOWER_BED, description="种满了月季。")


@pytest.fixture
def adopted_plot(plot):
    adopter = AdopterFactory(display_name="绿荫志愿队", mobile="13912345678", email="lvyin@example.org",
                             contact_person="黄大文")
    AdoptionFactory(asset=plot, adopter=adopter, period=current_period())
    return plot, adopter


# The asset page -----------------------------------------------------------------------------------

def test_page_shows_name_kind_facts_and_place(client, plot):
    response = page(client, plot)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Lizhiwan green plot" in text and "荔枝湾认领绿地" in text
    assert "green plot" in text  # kind label
    assert "Vegetation" in text and "flower bed" in text  # the kind's own field, by its label
    assert "Watering needs" in text
    assert "W街道" in text and "荔湾区逢源路1号" in text and "种满了月季。" in text


def test_page_is_chinese_by_default(client, plot):
    text = client.get(reverse("asset-detail", args=[plot.pk])).content.decode()
    with translation.override("zh-hans"):
        kind = str(plot.get_kind_display())
    assert '<html lang="zh-hans">' in text
    assert "<h1>荔枝湾认领绿地</h1>" in text and kind in text and CJK.search(kind)


def test_choice_arrays_and_dates_of_other_kinds_are_shown_by_label(client, district):
    mural = MuralFactory(motif_tags=[Motif.LION_DANCE, Motif.DRAGON_BOAT], artist="关师傅",
                         painted_on=datetime.date(2021, 12, 1))
    text = page(client, mural).content.decode()
    assert "Motifs" in text and "lion dance" in text and "dragon boat" in text
    assert "Dec. 1, 2021" in text and "关师傅" in text
    heritage = HeritageFactory(protection_level=ProtectionLevel.PROVINCIAL)
    assert "provincial cultural relic protection unit" in page(client, heritage).content.decode()


def test_page_shows_the_adopter_public_name_never_contact_details(client, adopted_plot):
    plot, adopter = adopted_plot
    text = page(client, plot).content.decode()
    assert "绿荫志愿队" in text and "volunteer" in text
    for private in ("13912345678", "139****5678", "lvyin@example.org", "黄大文"):
        assert private not in text


def test_page_lists_past_adopters_but_not_requests_or_future_ones(client, plot):
    today = timezone.localdate()
    AdoptionFactory(asset=plot, adopter=AdopterFactory(display_name="老街坊"), status=AdoptionStatus.ENDED,
                    period=DateRange(today - days(800), today - days(400)))
    AdoptionFactory(asset=plot, adopter=AdopterFactory(display_name="茶楼"),
                    period=DateRange(today - days(300), today - days(100)))  # approved, expired
    AdoptionFactory(asset=plot, adopter=AdopterFactory(display_name="申请中"), status=AdoptionStatus.REQUESTED)
    AdoptionFactory(asset=plot, adopter=AdopterFactory(display_name="被拒绝"), status=AdoptionStatus.REJECTED)
    text = page(client, plot).content.decode()
    assert "Earlier adopters" in text and "老街坊" in text and "茶楼" in text
    assert "申请中" not in text and "被拒绝" not in text
    # the last day shown is the one before the range's exclusive upper bound
    assert f"to {date_format(today - days(101))}" in text and date_format(today - days(100)) not in text
    assert "Looking for an adopter" in text and "being reviewed" in text  # adoptable, a request pending


def test_page_shows_recent_upkeep_with_street_office_or_adopter_name(client, adopted_plot):
    plot, adopter = adopted_plot
    staff = UserFactory(username="zhang.wei", first_name="伟", last_name="张", is_staff=True)
    log_upkeep(plot, UpkeepAction.WATERING, adopter=adopter, ago=1)
    log_upkeep(plot, UpkeepAction.PRUNING, staff=staff, ago=2)
    for n in range(12):
        log_upkeep(plot, UpkeepAction.WEEDING, staff=staff, ago=10 + n)
    text = page(client, plot).content.decode()
    assert "watering" in text and "pruning" in text and "Street office" in text
    assert "zhang.wei" not in text and "张" not in text
    assert text.count("<td>weeding</td>") == 8  # the ten latest logs only


def test_gallery_shows_public_photos_lazily_with_alt_text(client, plot, media_root):
    captioned = make_photo(plot, caption="春天的花坛")
    assert (media_root / captioned.large.name).is_file() and captioned.width == 40
    uncaptioned = make_photo(plot)
    hidden = make_photo(plot, caption="内部照片", is_public=False)
    text = page(client, plot).content.decode()
    assert f'<a href="{captioned.large.url}">' in text
    assert f'src="{captioned.small.url}" alt="春天的花坛" loading="lazy"' in text
    assert f'src="{uncaptioned.small.url}" alt="Lizhiwan green plot" loading="lazy"' in text
    assert hidden.small.url not in text and hidden.large.url not in text and "内部照片" not in text


def test_page_carries_the_map_data_and_loads_leaflet_from_the_project(client, plot):
    text = page(client, plot).content.decode()
    assert f'data-lat="{plot.location.y}"' in text and f'data-lon="{plot.location.x}"' in text
    assert '<script id="asset-geometry" type="application/json">{"type": "Polygon"' in text
    assert "/static/leaflet/leaflet.js" in text and "/static/leaflet/leaflet.css" in text
    assert "/static/js/asset.js" in text


def csp_blockers(html: str) -> list[str]:
    """What a Content-Security-Policy without 'unsafe-inline' would block: inline scripts, handlers, styles."""
    return (re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
            + re.findall(r"<[^>]*\s(?:on[a-z]+|style)=[^>]*>", html) + re.findall(r"<style\b", html))


def test_pages_work_under_a_csp_without_unsafe_inline(client, plot):
    AdoptionFactory(asset=plot, period=current_period())
    make_photo(plot, caption="花坛")
    log_upkeep(plot, UpkeepAction.WATERING, staff=UserFactory())
    for name in ("asset-detail", "asset-plaque"):
        html = client.get(reverse(name, args=[plot.pk])).content.decode()
        assert csp_blockers(html) == [], name
    assert csp_blockers(client.get(reverse("asset-detail", args=[987654])).content.decode()) == []


def test_page_links_qr_plaque_adopt_and_report(client, plot):
    text = page(client, plot).content.decode()
    assert reverse("asset-qr-png", args=[plot.pk]) in text
    assert reverse("asset-plaque", args=[plot.pk]) in text
    assert f'href="{reverse("adopt-asset", args=[plot.pk])}">Adopt<' in text  # adoptable, no adopter
    assert f'href="{reverse("report-problem", args=[plot.pk])}">Report a problem<' in text


def test_hidden_asset_is_404_for_residents_and_shown_to_staff(client, district):
    hidden = GardenFactory(is_public=False)
    for name in ("asset-detail", "asset-popup", "asset-qr-svg", "asset-qr-png", "asset-plaque"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404, name
    client.force_login(make_district_admin())
    for name in ("asset-detail", "asset-popup", "asset-qr-svg", "asset-qr-png", "asset-plaque"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 200, name


def test_unknown_asset_is_a_404_page_in_the_visitors_language(client, db):
    url = reverse("asset-detail", args=[987654])
    chinese = client.get(url)
    assert chinese.status_code == 404
    with translation.override("zh-hans"):
        heading = gettext("Page not found")
    assert CJK.search(heading) and heading in chinese.content.decode()
    assert '<html lang="zh-hans">' in chinese.content.decode()

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404
    assert "Page not found" in english.content.decode() and '<html lang="en">' in english.content.decode()


def test_names_are_escaped_on_the_page(client, plot):
    plot.name_zh = plot.name_en = XSS
    plot.save()
    adopter = AdopterFactory(display_name=XSS)
    AdoptionFactory(asset=plot, adopter=adopter, period=current_period())
    log_upkeep(plot, UpkeepAction.WATERING, adopter=adopter)
    make_photo(plot)  # its alt text is the asset's name
    for language in ("en", "zh-hans"):
        text = client.get(reverse("asset-detail", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert XSS not in text and ESCAPED_XSS in text


def test_page_query_count_does_not_grow_with_photos_adopters_and_upkeep(client, adopted_plot,
                                                                        django_assert_max_num_queries):
    plot, adopter = adopted_plot
    today = timezone.localdate()
    for n in range(3):
        make_photo(plot, caption=f"照片{n}")
        AdoptionFactory(asset=plot, status=AdoptionStatus.ENDED,
                        period=DateRange(today - days(1000 - 100 * n), today - days(950 - 100 * n)))
    for n in range(10):
        log_upkeep(plot, UpkeepAction.WATERING, adopter=adopter if n % 2 else None,
                   staff=None if n % 2 else UserFactory(), ago=n + 1)
    # asset + adoption state, its kind's row, photos, past adoptions, upkeep, open problems, its projects,
    # the consultation resolutions concerning it, the check-in routes it is a stop of
    with django_assert_max_num_queries(9):
        assert page(client, plot).status_code == 200


# The map popup ----------------------------------------------------------------------------------

def test_popup_json_for_an_adopted_asset(client, adopted_plot):
    plot, _adopter = adopted_plot
    old = make_photo(plot, caption="旧照片")
    Photo.objects.filter(pk=old.pk).update(taken_at=timezone.now() - days(365))
    newest = make_photo(plot)  # undated: counts from its upload, so it is the newest and the thumbnail
    data = client.get(reverse("asset-popup", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").json()
    assert data == {
        "id": plot.pk, "name": "Lizhiwan green plot", "kind": "green_plot", "kind_label": "green plot",
        "status_label": "in use", "url": reverse("asset-detail", args=[plot.pk]),
        "thumbnail_url": newest.small.url, "thumbnail_alt": "Lizhiwan green plot",
        "adopter_name": "绿荫志愿队", "adopter_kind_label": "volunteer",
        "looking_for_adopter": False, "pending": False, "open_problems": 0, "open_problems_label": None,
    }


def test_popup_json_for_an_adoptable_asset_in_chinese(client, plot):
    AdoptionFactory(asset=plot, status=AdoptionStatus.REQUESTED)
    make_photo(plot, is_public=False)
    data = client.get(reverse("asset-popup", args=[plot.pk])).json()
    with translation.override("zh-hans"):
        kind_label = str(plot.get_kind_display())
    assert data["name"] == "荔枝湾认领绿地" and data["kind_label"] == kind_label
    assert data["thumbnail_url"] is None and data["thumbnail_alt"] is None
    assert data["adopter_name"] is None and data["adopter_kind_label"] is None
    assert data["looking_for_adopter"] is True and data["pending"] is True


def test_popup_is_two_queries(client, adopted_plot, django_assert_num_queries):
    plot, _adopter = adopted_plot
    make_photo(plot)
    with django_assert_num_queries(2):  # the asset with its adoption state and open problems; its photo
        assert client.get(reverse("asset-popup", args=[plot.pk])).status_code == 200


def test_popup_name_is_a_json_string_not_markup(client, plot):
    plot.name_zh = XSS
    plot.save()
    response = client.get(reverse("asset-popup", args=[plot.pk]))
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"] == XSS


# Search -----------------------------------------------------------------------------------------

def test_search_finds_a_chinese_substring_and_leaves_out_hidden_assets(client, district):
    hall = HeritageFactory(name_zh="陈家祠", name_en="Chen Clan Ancestral Hall", address="中山七路恩龙里34号")
    HeritageFactory(name_zh="李家祠", is_public=False)
    GardenFactory(name_zh="荔枝湾花园")
    data = client.get(reverse("asset-search"), {"q": "家祠"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data == {"results": [{
        "id": hall.pk, "name": "Chen Clan Ancestral Hall", "kind": "heritage", "kind_label": "heritage building",
        "address": "中山七路恩龙里34号", "lon": pytest.approx(hall.location.x), "lat": pytest.approx(hall.location.y),
        "url": reverse("asset-detail", args=[hall.pk]),
    }]}
    assert [r["id"] for r in client.get(reverse("asset-search"), {"q": "恩龙里"}).json()["results"]] == [hall.pk]


def test_search_shows_staff_hidden_assets_and_caps_results(client, district):
    hidden = HeritageFactory(name_zh="李家祠", is_public=False)
    client.force_login(make_district_admin())
    assert [r["id"] for r in client.get(reverse("asset-search"), {"q": "李家"}).json()["results"]] == [hidden.pk]
    for n in range(25):
        GardenFactory(name_zh=f"社区花园{n}")
    assert len(client.get(reverse("asset-search"), {"q": "社区花园"}).json()["results"]) == 20


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "%"}, {"q": "_"}, {"q": "不存在的地方"}])
def test_search_with_nothing_to_find_is_empty(client, district, query):
    GardenFactory(name_zh="荔枝湾花园")
    response = client.get(reverse("asset-search"), query)
    assert response.status_code == 200 and response.json() == {"results": []}


@pytest.mark.parametrize("text", ["家" * 101, "a\x00b"])
def test_search_refuses_bad_input_with_a_message(client, district, text):
    response = client.get(reverse("asset-search"), {"q": text}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["results"] == [] and "at most 100 characters" in response.json()["error"]


# QR codes and the plaque ------------------------------------------------------------------------

def read_modules(png: bytes, count: int) -> list[list[bool]]:
    """Read a QR symbol's ``count``×``count`` modules back from a PNG (dark = True), whatever its scale and border."""
    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = ImageOps.invert(image).getbbox()  # the finder patterns mark the corners
    step = (right - left) / count
    return [[image.getpixel((int(left + (col + 0.5) * step), int(top + (row + 0.5) * step))) < 128
             for col in range(count)] for row in range(count)]


def test_qr_png_encodes_the_absolute_asset_url(client, plot):
    response = client.get(reverse("asset-qr-png", args=[plot.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    Image.open(io.BytesIO(response.content)).verify()  # a real PNG
    expected = segno.make(f"http://testserver/assets/{plot.pk}/", error="m")
    assert read_modules(response.content, expected.symbol_size(border=0)[0]) == \
        [[bool(cell) for cell in row] for row in expected.matrix]


def svg_modules(svg: bytes) -> list[list[bool]]:
    """Read a QR symbol's modules back from segno's SVG path (``M``/``m`` moves, ``h`` dark runs)."""
    root = ElementTree.fromstring(svg)
    d = next(p.get("d") for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "qrline")
    x = y = 0.0
    dark = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", d):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            dark |= {(int(y), int(x) + i) for i in range(int(first))}
            x += int(first)
    top, left = min(r for r, _c in dark), min(c for _r, c in dark)
    size = max(c for _r, c in dark) - left + 1
    return [[(top + row, left + col) in dark for col in range(size)] for row in range(size)]


def test_qr_svg_encodes_the_same_url_and_scales(client, plot):
    response = client.get(reverse("asset-qr-svg", args=[plot.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert ElementTree.fromstring(response.content).get("viewBox")  # so that it scales on the plaque
    expected = segno.make(f"http://testserver/assets/{plot.pk}/", error="m")
    assert svg_modules(response.content) == [[bool(cell) for cell in row] for row in expected.matrix]


def test_plaque_shows_names_adopter_credit_qr_and_district(client, adopted_plot):
    plot, _adopter = adopted_plot
    text = client.get(reverse("asset-plaque", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "荔枝湾认领绿地" in text and "Lizhiwan green plot" in text
    assert "Adopted by" in text and "绿荫志愿队" in text
    assert f'<img src="{reverse("asset-qr-svg", args=[plot.pk])}"' in text
    assert "测试区" in text and "green plot" in text
    with translation.override("zh-hans"):
        assert str(plot.get_kind_display()) in text  # bilingual whatever the visitor's language
    assert "13912345678" not in text


def test_plaque_of_an_adoptable_asset_asks_for_an_adopter(client, plot):
    text = client.get(reverse("asset-plaque", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Looking for an adopter" in text and "Adopted by" not in text


def test_plaque_of_an_asset_nobody_adopts_has_no_credit_line(client, district):
    heritage = HeritageFactory(name_zh="陈家祠")
    text = client.get(reverse("asset-plaque", args=[heritage.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Looking for an adopter" not in text and "Adopted by" not in text and "陈家祠" in text


def test_names_are_escaped_on_the_plaque(client, plot):
    plot.name_zh = plot.name_en = XSS
    plot.save()
    AdoptionFactory(asset=plot, adopter=AdopterFactory(display_name=XSS), period=current_period())
    text = client.get(reverse("asset-plaque", args=[plot.pk])).content.decode()
    assert XSS not in text and ESCAPED_XSS in text

