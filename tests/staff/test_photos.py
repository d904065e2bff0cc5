"""Issue 13, item 19: the staff asset page and the asset's history show its photos, so staff can check
what they just uploaded — public or not, with who uploaded them."""

from django.test import Client
from django.urls import reverse

from registry.photos import Photo
from registry.staffing import Role
from tests.factories import make_staff
# The workbench tests' fixtures: a garden on street W, its street staff signed in, media in tmp.
from tests.staff.test_workbench import garden, jpeg, log_data, media, signed_in, west_staff  # noqa: F401


def test_photos_just_uploaded_with_upkeep_show_on_the_staff_asset_and_history_pages(signed_in, west_staff, garden):
    west_staff.first_name, west_staff.last_name = "嘉欣", "陈"
    west_staff.save()
    response = signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]),
                              log_data(photos_before=[jpeg("before.jpg")], photos=[jpeg("after.jpg")]))
    assert response.status_code == 302
    photos = list(Photo.objects.filter(asset=garden))
    assert len(photos) == 2
    Photo.objects.filter(pk=photos[0].pk).update(is_public=False)
    for url in (reverse("staff-asset", args=[garden.pk]), reverse("asset-history", args=[garden.pk])):
        page = signed_in.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        text = page.content.decode()
        assert page.status_code == 200
        assert 'class="staff-photos"' in text
        for photo in photos:
            assert f'src="{photo.small.url}"' in text and f'href="{photo.large.url}"' in text, url
        assert "陈嘉欣" in text and "不公开" in text


def test_no_photos_no_empty_section(signed_in, garden):
    text = signed_in.get(reverse("staff-asset", args=[garden.pk])).content.decode()
    assert 'class="staff-photos"' not in text


def test_another_streets_staff_see_neither_the_page_nor_its_photos(district, garden, signed_in):
    signed_in.post(reverse("staff-log-upkeep", args=[garden.pk]), log_data(photos=[jpeg("after.jpg")]))
    east = make_staff(Role.STREET_STAFF, streets=[district["E"]], username="east")
    client = Client()
    client.force_login(east)
    assert client.get(reverse("staff-asset", args=[garden.pk])).status_code == 404
    assert client.get(reverse("asset-history", args=[garden.pk])).status_code == 404
