"""The SITE loop on a phone: a grid worker does a safety round, fails one item, which raises a risk in
one tap; an intervention is planned and closed with a photo; the street office's next evaluation of
the community counts the risk found and removed.

Screenshots: /tmp/safety-round-phone.png, /tmp/safety-risk-phone.png, /tmp/safety-evaluation-phone.png.
"""

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from registry.staffing import Role
from safety import operations
from safety.models import Intervention, Risk
from tests.browser.devices import PHONE
from tests.factories import make_district_admin, make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)

HERE = {"latitude": 23.12212, "longitude": 113.23530}  # grid W1S of the test district
PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    areas = make_test_district()
    users = {"grid": make_staff(Role.GRID_WORKER, username="grid", grids=[areas["W1S"]]),
             "office": make_staff(Role.STREET_STAFF, username="office", streets=[areas["W"]])}
    for user in users.values():
        user.set_password(PASSWORD)
        user.save()
    admin = make_district_admin("district")
    checklist = operations.create_checklist(actor=admin, name_zh="消防安全巡查", items=[
        ("灭火器在位", "fire", "high"), ("疏散通道畅通", "fire", "high")])
    safety_round = operations.schedule_round(actor=admin, community=areas["W1"], grid=areas["W1S"],
                                             checklist=checklist, due_on=timezone.localdate())
    return {"areas": areas, "round": safety_round, **users}


def sign_in(page, url, username):
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("Mobile number or user name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)


def test_a_round_raises_a_risk_which_is_removed_and_counted(open_page, live_server, world, tmp_path):
    recorded = open_page(locale="en-US", geolocation=HERE, permissions=["geolocation"], **PHONE)
    page = recorded.page
    round_url = f"{live_server.url}/staff/safety/rounds/{world['round'].pk}/"
    sign_in(page, round_url, "grid")

    page.locator("fieldset", has_text="灭火器在位").get_by_label("passed").check()
    escape = page.locator("fieldset", has_text="疏散通道畅通")
    escape.get_by_label("failed").check()
    escape.get_by_label("note").fill("三楼楼道堆满纸箱")
    page.get_by_role("button", name="Record the round").click()
    page.locator(".staff-messages", has_text="Round recorded.").wait_for()
    page.wait_for_function("() => document.querySelector('form[data-with-position] input[name=lat]').value !== ''")
    page.screenshot(path="/tmp/safety-round-phone.png", full_page=True)
    page.get_by_role("button", name="Raise a risk").click()
    page.locator(".staff-messages", has_text="Risk recorded.").wait_for()
    risk = Risk.objects.get()
    assert (risk.source, risk.category, risk.severity, risk.grid.code) == ("round", "fire", "high", "W1S")
    assert risk.description == "三楼楼道堆满纸箱"
    assert abs(risk.location.y - HERE["latitude"]) < 1e-5 and abs(risk.location.x - HERE["longitude"]) < 1e-5

    plan = page.locator("form[action$='/plan/']")
    plan.get_by_label("measure").fill("清理楼道杂物")
    plan.get_by_label("responsible party").fill("物业服务中心")
    plan.get_by_role("button", name="Plan").click()
    page.locator(".staff-messages", has_text="Intervention planned.").wait_for()
    intervention = Intervention.objects.get()
    assert intervention.deadline - risk.found_at == timezone.timedelta(hours=24)  # high: 24 h

    close = page.locator("form[action$='/close/']")
    close.get_by_role("button", name="Close with this evidence").click()  # no photo: refused, nothing written
    page.locator(".field-errors", has_text="needs evidence").wait_for()
    assert Intervention.objects.get().status == "planned"
    evidence = tmp_path / "after.jpg"
    Image.new("RGB", (1200, 900), (60, 150, 70)).save(evidence, format="JPEG")
    close = page.locator("form[action$='/close/']")
    close.get_by_label("closing note").fill("已清理，通道畅通")
    close.locator("input[name='close-photos']").set_input_files(str(evidence))
    close.get_by_role("button", name="Close with this evidence").click()
    page.locator(".staff-messages", has_text="Intervention closed.").wait_for()
    page.locator("[data-risk-status='removed']").wait_for()
    page.locator(".staff-gallery img").first.wait_for()
    page.screenshot(path="/tmp/safety-risk-phone.png", full_page=True)

    office_page = open_page(locale="en-US", **PHONE)
    office = office_page.page
    sign_in(office, f"{live_server.url}/staff/safety/", "office")
    office.locator("[data-safety-map][data-risks='0']").wait_for(state="attached")  # the layer: none open now
    evaluations_url = f"{live_server.url}/staff/safety/evaluations/"
    office.goto(evaluations_url, wait_until="domcontentloaded")
    form = office.locator("form[method=post]")
    form.get_by_label("community").select_option(str(world["areas"]["W1"].pk))
    form.get_by_role("button", name="Open the evaluation").click()
    office.locator("[data-figure='risks_found']").wait_for()
    assert office.locator("[data-figure='risks_found']").inner_text() == "1"
    assert office.locator("[data-figure='risks_removed']").inner_text() == "1"
    assert office.locator("[data-figure='overdue_interventions']").inner_text() == "0"
    office.screenshot(path="/tmp/safety-evaluation-phone.png", full_page=True)
    assert recorded.errors == [] and recorded.dialogs == [] and office_page.errors == []
