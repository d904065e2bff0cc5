"""The staff import page in a real browser: upload a file, see its first rows on the map (a bad row in red)
and the report, fix the file, confirm; the import runs as a job in a real worker process while the
job's page shows its progress. Offline, in Chinese. Screenshot: /tmp/import-preview.png."""

import json
import re

import pytest
from django.core.cache import cache

from dataio.models import Job
from gardens.models import PaintedElectricalBox
from registry.staffing import Role
from tests.dataio.files import feature, point
from tests.dataio.jobs import start_worker, stop_worker, wait_for
from tests.factories import make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def admin(settings, tmp_path):
    settings.DATAIO_IMPORT_DIR = tmp_path / "imports"
    cache.clear()
    make_test_district()
    user = make_staff(Role.DISTRICT_ADMIN, username="gis")
    user.set_password(PASSWORD)
    user.save()
    return user


def write(tmp_path, name, features):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def test_upload_preview_on_the_map_then_confirm(open_page, live_server, admin, tmp_path):
    good = [feature(point(113.235, 23.122), external_id="B1", name_zh="醒狮电箱"),
            feature(point(113.245, 23.127), external_id="B2", name_zh="龙舟电箱")]
    bad = good + [feature(point(113.300, 23.200), external_id="B3", name_zh="远处电箱")]
    recorded = open_page(locale="zh-CN")
    page = recorded.page
    page.goto(f"{live_server.url}/staff/import/", wait_until="domcontentloaded")
    page.wait_for_url("**/accounts/login/?next=/staff/import/")
    page.locator("input[name=username]").fill("gis")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/staff/import/")

    page.set_input_files("input[name=file]", write(tmp_path, "boxes.geojson", bad))
    page.select_option("select[name=kind]", "painted_box")
    page.locator(".import-form button[type=submit]").click()
    page.locator("[data-import-map][data-drawn='3']").wait_for()
    assert page.locator(".import-map path.leaflet-interactive").count() == 3
    assert page.locator(".import-map path[stroke='#b3261e']").count() == 1  # the row outside the district
    assert "boxes\t3\tgeometry\t" in page.locator(".import-problems").inner_text()  # layer, row, field, problem
    assert page.locator("button[value=confirm]").count() == 0
    page.screenshot(path="/tmp/import-preview.png", full_page=True)

    page.set_input_files("input[name=file]", write(tmp_path, "boxes.geojson", good))
    page.select_option("select[name=kind]", "painted_box")
    page.locator(".import-form button[type=submit]").click()
    page.locator("[data-import-map][data-drawn='2']").wait_for()
    page.locator("button[value=confirm]").click()
    page.wait_for_url(re.compile(r".*/staff/jobs/\d+/$"))  # the import is a job now (issue 20)
    assert page.locator("progress.job-progress").count() == 1
    worker = start_worker(tmp_path / "worker.log")  # a real worker process runs it
    try:
        wait_for(lambda: PaintedElectricalBox.objects.count() == 2, "the job's import")
        wait_for(lambda: Job.objects.get().finished_at is not None, "the job's end")
    finally:
        stop_worker(worker)
    page.reload()
    page.locator(".job").wait_for()
    assert not recorded.errors and not recorded.dialogs
    assert all(not url.startswith("http") or url.startswith(live_server.url) or "tile.openstreetmap.org" in url
               for url in recorded.requests)
