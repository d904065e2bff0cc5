"""Street staff on a phone create a renovation project in their street, move it to construction, and
add a milestone with a before photo and one with an after photo; the public page then shows the
new phase and the two photos side by side, in Chinese and in English.

Screenshots: /tmp/project-staff-phone.png, /tmp/project-public-phone-zh.png, /tmp/project-public-phone-en.png.
"""

import pytest
from django.core.cache import cache
from PIL import Image

from projects.models import MilestonePhoto, Project
from registry.staffing import Role
from tests.browser.devices import PHONE
from tests.factories import make_staff, make_test_district

pytestmark = pytest.mark.django_db(transaction=True)

HERE = {"latitude": 23.12212, "longitude": 113.23530}  # street W of the test district
PASSWORD = "Lychee-Bay-2021!"


@pytest.fixture
def staff(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    areas = make_test_district()
    user = make_staff(Role.STREET_STAFF, username="chen", streets=[areas["W"]])
    user.set_password(PASSWORD)
    user.save()
    return user


def photo(tmp_path, name, colour):
    path = tmp_path / name
    Image.new("RGB", (1200, 900), colour).save(path, format="JPEG")
    return str(path)


def add_milestone(page, text, field, path):
    form = page.locator("form[action$='/milestone/']")
    form.get_by_label("What happened").fill(text)
    form.locator(f"input[name='milestone-{field}']").set_input_files(path)
    form.get_by_role("button", name="Add milestone").click()
    page.locator(".staff-messages", has_text="Milestone added.").wait_for()


def test_staff_run_a_project_on_a_phone_and_the_public_page_shows_before_and_after(open_page, live_server, staff,
                                                                                  tmp_path):
    recorded = open_page(locale="en-US", geolocation=HERE, permissions=["geolocation"], **PHONE)
    page = recorded.page
    page.goto(f"{live_server.url}/staff/projects/", wait_until="domcontentloaded")
    page.wait_for_url("**/accounts/login/?next=/staff/projects/")
    page.get_by_label("Mobile number or user name").fill("chen")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/staff/projects/")

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name (Chinese)").fill("荔枝湾邻里花园")
    page.get_by_label("Name (English)").fill("Lizhiwan neighbourhood garden")
    page.get_by_label("Kind").select_option("garden")
    page.get_by_role("button", name="Use my position").click()
    page.wait_for_function("document.querySelector('input[name=lat]').value !== ''")
    page.get_by_role("button", name="Create").click()
    page.locator(".staff-messages", has_text="Project created.").wait_for()
    project = Project.objects.get()
    assert project.street.code == "W"

    phase_form = page.locator("form[action$='/phase/']")
    phase_form.get_by_label("New phase").select_option("construction")
    phase_form.get_by_role("button", name="Change phase").click()
    page.locator(".staff-messages", has_text="Phase changed.").wait_for()
    add_milestone(page, "Before the works", "photos_before", photo(tmp_path, "before.jpg", (120, 110, 100)))
    add_milestone(page, "Planted and opened", "photos_after", photo(tmp_path, "after.jpg", (40, 160, 60)))
    page.screenshot(path="/tmp/project-staff-phone.png", full_page=True)
    assert sorted(MilestonePhoto.objects.values_list("stage", flat=True)) == ["after", "before"]

    for locale, phase, before, after, name in (("zh-CN", "施工", "改造前", "改造后", "荔枝湾邻里花园"),
                                               ("en-US", "construction", "Before", "After",
                                                "Lizhiwan neighbourhood garden")):
        public = open_page(locale=locale, **PHONE)
        public.page.goto(f"{live_server.url}/projects/{project.pk}/", wait_until="domcontentloaded")
        assert public.page.get_by_role("heading", level=1).inner_text() == name
        assert public.page.locator("[data-phase]").inner_text() == phase
        pair = public.page.locator(".before-after-pair").first
        images = pair.locator("img")
        assert images.count() == 2
        for index in range(2):  # loaded, not broken
            assert images.nth(index).evaluate("image => image.complete && image.naturalWidth > 0")
        left, right = (images.nth(index).bounding_box() for index in range(2))
        assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2  # side by side
        assert pair.locator("figcaption").all_inner_texts() == [before, after]
        public.page.screenshot(path=f"/tmp/project-public-phone-{locale[:2]}.png", full_page=True)
        assert public.errors == [] and public.dialogs == []
    assert recorded.errors == [] and recorded.dialogs == []
