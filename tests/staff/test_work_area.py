"""Issue 13, item 20: the workbench map shows the worker's area before anything is searched — their
streets, or their grids, or the whole district for an administrator."""

import json
import re

from django.contrib.gis.geos import GEOSGeometry
from django.urls import reverse

from registry.staffing import Role
from tests.factories import make_district_admin, make_staff


def area_on_the_workbench(client, user) -> GEOSGeometry | None:
    client.force_login(user)
    text = client.get(reverse("staff-home")).content.decode()
    assert 'data-area="staff-area"' in text
    shape = json.loads(re.search(r'<script id="staff-area" type="application/json">(.*?)</script>', text, re.S).group(1))
    return GEOSGeometry(json.dumps(shape)) if shape else None


def test_street_staff_see_their_street(client, district):
    area = area_on_the_workbench(client, make_staff(Role.STREET_STAFF, streets=[district["W"]]))
    west, east = district["W"].boundary, district["E"].boundary
    assert abs(area.area - west.area) < 1e-9 and area.covers(west.point_on_surface)
    assert area.intersection(east).area < 1e-9


def test_grid_workers_see_their_grid_and_administrators_the_district(client, district):
    grid = district["W1S"]
    area = area_on_the_workbench(client, make_staff(Role.GRID_WORKER, grids=[grid]))
    assert abs(area.area - grid.boundary.area) < 1e-9 and area.covers(grid.boundary.point_on_surface)
    admin_area = area_on_the_workbench(client, make_district_admin())
    assert abs(admin_area.area - district["district"].boundary.area) < 1e-9
