"""An upload cut off mid-way (the phone lost its signal) leaves nothing behind: no log, no photo, no file.

The request goes through Django's WSGI handler itself with a body shorter than its Content-Length,
as a server hands it over when the client disconnects; the test client cannot send such a body.
"""

import io
import random

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _get_new_csrf_string
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image
from rest_framework.authtoken.models import Token

from registry.audit import AuditEntry
from registry.photos.models import Photo
from registry.staffing import Role
from tests.factories import GardenFactory, make_staff
from upkeep.models import UpkeepLog


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


pytestmark = pytest.mark.usefixtures("keep_test_connection")  # tests/conftest.py


def noisy_jpeg() -> bytes:
    """A 600×400 JPEG of noise (~200 KB), so that cutting it in half cuts the image data."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", (600, 400), bytes(rng.randrange(256) for _ in range(600 * 400 * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def post_cut_off(path: str, fields: dict, token: str, keep: float, cookies: str = "") -> tuple[int, bytes]:
    """POST ``fields`` as multipart, announcing the whole body but delivering only ``keep`` of it."""
    body = encode_multipart(BOUNDARY, fields)
    sent = body[: int(len(body) * keep)]
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Token {token}", "HTTP_COOKIE": cookies, "wsgi.input": io.BytesIO(sent), "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])

    content = b"".join(WSGIHandler()(environ, start_response))
    return answer["status"], content


@pytest.fixture
def staff_and_asset(district):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    return Token.objects.create(user=staff).key, GardenFactory()


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_upkeep_log_with_a_photo_cut_off_midway_leaves_nothing(staff_and_asset, media_root, keep):
    token, asset = staff_and_asset
    photo = io.BytesIO(noisy_jpeg())
    photo.name = "upkeep.jpg"
    status, content = post_cut_off("/api/v1/upkeep/", {"asset": asset.pk, "action": "watering", "photos": photo},
                                   token, keep)
    assert status == 400, content[:300]
    assert not UpkeepLog.objects.exists()
    assert not Photo.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["upkeep.log", "photo.add"]).exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_the_same_upload_delivered_whole_is_logged(staff_and_asset, media_root):
    """The control: the very same request with its whole body is accepted (so the 400 above is the cut)."""
    token, asset = staff_and_asset
    photo = io.BytesIO(noisy_jpeg())
    photo.name = "upkeep.jpg"
    status, content = post_cut_off("/api/v1/upkeep/", {"asset": asset.pk, "action": "watering", "photos": photo},
                                   token, 1.0)
    assert status == 201, content[:300]
    assert Photo.objects.get().upkeep_log == UpkeepLog.objects.get()
    assert [path for path in media_root.rglob("*") if path.is_file()]


def test_the_staff_log_form_cut_off_midway_is_refused_too(staff_and_asset, media_root, client):
    """The staff page's form (session sign-in, CSRF token first in the body) gets a 400 before its view runs."""
    token, asset = staff_and_asset
    client.force_login(Token.objects.get(key=token).user)
    secret = _get_new_csrf_string()
    photo = io.BytesIO(noisy_jpeg())
    photo.name = "upkeep.jpg"
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={secret}"
    status, content = post_cut_off(f"/staff/assets/{asset.pk}/log/",
                                   {"csrfmiddlewaretoken": secret, "action": "watering", "photos": photo},
                                   token, 0.5, cookies=cookies)
    assert status == 400, content[:300]
    assert not UpkeepLog.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
