"""Photo files are served only to whom may see them (registry/photos/serving.py, issue 14)."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from registry.photos.pipeline import add_photo
from registry.staffing import Role
from tests.factories import GreenPlotFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def plot(district):
    return GreenPlotFactory(name_zh="荔枝湾认领绿地")  # street W


@pytest.fixture
def private_photo(plot):
    """As a problem report keeps its resident's photo: not public."""
    return add_photo(asset=plot, upload=png((200, 40, 40)), uploaded_by=AnonymousUser(), is_public=False)


@pytest.fixture
def public_photo(plot):
    return add_photo(asset=plot, upload=png((40, 200, 40)), uploaded_by=None)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_private_photo_is_a_404_to_the_public_and_to_another_street_s_staff(client, private_photo, district):
    for url in (private_photo.large.url, private_photo.small.url):
        assert client.get(url).status_code == 404
    east = make_staff(Role.STREET_STAFF, username="east", streets=[district["E"]])
    assert signed_in(client, east).get(private_photo.large.url).status_code == 404
    assert signed_in(client, UserFactory(username="someone")).get(private_photo.large.url).status_code == 404


def test_its_own_street_s_staff_get_it_privately(client, private_photo, district):
    west = make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])
    response = signed_in(client, west).get(private_photo.large.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == private_photo.large.open("rb").read()
    assert response["Cache-Control"] == "private, no-store"


def test_a_public_photo_stays_public_and_cacheable(client, public_photo):
    response = client.get(public_photo.small.url)
    assert response.status_code == 200
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "JPEG"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_public_photo_of_an_asset_the_public_does_not_see_is_private(client, public_photo, district):
    public_photo.asset.is_public = False
    public_photo.asset.save()
    assert client.get(public_photo.large.url).status_code == 404
    west = make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])
    assert signed_in(client, west).get(public_photo.large.url).status_code == 200


def test_the_uploader_sees_their_own_unpublished_photo(client, plot):
    adopter_user = UserFactory(username="13812345678")
    photo = add_photo(asset=plot, upload=png((40, 40, 200)), uploaded_by=adopter_user, is_public=False)
    assert signed_in(client, adopter_user).get(photo.large.url).status_code == 200


def test_in_production_nginx_sends_the_file_from_its_internal_location(client, settings, public_photo,
                                                                       private_photo):
    settings.PHOTO_ACCEL_REDIRECT_PREFIX = "/internal-media/"
    response = client.get(public_photo.large.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/internal-media/{public_photo.large.name}"
    assert client.get(private_photo.large.url).status_code == 404  # checked before nginx is asked
    assert "X-Accel-Redirect" not in client.get(private_photo.large.url)


def test_names_outside_the_photo_rows_are_not_served(client, public_photo):
    assert client.get("/media/photos/../secret.txt").status_code == 404
    assert client.get("/media/photos/ab/cd/" + "0" * 64 + "-1600.jpg").status_code == 404
