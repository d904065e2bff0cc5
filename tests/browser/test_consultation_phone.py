"""A community (grid) worker records a building meeting with two resolutions on a phone; one is carried
out by linking an upkeep log; the public register then shows it executed and the community's rate
goes from 0.00% to 50.00%.

Screenshots: /tmp/consultation-staff-phone.png, /tmp/consultation-register-phone.png.
"""

import pytest
from django.core.cache import cache
from django.utils import timezone

from consultation.models import Meeting, ResolutionStatus
from registry.staffing import Role
from tests.browser.axe import axe_violations
from tests.browser.devices import PHONE
from tests.factories import GreenPlotFactory, make_staff, make_test_district
from upkeep.models import UpkeepLog

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    areas = make_test_district()
    user = make_staff(Role.GRID_WORKER, username="li", communities=[areas["W1"]])
    user.set_password(PASSWORD)
    user.save()
    log = UpkeepLog.objects.create(asset=GreenPlotFactory(), action="cleaning", staff=user, performed_at=timezone.now())
    return user, areas["W1"], log


def test_a_community_worker_records_a_building_meeting_and_carries_out_a_resolution(open_page, live_server, worker):
    user, community, log = worker
    page = open_page(locale="en-US", **PHONE).page
    page.goto(f"{live_server.url}/staff/consultation/new/", wait_until="domcontentloaded")
    page.wait_for_url("**/accounts/login/?next=/staff/consultation/new/")
    page.get_by_label("Mobile number or user name").fill("li")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/consultation/new/")
    assert axe_violations(page) == []

    page.get_by_label("building meeting").check()
    page.get_by_label("Community", exact=True).select_option(str(community.pk))
    page.get_by_label("Building's address").fill("多宝路12号")
    page.get_by_label("Venue").select_option("online_group")
    page.get_by_label("Convened by").select_option("building_leader")
    page.get_by_label("Topic").fill("楼道改造")
    page.get_by_label("Participants", exact=True).fill("40")
    for row, text, votes in ((1, "清理楼道杂物", "37"), (2, "粉刷楼道墙面", "30")):
        fields = page.locator(f"fieldset[data-resolution-row='{row}']")
        fields.get_by_label(f"Resolution {row}", exact=True).fill(text)
        fields.get_by_label("Votes for").fill(votes)
        fields.get_by_label("Votes against").fill("2")
    page.get_by_role("button", name="Save the meeting").click()
    page.locator(".staff-messages", has_text="Meeting recorded.").wait_for()
    meeting = Meeting.objects.get()
    assert (meeting.level, meeting.created_by, meeting.resolutions.count()) == ("building", user, 2)

    register = open_page(locale="en-US", **PHONE).page
    register.goto(f"{live_server.url}/consultation/{community.code}/", wait_until="domcontentloaded")
    assert register.locator("[data-rate]").inner_text() == "0.00%"

    first = meeting.resolutions.order_by("id").first()
    item = page.locator(f"li[data-resolution='{first.pk}']")
    item.get_by_text("Record it as executed").click()
    item.get_by_label("Upkeep log number").fill(str(log.pk))
    item.get_by_role("button", name="Executed", exact=True).click()
    page.locator(".staff-messages", has_text="The resolution is recorded as executed.").wait_for()
    page.screenshot(path="/tmp/consultation-staff-phone.png", full_page=True)
    first.refresh_from_db()
    assert (first.status, first.carried_by_upkeep) == (ResolutionStatus.EXECUTED, log)

    register.reload(wait_until="domcontentloaded")
    executed = register.locator(f"li[data-resolution='{first.pk}']")
    assert executed.locator("[data-status]").inner_text() == "executed"
    assert "upkeep log" in executed.locator(".resolution-evidence").inner_text()
    assert register.locator("[data-rate]").inner_text() == "50.00%"
    register.screenshot(path="/tmp/consultation-register-phone.png", full_page=True)
    assert axe_violations(register) == []
