"""What the fuzzing found in the REST API and its schema, pinned down one by one (see bench/fuzz.py)."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.factories import AdopterFactory, GreenPlotFactory, UserFactory


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def test_a_page_of_geojson_features_is_documented_as_an_array_of_features(schema):
    """Pages hold FeatureCollection features: the schema said a whole FeatureCollection (every list failed)."""
    components = schema["components"]["schemas"]
    for name in ("Street", "Community", "Grid"):
        features = components[f"Paginated{name}List"]["properties"]["features"]
        assert features == {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}


def test_fields_left_out_for_some_callers_are_not_required(schema):
    components = schema["components"]["schemas"]
    assert "decision_reason" not in components["Adoption"]["required"]
    assert "notes" not in components["UpkeepLog"]["required"]
    assert "status" in components["Adoption"]["required"]


def test_error_answers_are_documented(schema):
    assert set(schema["paths"]["/api/v1/assets/"]["get"]["responses"]) == {"200", "400"}
    assert set(schema["paths"]["/api/v1/assets/{id}/"]["get"]["responses"]) == {"200", "400", "404"}
    # 200: the same Idempotency-Key again (tests/staff/test_sent_twice.py).
    assert set(schema["paths"]["/api/v1/upkeep/"]["post"]["responses"]) == {"200", "201", "400", "401", "403", "429"}
    assert set(schema["paths"]["/api/v1/adoptions/{id}/approve/"]["post"]["responses"]) >= {"400", "403", "404"}


def test_an_application_without_the_optional_care_interval_is_accepted_not_a_500(district):
    """The fuzzer's one server error: leaving out ``care_interval_days`` (optional) crashed the operation call."""
    applicant = AdopterFactory(user=UserFactory(), display_name="街坊")
    api = APIClient()
    api.force_authenticate(applicant.user)
    first = datetime.date.today() + datetime.timedelta(days=7)
    response = api.post("/api/v1/adoptions/", {"asset": GreenPlotFactory().pk, "first_day": first.isoformat(),
                                               "last_day": (first + datetime.timedelta(days=90)).isoformat()},
                        format="json")
    assert response.status_code == 201, response.content
    assert response.json()["care_interval_days"] is None


@pytest.mark.parametrize("since", ["0300-08-13T02:44:21-19:45", "2026-01-01T00:00:00+15:59",
                                   "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-12:00"])
def test_upkeep_filter_takes_any_iso_offset_without_a_500(district, since):
    """PostgreSQL refuses time-zone offsets beyond ±15:59: the filter converts to UTC first (or says 400)."""
    response = APIClient().get("/api/v1/upkeep/", {"since": since})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert "since" in response.json()
