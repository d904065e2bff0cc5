"""GET /api/v1/retrofits/figures/: the documented keys, filters, and clear 400s for bad input."""

import pytest
from rest_framework.test import APIClient

from tests.elevators.test_figures import events, programme  # noqa: F401 — the fixture
from tests.elevators.conftest import make_retrofit

pytestmark = pytest.mark.django_db
URL = "/api/v1/retrofits/figures/"


def test_the_figures_for_the_district_and_a_street(programme, district):  # noqa: F811
    body = APIClient().get(URL, {"to": "2023-01-01"}).json()
    assert {"total", "in_service", "under_construction", "by_stage", "median_days", "p90_days", "cohorts",
            "custody_modes", "maintenance_compliance", "faults_per_100", "median_hours_to_fix"} <= set(body)
    assert body["maintenance_compliance"] == 0.0 and body["faults_per_100"] == 0.0  # no maintenance logged
    assert (body["total"], body["in_service"], body["under_construction"]) == (4, 1, 1)
    assert body["median_days"]["consent"] == 20.0 and body["to"] == "2023-01-01" and body["street"] is None
    east = APIClient().get(URL, {"street": district["E"].code, "from": "2022-01-01", "to": "2023-01-01"}).json()
    assert east["total"] == 2 and east["street"] == "E" and east["from"] == "2022-01-01"


@pytest.mark.parametrize("query, field", [
    ({"street": "nowhere"}, "street"), ({"from": "2022-13-01"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2023-01-01", "to": "2022-01-01"}, "to"), ({"stage": "x"}, "detail"),
])
def test_bad_parameters_are_a_400_naming_them(district, query, field):
    make_retrofit()
    response = APIClient().get(URL, query)
    assert response.status_code == 400 and field in response.json()


def test_chinese_messages(district):
    response = APIClient().get(URL, {"street": "nowhere"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and response.json()["street"] == ["没有代码为“nowhere”的街道。"]
