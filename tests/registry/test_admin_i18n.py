"""The admin speaks Chinese first and English on request, shows Leaflet from our own static
files, and every kind's changelist filters and searches.

The compiled catalogues (.mo) are not in git: `make test` compiles them first (its `messages`
target). Run `make messages` before calling pytest directly.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from registry.assets import AssetStatus
from tests.factories import (
    AdopterFactory,
    ElevatorFactory,
    GardenFactory,
    GreenPlotFactory,
    HeritageFactory,
    MuralFactory,
    PaintedBoxFactory,
)

LOCALE = Path(settings.BASE_DIR) / "locale"
ZH_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def compiled_catalogues():
    """Fail clearly, rather than with a page in the wrong language, when the .mo files are missing."""
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            pytest.fail(f"{mo.relative_to(settings.BASE_DIR)} is missing: run `make messages` "
                        f"(or `make test`, which compiles the catalogues before running pytest).")
        if mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(f"{mo.relative_to(settings.BASE_DIR)} is older than its .po: run `make messages`.")


#: Tests that render pages need the compiled catalogues; the ones that read the .po do not.
renders_pages = pytest.mark.usefixtures("compiled_catalogues")


# ---------------------------------------------------------------------------------------------
# The catalogue itself


def test_every_msgid_in_the_chinese_catalogue_is_translated():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (gettext) is not installed: `make setup` installs it"
    result = subprocess.run([msgfmt, "--check-format", "--statistics", "-o", "/dev/null", str(ZH_PO)],
                            capture_output=True, text=True)
    statistics = result.stdout + result.stderr
    assert result.returncode == 0, statistics
    assert "translated message" in statistics, statistics
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


def test_chinese_catalogue_has_a_single_plural_form_and_no_fuzzy_flags():
    text = ZH_PO.read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    assert "#, fuzzy" not in text and not re.search(r"^#,.*\bfuzzy\b", text, re.MULTILINE)


# ---------------------------------------------------------------------------------------------
# Chinese by default, English on request


@renders_pages
@pytest.mark.django_db
def test_admin_index_is_chinese_by_default(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="zh-hans"' in content
    assert "荔湾区邻里花园与微改造资产台账" in content  # site header
    assert "邻里花园与绿地" in content  # the gardens app
    assert "绿地" in content and "街道" in content and "彩绘电箱" in content
    assert "Green plots" not in content


@renders_pages
@pytest.mark.django_db
def test_green_plot_changelist_is_chinese_by_default(admin_client, district):
    GreenPlotFactory(name_zh="逢源认领绿地甲")
    response = admin_client.get(reverse("admin:gardens_greenplot_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "绿地" in content and "街道" in content and "社区" in content
    assert "逢源认领绿地甲" in content
    assert "Green plots" not in content


@renders_pages
@pytest.mark.django_db
def test_admin_is_english_with_accept_language(admin_client, district):
    GreenPlotFactory(name_zh="逢源认领绿地甲")
    index = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert index.status_code == 200
    assert "Green plots" in index.content.decode()
    assert "绿地" not in index.content.decode()

    changelist = admin_client.get(reverse("admin:gardens_greenplot_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert changelist.status_code == 200
    content = changelist.content.decode()
    assert '<html lang="en"' in content
    assert "Green plots" in content and "Street" in content


@renders_pages
@pytest.mark.django_db
def test_admin_is_english_with_language_cookie(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = admin_client.get(reverse("admin:gardens_greenplot_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Green plots" in content
    assert "绿地" not in content


# ---------------------------------------------------------------------------------------------
# The map widget, served from our own static files


@renders_pages
@pytest.mark.django_db
def test_green_plot_add_form_shows_leaflet_from_local_static(admin_client):
    response = admin_client.get(reverse("admin:gardens_greenplot_add"))
    assert response.status_code == 200
    content = response.content.decode()
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', content)
    leaflet = [src for src in scripts if src.endswith("leaflet/leaflet.js")]
    assert leaflet, f"no leaflet.js among the page's scripts: {scripts}"
    assert all(src.startswith(f"/{settings.STATIC_URL.strip('/')}/") for src in leaflet), leaflet
    remote = [src for src in scripts if src.startswith(("http://", "https://", "//"))]
    assert not remote, f"scripts loaded from outside the project (no CDN in mainland China): {remote}"
    stylesheets = re.findall(r'<link[^>]*\bhref="((?:https?:)?//[^"]+)"', content)
    assert not stylesheets, f"stylesheets loaded from outside the project: {stylesheets}"
    # The geometry field is drawn as a Leaflet map, not a textarea of WKT.
    assert 'id="id_geometry-map"' in content


# ---------------------------------------------------------------------------------------------
# Every kind's changelist: 200, filters by kind / street / status, search finds the asset

KIND_ADMINS = [
    pytest.param("admin:gardens_neighbourhoodgarden_changelist", GardenFactory, "garden", "W", id="garden"),
    pytest.param("admin:gardens_greenplot_changelist", GreenPlotFactory, "green_plot", "W", id="green_plot"),
    pytest.param("admin:gardens_paintedelectricalbox_changelist", PaintedBoxFactory, "painted_box", "W",
                 id="painted_box"),
    pytest.param("admin:heritage_heritagebuilding_changelist", HeritageFactory, "heritage", "E", id="heritage"),
    pytest.param("admin:heritage_mural_changelist", MuralFactory, "mural", "E", id="mural"),
    pytest.param("admin:retrofits_elevatorretrofit_changelist", ElevatorFactory, "elevator", "E", id="elevator"),
]


def _names_listed(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200, f"{url}?{params}: {response.status_code}"
    return response.content.decode()


@renders_pages
@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "factory", "kind", "street_code"), KIND_ADMINS)
def test_kind_changelist_filters_and_searches(admin_client, district, url_name, factory, kind, street_code):
    wanted = factory(name_zh="永庆坊示范点", status=AssetStatus.IN_USE)
    other = factory(name_zh="待建对照点", status=AssetStatus.PLANNED)
    url = reverse(url_name)
    street = district[street_code]

    assert "永庆坊示范点" in _names_listed(admin_client, url, {})
    for params in ({"kind__exact": kind}, {"street__id__exact": street.pk}):
        content = _names_listed(admin_client, url, params)
        assert "永庆坊示范点" in content and "待建对照点" in content, params

    content = _names_listed(admin_client, url, {"status__exact": "in_use"})
    assert "永庆坊示范点" in content and "待建对照点" not in content

    content = _names_listed(admin_client, url, {"q": "永庆坊"})
    assert "永庆坊示范点" in content and "待建对照点" not in content

    other_street = district["E" if street_code == "W" else "W"]
    content = _names_listed(admin_client, url, {"street__id__exact": other_street.pk, "kind__exact": kind})
    assert "永庆坊示范点" not in content
    assert wanted.street == street and other.street == street


@renders_pages
@pytest.mark.django_db
def test_asset_overview_changelist_filters_and_searches(admin_client, district):
    GreenPlotFactory(name_zh="逢源认领绿地甲", status=AssetStatus.IN_USE)
    MuralFactory(name_zh="醒狮墙绘乙", status=AssetStatus.PLANNED)
    url = reverse("admin:registry_asset_changelist")

    content = _names_listed(admin_client, url, {"kind__exact": "green_plot"})
    assert "逢源认领绿地甲" in content and "醒狮墙绘乙" not in content

    content = _names_listed(admin_client, url, {"street__id__exact": district["E"].pk})
    assert "醒狮墙绘乙" in content and "逢源认领绿地甲" not in content

    content = _names_listed(admin_client, url, {"status__exact": "in_use"})
    assert "逢源认领绿地甲" in content and "醒狮墙绘乙" not in content

    content = _names_listed(admin_client, url, {"q": "醒狮"})
    assert "醒狮墙绘乙" in content and "逢源认领绿地甲" not in content


# ---------------------------------------------------------------------------------------------
# Personal data: the adopter list masks mobile numbers


@renders_pages
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_adopter_changelist_masks_the_mobile_number(admin_client, language):
    AdopterFactory(display_name="逢源街志愿服务队", mobile="13812345678")
    response = admin_client.get(reverse("admin:adopters_adopter_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()
    assert "逢源街志愿服务队" in content
    assert "138****5678" in content
    assert "13812345678" not in content
    assert ("手机号码" if language == "zh-hans" else "Mobile") in content
