import pytest
from django.utils import translation

from tests.factories import make_test_district


@pytest.fixture(autouse=True)
def english_messages():
    """Messages raised outside a request are compared in English; Chinese tests override it."""
    with translation.override("en"):
        yield


@pytest.fixture
def district(db):
    """A two-street test district (see tests/factories.py for its exact boxes)."""
    return make_test_district()
