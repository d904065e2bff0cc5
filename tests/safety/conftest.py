"""Fixtures of the safety tests: the two-street test district, its staff, a checklist, an ambassador."""

import datetime
import io

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from registry.staffing import Role
from safety import operations
from tests.factories import make_district_admin, make_staff

WEST_POINT = Point(113.235, 23.122, srid=4326)   # street W, community W1, grid W1S
EAST_POINT = Point(113.245, 23.127, srid=4326)   # street E


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])


@pytest.fixture
def east_staff(district):
    return make_staff(Role.STREET_STAFF, username="east", streets=[district["E"]])


@pytest.fixture
def admin(district):
    return make_district_admin("district")


@pytest.fixture
def grid_worker(district):
    return make_staff(Role.GRID_WORKER, username="grid", grids=[district["W1S"]])


@pytest.fixture
def checklist(admin):
    return operations.create_checklist(actor=admin, name_zh="消防安全巡查", items=[
        ("灭火器在位", "fire", "high"), ("疏散通道畅通", "fire", "high"), ("电箱完好", "electrical", "medium")])


@pytest.fixture
def ambassador(west_staff, district):
    person = operations.add_ambassador(actor=west_staff, name="陈阿姨", community=district["W1"],
                                       mobile="13800138000")
    operations.record_training(actor=west_staff, community=district["W1"], topic="消防器材使用",
                               date=timezone.localdate() - datetime.timedelta(days=3), trainer="消防站", attendees=[person])
    operations.create_ambassador_account(actor=west_staff, ambassador=person, username="chen-ayi",
                                         password="Safety-ambassador-2026")
    person.refresh_from_db()
    return person


def raise_west_risk(actor, **kwargs):
    kwargs.setdefault("category", "fire")
    kwargs.setdefault("severity", "high")
    kwargs.setdefault("description", "楼道堆放杂物，堵塞疏散通道")
    return operations.raise_risk(actor=actor, location=kwargs.pop("location", WEST_POINT), **kwargs)


def png_upload(name="photo.png", colour=(200, 60, 40), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
