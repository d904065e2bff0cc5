"""CI's short API fuzzing pass (`make fuzz` runs the long one on a live server, bench/fuzz.py).

schemathesis generates requests for every operation of /api/schema/ and sends them in-process to
the WSGI application, anonymous and with a street-staff token (so the writes run too): no answer
may be a 5xx, and every answer (its status and its body) must match the schema.
"""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from config.wsgi import application
from registry.staffing import Role
from tests.factories import AdoptionFactory, GardenFactory, PaintedBoxFactory, make_staff, make_test_district

MAX_EXAMPLES = 5
#: What every real server sets (the rate limits key on it); the WSGI test client leaves it out.
#: An address of its own (TEST-NET-1), so that its rate-limit counts do not reach other tests.
CLIENT = {"REMOTE_ADDR": "192.0.2.10"}
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


#: Loaded once, at collection: the schema is generated from the code, not from the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def fresh_cache(keep_test_connection):  # keep_test_connection: tests/conftest.py
    yield
    cache.clear()  # rate-limit counters and cached tiles of the generated requests


@pytest.fixture
def staff_headers(db):
    """Some data to find (two assets, an adoption), and a street-staff token's headers."""
    areas = make_test_district()
    asset = GardenFactory()
    PaintedBoxFactory()
    AdoptionFactory(asset=asset)
    staff = make_staff(Role.STREET_STAFF, streets=[areas["W"], areas["E"]])
    return {"Authorization": f"Token {Token.objects.create(user=staff).key}"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_answers_match_the_schema_and_never_fail(case, staff_headers):
    """Each generated request is sent twice: anonymous, then as street staff."""
    case.call_and_validate(checks=CHECKS, environ_base=CLIENT)
    case.call_and_validate(headers=staff_headers, checks=CHECKS, environ_base=CLIENT)
