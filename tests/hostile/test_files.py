"""Hostile files: at every photo upload, and at the staff import page.

Photos: markup named .jpg, SVG (script inside), an empty file, a truncated JPEG and a 60-megapixel
PNG that is tiny on disk (a decompression bomb) — each refused with a message, no row, no file.
Imports: markup named .geojson, an empty file, a truncated GeoPackage, a zip whose one member
inflates to 200 MB, a zip whose members climb out of their folder — refused, nothing kept.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.hostile.endpoints import REPORT, STAFF_LOG, Endpoint

pytestmark = pytest.mark.django_db


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 140, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def bomb_png() -> bytes:
    """60 megapixels of one colour: a few kilobytes compressed, 180 MB once decoded as RGB."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


PHOTOS = {
    "HTML as .jpg": ("photo.jpg", b"<html><body><script>alert(1)</script></body></html>"),
    "SVG": ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'),
    "SVG as .png": ("photo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    "zero bytes": ("photo.jpg", b""),
    "truncated JPEG": ("photo.jpg", jpeg_bytes()[:900]),
    "60 MP PNG": ("photo.png", bomb_png()),
}

API_PHOTO = Endpoint("api-photo-upload", "west_staff", lambda w: f"/api/v1/assets/{w['plot'].pk}/photos/",
                     lambda w: {"caption": "新苗"})
#: (endpoint, the file field, the other fields that make the request valid with a good photo)
PHOTO_FIELDS = [(API_PHOTO, "image"), (REPORT, "photos"), (STAFF_LOG, "photos"), (STAFF_LOG, "photos_before")]


@pytest.mark.parametrize("endpoint, field", PHOTO_FIELDS, ids=lambda v: getattr(v, "name", v))
def test_a_good_photo_is_accepted_at_each_upload(client, world, endpoint, field):
    response = endpoint.send(client, world, **{field: SimpleUploadedFile("ok.jpg", jpeg_bytes())})
    assert response.status_code in (201, 302), response.content[:1000]


@pytest.mark.parametrize("label", PHOTOS)
@pytest.mark.parametrize("endpoint, field", PHOTO_FIELDS, ids=lambda v: getattr(v, "name", v))
def test_hostile_photos_are_refused_and_leave_nothing(client, guard, world, endpoint, field, label):
    name, content = PHOTOS[label]
    response = endpoint.send(client, world, **{field: SimpleUploadedFile(name, content)})
    guard.refused(response)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """One 200 MB member of zeros: about 200 KB compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("assets.shp", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(200):
                member.write(block)
    return buffer.getvalue()


IMPORTS = {
    "HTML as .geojson": ("assets.geojson", b"<html><script>alert(1)</script></html>"),
    "zero bytes": ("assets.geojson", b""),
    "truncated GeoPackage": ("assets.gpkg", b"SQLite format 3\x00" + bytes(100)),
    "not JSON": ("assets.geojson", b'{"type": "FeatureCollection", "features": [{"type": '),
    "SVG as .kml": ("assets.kml", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "zip bomb": ("assets.zip", zip_bomb()),
    "zip climbing out": ("assets.zip", zip_bytes({"../../escape.shp": b"x" * 100, "../../escape.dbf": b"y"})),
    "executable": ("assets.exe", b"MZ\x90\x00"),
}


@pytest.mark.parametrize("label", IMPORTS)
def test_hostile_import_files_are_refused_and_nothing_is_kept(client, guard, world, settings, label):
    name, content = IMPORTS[label]
    client.force_login(world["admin"])
    response = client.post("/staff/import/", {"step": "preview", "file": SimpleUploadedFile(name, content),
                                              "kind": "painted_box"}, HTTP_ACCEPT_LANGUAGE="en")
    guard.refused(response)
    kept = [p for p in settings.DATAIO_IMPORT_DIR.rglob("*") if p.is_file()] if settings.DATAIO_IMPORT_DIR.exists() \
        else []
    assert kept == []
    assert not (settings.DATAIO_IMPORT_DIR.parent / "escape.shp").exists()
