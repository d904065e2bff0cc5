"""A background job's progress page in a real browser (issue 20), with a real worker process: a staff
member uploads a large import, confirms it, sees the job wait for a worker, then the phase change and the
bar move; leaves the page and comes back to the same job from the import page; sees the row report at the
end. Another import, cancelled while it waits, shows "cancelled" and writes nothing. In Chinese.
Screenshot: /tmp/job-progress.png."""

import re

import pytest
from django.core.cache import cache

from dataio.models import Job
from gardens.models import PaintedElectricalBox
from registry.staffing import Role
from tests.dataio.jobs import start_worker, stop_worker, wait_for, write_points
from tests.factories import make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Lychee-Bay-2021!"
#: Rows enough for the reading and checking phases to last a few seconds of the page's polling (each
#: second) now that the checks and the write are set-based: 12,000 rows went by between two polls.
ROWS = 40_000


@pytest.fixture
def admin(settings, tmp_path, monkeypatch):
    settings.DATAIO_IMPORT_DIR = tmp_path / "imports"
    # Previewed in the request, whatever the size (a preview job: tests/dataio/test_preview_jobs.py).
    settings.DATAIO_PREVIEW_JOB_BYTES = 64 * 1024 * 1024
    monkeypatch.setattr("dataio.web.importing.MAX_ROWS", ROWS)
    cache.clear()
    make_test_district()
    user = make_staff(Role.DISTRICT_ADMIN, username="gis")
    user.set_password(PASSWORD)
    user.save()
    return user


def upload_and_confirm(page, live_server, path) -> str:
    page.goto(f"{live_server.url}/staff/import/", wait_until="domcontentloaded")
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=kind]", "painted_box")
    page.locator(".import-form button[type=submit]").click()
    page.locator("button[value=confirm]").click(timeout=60_000)  # the preview checks every row first
    page.wait_for_url(re.compile(r".*/staff/jobs/\d+/$"))
    return page.url


def test_the_progress_page_follows_a_real_worker_and_a_cancel_writes_nothing(open_page, live_server, admin, tmp_path):
    recorded = open_page(locale="zh-CN")
    page = recorded.page
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/import/", wait_until="domcontentloaded")
    page.locator("input[name=username]").fill("gis")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/staff/import/")

    big_url = upload_and_confirm(page, live_server, write_points(tmp_path / "big" / "大批电箱.geojson", ROWS))
    assert page.locator(".job[data-phase='queued']").count() == 1  # no worker yet: it waits
    assert "等待" in page.locator("[data-job-field=phase_label]").inner_text()

    small_url = upload_and_confirm(page, live_server, write_points(tmp_path / "small" / "小批电箱.geojson", 3, "S"))
    assert small_url != big_url
    page.locator("[data-job-cancel] button").click()  # still waiting: it never starts
    page.locator(".job[data-phase='cancelled']").wait_for()
    assert "导入已取消，未写入任何数据。" in page.locator(".import-report").inner_text()

    page.goto(big_url, wait_until="domcontentloaded")
    worker = start_worker(tmp_path / "worker.log")  # a real worker process takes the big import
    try:
        page.wait_for_function("() => ['reading', 'checking'].includes(document.querySelector('.job').dataset.phase)"
                               " && document.querySelector('progress.job-progress').value > 0", timeout=60_000)
        done = int(page.locator("[data-job-field=rows_done]").inner_text())
        assert 0 < done <= ROWS and page.locator("[data-job-field=rows_total]").inner_text() == str(ROWS)
        page.screenshot(path="/tmp/job-progress.png", full_page=True)

        page.goto(f"{live_server.url}/staff/import/", wait_until="domcontentloaded")  # leave, then come back
        page.locator(".import-jobs a", has_text="大批电箱.geojson").click()
        page.wait_for_url(big_url)
        page.locator(".job-done").wait_for(timeout=120_000)  # the page reloads itself when the job ends
    finally:
        stop_worker(worker)
    report = page.locator(".import-report").inner_text()
    assert re.search(rf"已导入：新增 {ROWS // 1000},?000 项，更新 0 项资产。", report), report
    assert PaintedElectricalBox.objects.count() == ROWS
    assert not PaintedElectricalBox.objects.filter(external_id__startswith="S").exists()
    assert [job.phase for job in Job.objects.order_by("pk")] == [Job.Phase.DONE, Job.Phase.CANCELLED]
    assert not recorded.errors and not recorded.dialogs
