"""Fixtures of the project tests: the two-street test district, staff of W and of E, photos."""

import datetime
import io

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects import operations
from projects.models import ProjectKind
from registry.staffing import Role
from tests.factories import make_district_admin, make_staff, square

WEST_POINT = (113.235, 23.122)   # street W
EAST_POINT = (113.245, 23.127)   # street E
CREDIT_CODE = "9144030071526726XG"  # a real unified social credit code


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
    return make_staff(Role.GRID_WORKER, username="grid", communities=[district["W1"]])


def make_project(actor, *, name="逢源街邻里花园", where=WEST_POINT, polygon=False, **kwargs):
    site = square(*where) if polygon else Point(*where, srid=4326)
    kwargs.setdefault("kind", ProjectKind.GARDEN)
    kwargs.setdefault("date", datetime.date(2026, 3, 1))
    return operations.create_project(actor=actor, name_zh=name, site=site, **kwargs)


@pytest.fixture
def west_project(west_staff):
    return make_project(west_staff)


@pytest.fixture
def east_project(east_staff):
    return make_project(east_staff, name="金花街墙绘", where=EAST_POINT, kind=ProjectKind.MURAL)


def png_upload(name="photo.png", colour=(40, 160, 40), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
