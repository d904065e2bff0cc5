"""Fixtures of the consultation tests: the two-street test district, staff of W and E, a grid worker of W1."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consultation import operations
from consultation.models import MeetingLevel
from consultation.operations import ResolutionInput
from registry.staffing import Role
from tests.factories import make_district_admin, make_staff

MEETING_DATE = datetime.date(2026, 5, 12)


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


def make_meeting(actor, community, *, resolutions=None, participants=40, level=MeetingLevel.BUILDING, **kwargs):
    kwargs.setdefault("date", MEETING_DATE)
    kwargs.setdefault("topic", "楼道加装扶手")
    if level == MeetingLevel.BUILDING:
        kwargs.setdefault("building_address", "多宝路12号")
    if resolutions is None:
        resolutions = [ResolutionInput(text="加装扶手", votes_for=37, votes_against=2, votes_abstain=1,
                                       due_date=datetime.date(2026, 6, 30))]
    return operations.record_meeting(actor=actor, community=community, level=level, participants=participants,
                                     resolutions=resolutions, **kwargs)


def png_upload(name="photo.png", colour=(40, 160, 40), size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
