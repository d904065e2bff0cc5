"""Fixtures of the problem-report tests: a plot on street W, staff of W and of E, photos, a clean cache."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from registry.staffing import Role
from tests.factories import GreenPlotFactory, MuralFactory, make_staff


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def clean_cache():
    """django-ratelimit counts in the default cache: every test starts with no reports counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plot(district):
    return GreenPlotFactory(name_zh="荔枝湾认领绿地", name_en="Lizhiwan green plot")  # street W


@pytest.fixture
def east_mural(district):
    return MuralFactory(name_zh="醒狮墙绘", name_en="Lion dance mural")  # street E


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])


@pytest.fixture
def east_staff(district):
    return make_staff(Role.STREET_STAFF, username="east", streets=[district["E"]])


def png_upload(name="problem.png", colour=(200, 40, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
