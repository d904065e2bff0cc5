"""projects.figures: projects by the phase reached at the period's end, money committed and spent in
the period, per street; and GET /api/v1/projects/figures/ answers exactly that."""

import datetime

from projects import operations
from projects.figures import projects_figures
from projects.phases import Phase
from tests.projects.conftest import EAST_POINT, make_project


def test_phases_as_of_the_period_end_and_money_in_the_period(admin, district, client):
    garden = make_project(admin, date=datetime.date(2026, 1, 10))
    operations.change_phase(actor=admin, project=garden, phase=Phase.CONSTRUCTION, date=datetime.date(2026, 3, 1))
    operations.add_funding(actor=admin, project=garden, source="district_budget", amount_planned="1000.50",
                           amount_received="400", date=datetime.date(2026, 2, 1))
    operations.add_funding(actor=admin, project=garden, source="district_budget", amount_planned="99", date=datetime.date(2025, 1, 1))
    make_project(admin, name="东", where=EAST_POINT, date=datetime.date(2026, 2, 1))

    february = projects_figures(date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 2, 28))
    assert february["total"] == 2 and february["by_phase"][Phase.PROPOSAL] == 2
    assert february["committed"] == "1000.50" and february["spent"] == "400.00"
    march_west = projects_figures(street=district["W"], date_from=datetime.date(2026, 1, 1),
                                  date_to=datetime.date(2026, 3, 31))
    assert march_west["total"] == 1 and march_west["by_phase"][Phase.CONSTRUCTION] == 1
    assert march_west["spent_share"] == round(400 / 1000.5, 4)
    api = client.get("/api/v1/projects/figures/", {"street": "W", "from": "2026-01-01", "to": "2026-03-31"})
    assert api.json() == march_west
    assert client.get("/api/v1/projects/figures/", {"from": "2026-02-01", "to": "2026-01-01"}).status_code == 400
    assert client.get("/api/v1/projects/figures/", {"street": "NOPE"}).status_code == 400
