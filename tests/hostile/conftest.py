"""The hostile-input suite's world and its one assertion: refused cleanly, nothing written.

``guard`` snapshots the row counts of the main tables and every file under MEDIA_ROOT (a temporary
folder) once the world is built; ``guard.refused(response)`` then checks that the response is a
clear refusal (a 4xx, or a form page with its error shown), that the database holds the same rows
and that no file was added or removed.
"""

import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from adoption.accounts import register_adopter
from adoption.forms import PRIVACY_NOTICE_VERSION
from adoption.models import Adopter, AdopterKind, Adoption
from problems.models import ProblemReport
from registry.assets import Asset
from registry.audit import AuditEntry
from registry.photos.models import Photo
from registry.staffing import Role
from tests.factories import GreenPlotFactory, MuralFactory, PaintedBoxFactory, make_staff
from upkeep.models import UpkeepLog

PASSWORD = "Lychee-Bay-2021!"
WATCHED = (Asset, Adopter, Adoption, UpkeepLog, Photo, ProblemReport, AuditEntry, get_user_model())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.DATAIO_IMPORT_DIR = tmp_path / "imports"
    cache.clear()  # rate-limit counters of earlier tests
    yield settings.MEDIA_ROOT
    cache.clear()


@pytest.fixture
def world(district):
    """West: an adoptable public plot, a private box. East: a public mural. Staff of each street,
    a district administrator with admin rights, an adopter with an account."""
    admin = make_staff(Role.DISTRICT_ADMIN, username="lin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    adopter = register_adopter(kind=AdopterKind.VOLUNTEER, display_name="荔湾志愿者", contact_person="陈小明",
                               mobile="13812345678", password=PASSWORD, privacy_notice_version=PRIVACY_NOTICE_VERSION)
    return {
        "plot": GreenPlotFactory(name_zh="西区绿地", is_adoptable=True),
        "west_private": PaintedBoxFactory(name_zh="西区内部电箱", is_public=False),
        "east_mural": MuralFactory(name_zh="东区壁画"),
        "west_staff": make_staff(Role.STREET_STAFF, streets=[district["W"]]),
        "east_staff": make_staff(Role.STREET_STAFF, streets=[district["E"]]),
        "admin": admin,
        "adopter": adopter,
        "district": district,
    }


def today(offset=0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


class Guard:
    def __init__(self, media_root):
        self.media_root = media_root
        self.before = self.state()

    def state(self):
        counts = {model.__name__: model.objects.count() for model in WATCHED}
        files = sorted(os.path.join(root, name) for root, _, names in os.walk(self.media_root) for name in names)
        return counts, files

    def unchanged(self):
        after = self.state()
        assert after[0] == self.before[0], "rows changed"
        assert after[1] == self.before[1], "media files changed"

    def refused(self, response, *, form_error=True):
        """A clear refusal: a 4xx with a message (a JSON body or the form with its error); nothing written."""
        assert response.status_code < 500, response.status_code
        body = response.content.decode(errors="replace")
        html = response.get("Content-Type", "").startswith("text/html")
        if not (html and form_error and response.status_code == 200):  # a form shown again is fine
            assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
        if response.get("Content-Type", "").startswith("application/json"):
            assert response.json(), "an empty error body"
        elif form_error and html:
            assert any(mark in body for mark in ('role="alert"', "errorlist", "errornote")), body[:2000]
        self.unchanged()


@pytest.fixture
def guard(world, media):
    return Guard(media)
