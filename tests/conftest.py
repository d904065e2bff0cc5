import pytest

from tests.factories import make_test_district


@pytest.fixture
def district(db):
    """A two-street test district (see tests/factories.py for its exact boxes)."""
    return make_test_district()
