"""Street staff on a phone record a retrofit's planning permit; the programme page's funnel moves by one.

Screenshots: /tmp/elevator-stage-phone.png, /tmp/elevator-programme-phone.png.
"""

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from elevators.models import StageEvent
from registry.staffing import Role
from retrofits.models import RetrofitStage
from tests.browser.devices import PHONE
from tests.factories import ElevatorFactory, make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def waiting_retrofit():
    cache.clear()
    areas = make_test_district()
    staff = make_staff(Role.STREET_STAFF, username="liang", streets=[areas["E"]])
    staff.set_password(PASSWORD)
    staff.save()
    retrofit = ElevatorFactory(name_zh="龙津西路3号加装电梯", geometry=Point(113.246, 23.128, srid=4326),
                               stage=RetrofitStage.APPLICATION)
    StageEvent.objects.filter(retrofit=retrofit).delete()
    StageEvent.objects.create(retrofit=retrofit, stage="accepted", happened_on="2024-01-05")
    StageEvent.objects.create(retrofit=retrofit, stage="consent", happened_on="2024-02-20", owners_share=80,
                              floor_area_share=78)
    return retrofit


def funnel_permit_count(page) -> str:
    return page.locator('tr[data-stage="planning_permit"] td').first.inner_text()


def test_staff_record_a_planning_permit_from_a_phone_and_the_funnel_moves(open_page, live_server, waiting_retrofit):
    page = open_page(locale="zh-CN", **PHONE).page
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/elevators/", wait_until="domcontentloaded")
    page.locator("#id_username").fill("liang")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/staff/elevators/")
    assert funnel_permit_count(page) == "0"
    assert page.locator('[data-figure="total"]').inner_text() == "1"

    page.goto(f"{live_server.url}/staff/retrofits/{waiting_retrofit.pk}/stage/", wait_until="domcontentloaded")
    assert page.locator("#id_stage").input_value() == "planning_permit"  # the next stage is proposed
    page.locator("#id_happened_on").fill("2024-03-15")
    page.locator("#id_document_number").fill("穗规建证〔2024〕18号")
    page.screenshot(path="/tmp/elevator-stage-phone.png", full_page=True)
    page.get_by_role("button", name="记录阶段").click()
    page.wait_for_load_state("domcontentloaded")
    assert "阶段已记录。" in page.content()
    assert page.locator('.stage-history li[data-stage="planning_permit"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/staff/elevators/", wait_until="domcontentloaded")
    assert funnel_permit_count(page) == "1"
    assert page.locator('[data-figure="under_construction"]').inner_text() == "1"
    page.screenshot(path="/tmp/elevator-programme-phone.png", full_page=True)
    waiting_retrofit.refresh_from_db()
    assert waiting_retrofit.stage == RetrofitStage.PLANNING_PERMIT
