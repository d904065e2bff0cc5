"""Oversized payloads: a 10 MB JSON body at each API write, a 60 MB upload to the import page,
a form with thousands of fields, and a 100 KB query string: refused with a 4xx, nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize("url", ["/api/v1/problems/", "/api/v1/upkeep/", "/api/v1/adoptions/", "/api/v1/token/"])
def test_a_10_mb_json_body_is_refused(client, guard, world, url):
    client.force_login(world["west_staff"])
    body = json.dumps({"asset": world["plot"].pk, "category": "litter", "action": "watering",
                       "description": "垃圾" * (TEN_MB // 6), "notes": "x"})
    assert len(body.encode()) > TEN_MB
    response = client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    guard.refused(response, form_error=False)


def test_a_60_mb_upload_to_the_import_page_is_refused(client, guard, world, settings):
    client.force_login(world["admin"])
    upload = SimpleUploadedFile("assets.geojson", b" " * (60 * 1024 * 1024))
    response = client.post("/staff/import/", {"step": "preview", "file": upload, "kind": "painted_box"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    guard.refused(response)
    assert not settings.DATAIO_IMPORT_DIR.exists() or not any(settings.DATAIO_IMPORT_DIR.rglob("*.geojson"))


def test_a_30_mb_photo_is_refused(client, guard, world):
    client.force_login(world["west_staff"])
    upload = SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff\xe0" + bytes(30 * 1024 * 1024))
    response = client.post(f"/api/v1/assets/{world['plot'].pk}/photos/", {"image": upload},
                           HTTP_ACCEPT_LANGUAGE="en")
    guard.refused(response, form_error=False)


def test_a_form_with_5000_fields_is_refused(client, guard, world):
    data = {f"field{i}": "x" for i in range(5000)}
    data.update({"category": "litter", "description": "很多垃圾"})
    response = client.post(f"/assets/{world['plot'].pk}/report/", data)
    guard.refused(response, form_error=False)


@pytest.mark.parametrize("url", ["/search.json?q=", "/api/v1/assets/?q=", "/tiles/14/13358/7119.pbf?street=",
                                 "/ogc/collections/garden/items?street="])
def test_a_100_kb_query_string_is_answered_without_an_error(client, guard, world, url):
    response = client.get(url + "荔" * 30_000)
    assert response.status_code in (200, 400)
    guard.unchanged()
