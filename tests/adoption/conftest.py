"""Fixtures for the adopters' pages: a district with one adoptable plot per street, adopters with accounts."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from adoption.accounts import register_adopter
from adoption.forms import PRIVACY_NOTICE_VERSION
from adoption.models import AdopterKind
from registry.staffing import Role
from tests.factories import GreenPlotFactory, make_staff, square

PASSWORD = "Liwan-garden-2025"
TENCENT = "9144030071526726XG"    # real codes, see tests/registry/test_validators.py
ALIBABA = "91330100716105852F"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the default (local-memory) cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_adopter(*, mobile="13812345678", kind=AdopterKind.ENTERPRISE, name="荔湾花木有限公司", credit_code=TENCENT,
                 email="", contact="陈小明"):
    """An adopter with an account, signed up the way the sign-up page does it."""
    return register_adopter(kind=kind, display_name=name, contact_person=contact, mobile=mobile, email=email,
                            credit_code=credit_code if kind in AdopterKind.organisations() else "",
                            password=PASSWORD, privacy_notice_version=PRIVACY_NOTICE_VERSION)


@pytest.fixture
def west_plot(district):
    return GreenPlotFactory(name_zh="逢源认领绿地", geometry=square(113.235, 23.122), is_adoptable=True)


@pytest.fixture
def east_plot(district):
    return GreenPlotFactory(name_zh="金花认领绿地", geometry=square(113.245, 23.127), is_adoptable=True)


@pytest.fixture
def adopter(db):
    return make_adopter()


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, username="west-staff", streets=[district["W"]])


@pytest.fixture
def east_staff(district):
    return make_staff(Role.STREET_STAFF, username="east-staff", streets=[district["E"]])


@pytest.fixture
def client():
    """Pages in English (Chinese is the site's default), so assertions read the English msgids."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
