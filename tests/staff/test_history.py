"""An asset's history for staff: admin edits and operations as who, when, old → new; hidden from others."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import GEOSGeometry
from django.urls import reverse

from gardens.models import GreenPlot, Vegetation
from problems.operations import close_not_fixed, report_problem
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.factories import GreenPlotFactory, MuralFactory, make_staff
from upkeep.operations import log_upkeep


@pytest.fixture
def plot(district):
    return GreenPlotFactory(name_zh="荔枝湾认领绿地", vegetation=Vegetation.LAWN)  # street W


@pytest.fixture
def west_staff(district):
    return make_staff(Role.STREET_STAFF, username="west", streets=[district["W"]])


def history_url(asset):
    return reverse("asset-history", args=[asset.pk])


def change_form_data(response) -> dict:
    """What the admin's change form would post back unchanged: the main form and its inlines."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, GEOSGeometry):
            value = value.geojson
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data


def test_admin_edit_is_recorded_and_shown_as_old_to_new(admin_client, plot, district):
    url = reverse("admin:gardens_greenplot_change", args=[plot.pk])
    data = change_form_data(admin_client.get(url))
    data.update(name_zh="荔枝湾花坛", vegetation=Vegetation.FLOWER_BED)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="asset.change")
    assert entry.asset_id == plot.pk and entry.actor.username == "admin"
    assert entry.changes == {"name_zh": ["荔枝湾认领绿地", "荔枝湾花坛"], "vegetation": ["lawn", "flower_bed"]}

    page = admin_client.get(history_url(plot), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "asset changed" in page and "admin" in page
    assert "Name (Chinese)" in page and "荔枝湾认领绿地" in page and "→ 荔枝湾花坛" in page
    assert "Vegetation" in page and "<td>lawn</td>" in page and "→ flower bed" in page


def test_an_unchanged_admin_save_records_nothing_and_an_admin_add_records_the_creation(admin_client, plot):
    url = reverse("admin:gardens_greenplot_change", args=[plot.pk])
    assert admin_client.post(url, change_form_data(admin_client.get(url))).status_code == 302
    assert not AuditEntry.objects.filter(action="asset.change").exists()

    add = reverse("admin:gardens_greenplot_add")
    data = change_form_data(admin_client.get(add))
    data.update(name_zh="新绿地", geometry=plot.geometry.geojson, vegetation=Vegetation.LAWN)
    assert admin_client.post(add, data).status_code == 302
    created = GreenPlot.objects.get(name_zh="新绿地")
    entry = AuditEntry.objects.get(action="asset.create")
    assert entry.asset_id == created.pk and entry.changes["name_zh"] == [None, "新绿地"]


def test_history_shows_operations_with_readable_values(client, plot, west_staff):
    log_upkeep(actor=west_staff, asset=plot, action="watering", notes="浇透")
    problem = report_problem(actor=AnonymousUser(), asset=plot, category="litter", description="垃圾").report
    close_not_fixed(actor=west_staff, report=problem, reply="已转交环卫")
    client.force_login(west_staff)
    response = client.get(history_url(plot), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("upkeep logged", "Upkeep log #", "watering", "浇透",
                 "problem reported", "a resident or the system", "Problem report #",
                 "problem closed, not fixed", "Public reply", "→ 已转交环卫", "→ closed, not fixed", "west"):
        assert text in page, text
    assert page.index("problem closed, not fixed") < page.index("upkeep logged")  # newest first


@pytest.mark.parametrize("who", ["east_staff", "anonymous", "plain_user"])
def test_history_is_not_found_for_anyone_without_the_right(client, plot, district, who, django_user_model):
    log_upkeep(actor=make_staff(Role.STREET_STAFF, streets=[district["W"]]), asset=plot, action="watering")
    if who == "east_staff":
        client.force_login(make_staff(Role.STREET_STAFF, streets=[district["E"]]))
    elif who == "plain_user":
        client.force_login(django_user_model.objects.create_user("resident", is_staff=True))
    response = client.get(history_url(plot))
    assert response.status_code == 404
    assert "watering" not in response.content.decode()


def test_grid_workers_read_their_grids_history_and_unknown_assets_are_not_found(client, plot, district):
    client.force_login(make_staff(Role.GRID_WORKER, grids=[district["W1S"]]))
    assert client.get(history_url(plot)).status_code == 200
    assert client.get(history_url(MuralFactory())).status_code == 404  # street E
    assert client.get(reverse("asset-history", args=[999999])).status_code == 404


def test_the_history_page_names_related_rows_without_a_query_per_entry(client, plot, west_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(west_staff)
    client.get(history_url(plot))  # the session's first request writes it: not counted below

    def queries_with(logs: int) -> int:
        while AuditEntry.objects.filter(action="upkeep.log").count() < logs:
            log_upkeep(actor=west_staff, asset=plot, action="watering")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(history_url(plot), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert page.count("→ west") == logs  # each log names its staff member
        return len(captured)

    assert queries_with(1) == queries_with(6)
