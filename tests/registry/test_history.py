"""History from the database (registry/history.py, issue 14): writes that bypass save() — a
re-import, a boundary reassignment, a delete in the admin — leave field-level history with the user."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from dataio.operations import import_assets
from registry import history
from registry.assets import Asset
from registry.geography import update_boundaries
from tests.dataio.files import feature, point, write_geojson
from tests.factories import (
    EAST, MIDDLE, NORTH, SOUTH, WEST, AdoptionFactory, GreenPlotFactory, PaintedBoxFactory, UserFactory, box,
    make_district_admin, make_staff,
)

pytestmark = pytest.mark.django_db


def events(asset_pk, label=None):
    found = history.events_of(asset_pk)
    return [event for event in found if label is None or event.pgh_label == label]


def test_a_reimport_leaves_field_level_history_with_the_user_and_the_operation(tmp_path, district):
    admin = make_district_admin()
    first = write_geojson(tmp_path / "a.geojson", [feature(point(113.235, 23.122), external_id="B1", name_zh="醒狮电箱")])
    again = write_geojson(tmp_path / "b.geojson", [feature(point(113.235, 23.122), external_id="B1",
                                                           name_zh="醒狮电箱（新）")])
    import_assets(actor=admin, path=first, kind="painted_box")
    import_assets(actor=admin, path=again, kind="painted_box")
    asset = Asset.objects.get(external_id="B1")
    update = events(asset.pk, "update")[-1]
    assert (update.pgh_context.metadata["operation"], update.pgh_context.metadata["user"]) == ("assets.import", admin.pk)
    changes = history.changes_of(asset.pk)
    latest = changes[0]
    assert latest.user == admin and latest.operation == "assets.import"
    assert ("name_zh", "醒狮电箱", "醒狮电箱（新）") in [(c.field, c.old, c.new) for c in latest.fields]


def test_a_boundary_change_leaves_each_moved_asset_s_new_street_with_the_user(district):
    admin = make_district_admin()
    near_middle = PaintedBoxFactory(geometry=Point(113.2385, 23.122, srid=4326))
    west, east = district["W"], district["E"]
    west.boundary = box(WEST, SOUTH, MIDDLE - 0.002, NORTH)
    east.boundary = box(MIDDLE - 0.002, SOUTH, EAST, NORTH)
    with history.operation("areas.redraw", actor=admin):
        update_boundaries(west, east)  # one UPDATE for all assets: no save(), no audit entry
    latest = history.changes_of(near_middle.pk)[0]
    assert latest.user == admin and latest.operation == "areas.reassign"
    assert ("street_id", west.pk, east.pk) in [(c.field, c.old, c.new) for c in latest.fields]


def test_a_delete_in_the_admin_leaves_the_deleted_row_and_who_deleted_it(client, district):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    box_asset = PaintedBoxFactory(name_zh="将被删除的电箱")
    client.force_login(superuser)
    url = reverse("admin:gardens_paintedelectricalbox_delete", args=[box_asset.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Asset.objects.filter(pk=box_asset.pk).exists()
    deleted = events(box_asset.pk, "delete")
    assert len(deleted) == 1 and deleted[0].name_zh == "将被删除的电箱"
    assert deleted[0].pgh_context.metadata["user"] == superuser.pk
    assert deleted[0].pgh_context.metadata["url"] == url


def test_the_asset_history_page_shows_what_the_database_recorded(client, tmp_path, district):
    admin = make_district_admin()
    box_asset = PaintedBoxFactory(name_zh="旧名字")
    with history.operation("assets.import", actor=admin):
        Asset.objects.filter(pk=box_asset.pk).update(name_zh="新名字")  # a bulk write
    client.force_login(admin)
    page = client.get(reverse("asset-history", args=[box_asset.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = page[page.index("Recorded by the database"):]
    assert "旧名字" in section and "新名字" in section and "assets.import" in section


def test_a_shape_edited_by_raw_sql_is_recorded_and_an_unchanged_save_is_not(district):
    from django.db import connection

    box_asset = PaintedBoxFactory(geometry=Point(113.235, 23.122, srid=4326))
    with connection.cursor() as cursor:  # geometries are compared as bytes (restorable by pg_restore)
        cursor.execute("UPDATE registry_asset SET geometry = ST_SetSRID(ST_MakePoint(113.236, 23.122), 4326) "
                       "WHERE id = %s", [box_asset.pk])
    cursor_events = events(box_asset.pk, "update")
    assert len(cursor_events) == 1 and cursor_events[0].geometry.x == pytest.approx(113.236)
    Asset.objects.filter(pk=box_asset.pk).update(name_zh=Asset.objects.get(pk=box_asset.pk).name_zh)
    assert len(events(box_asset.pk, "update")) == 1  # nothing changed, nothing recorded


def test_a_kind_s_own_field_changed_by_a_bulk_update_is_recorded_and_shown(client, district):
    from gardens.models import GreenPlot

    admin = make_district_admin()
    plot = GreenPlotFactory(vegetation="lawn")
    with history.operation("plots.bulk_edit", actor=admin):
        GreenPlot.objects.filter(pk=plot.pk).update(vegetation="shrubs")
    edit = [change for change in history.changes_of(plot.pk) if change.operation == "plots.bulk_edit"]
    assert len(edit) == 1 and edit[0].user == admin  # (one test = one transaction: all at the same time)
    assert ("vegetation", "lawn", "shrubs") in [(c.field, c.old, c.new) for c in edit[0].fields]
    client.force_login(admin)
    page = client.get(reverse("asset-history", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = page[page.index("Recorded by the database"):]
    assert "Vegetation" in section and "plots.bulk_edit" in section


def test_an_operation_s_writes_carry_its_name_and_actor_in_each_table_s_history(district):
    """Adoptions, upkeep logs and problem reports are recorded by the database too, named by the operation."""
    from adoption.models import AdoptionStatus
    from adoption.operations import approve_adoption
    from problems.operations import report_problem
    from upkeep.operations import log_upkeep

    admin = make_district_admin()
    adoption = AdoptionFactory(status=AdoptionStatus.REQUESTED)
    approve_adoption(actor=admin, adoption=adoption)
    log = log_upkeep(actor=admin, asset=adoption.asset, action="watering")
    report = report_problem(actor=None, asset=adoption.asset, category="litter", description="垃圾堆积").report

    def last_event(model, pk):
        event = history.events_of(pk, history.event_model_of(model))[-1]
        return event.pgh_label, event.pgh_context.metadata.get("operation"), event.pgh_context.metadata.get("user")

    assert last_event(type(adoption), adoption.pk) == ("update", "adoption.approve", admin.pk)
    assert last_event(type(log), log.pk) == ("insert", "upkeep.log", admin.pk)
    assert last_event(type(report), report.pk) == ("insert", "problem.report", None)
    assert not hasattr(history.events_of(report.pk, history.event_model_of(type(report)))[-1], "reporter_mobile")


def test_an_area_s_boundary_change_is_recorded_with_its_user(district):
    admin = make_district_admin()
    west = district["W"]
    west.boundary = box(WEST, SOUTH, MIDDLE - 0.001, NORTH)
    with history.operation("areas.redraw", actor=admin):
        type(west).objects.filter(pk=west.pk).update(boundary=west.boundary)
    event = history.events_of(west.pk, history.event_model_of(type(west)))[-1]
    assert (event.pgh_label, event.pgh_context.metadata["user"]) == ("update", admin.pk)
    assert event.boundary.extent[2] == pytest.approx(MIDDLE - 0.001)


def test_a_deleted_asset_s_history_stays_readable_by_its_staff_only(client, district):
    from registry.staffing import Role

    own = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    other = make_staff(Role.STREET_STAFF, streets=[district["E"]])
    plot = PaintedBoxFactory(name_zh="拆除的电箱", geometry=Point(113.232, 23.122, srid=4326))
    assert plot.street_id == district["W"].pk
    with history.operation("assets.delete", actor=make_district_admin()):
        Asset.objects.filter(pk=plot.pk).delete()
    url = reverse("asset-history", args=[plot.pk])
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(own)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "拆除的电箱" in page and "This asset was deleted" in page and "assets.delete" in page


def test_the_recorded_changes_are_paged_newest_first(client, district):
    from django.db import connection

    admin = make_district_admin()
    box_asset = PaintedBoxFactory(name_zh="第0版")
    with connection.cursor() as cursor:
        for number in range(1, 56):  # 55 updates and the insert: two pages of 50
            cursor.execute("UPDATE registry_asset SET name_zh = %s WHERE id = %s", [f"第{number}版", box_asset.pk])
    client.force_login(admin)
    url = reverse("asset-history", args=[box_asset.pk])
    first = client.get(url).content.decode()
    second = client.get(url, {"recorded": 2}).content.decode()
    assert "→ 第55版" in first and "→ 第6版" in first and "→ 第5版" not in first and "?recorded=2" in first
    assert "→ 第5版" in second and "→ 第1版" in second and "→ 第6版" not in second


def test_statement_level_triggers_record_each_row_of_a_bulk_write_once_and_skip_unchanged_rows(tmp_path, district):
    """The history triggers are statement-level (one INSERT … SELECT per statement, issue 20): an import of
    several rows still leaves one insert event per asset and per kind row, each with the import's context;
    an UPDATE over many rows records only the rows it really changed."""
    admin = make_district_admin()
    path = write_geojson(tmp_path / "many.geojson", [
        feature(point(113.235 + i * 0.0002, 23.122), external_id=f"S{i}", name_zh=f"电箱{i}") for i in range(5)])
    import_assets(actor=admin, path=path, kind="painted_box")
    assets = list(Asset.objects.filter(external_id__startswith="S").order_by("external_id"))
    assert len(assets) == 5
    kind_events = history.event_model_of(type(assets[0].paintedelectricalbox))
    for asset in assets:
        inserted = events(asset.pk, "insert")
        assert len(inserted) == 1
        assert inserted[0].pgh_context.metadata == {"operation": "assets.import", "user": admin.pk}
        assert [e.pgh_label for e in history.events_of(asset.pk, kind_events)] == ["insert"]
    with history.operation("test.bulk", actor=admin):
        Asset.objects.filter(pk__in=[a.pk for a in assets]).update(name_en="")  # all already "": no change
        Asset.objects.filter(pk__in=[a.pk for a in assets[:2]]).update(name_en="Box")
    assert [len(events(a.pk, "update")) for a in assets] == [1, 1, 0, 0, 0]
    assert events(assets[0].pk, "update")[0].pgh_context.metadata["operation"] == "test.bulk"
