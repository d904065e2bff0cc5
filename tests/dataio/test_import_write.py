"""The import's set-based write from its staging table (issue 20 item 4): exactly the checked rows, in both
tables, placed, with history; all or nothing when the write fails or is cancelled; field constraints
checked in SQL worded as the fields word them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dataio.importing.report import ImportRefused
from dataio.models import ImportRun
from dataio.operations import import_assets
from gardens.models import NeighbourhoodGarden, PaintedElectricalBox
from registry import history
from registry.assets import Asset
from registry.audit import AuditEntry
from registry.geometry import area_in_square_metres, representative_point
from registry.map_version import forget_cached_version, tile_version
from tests.dataio.files import feature, point, square, write_geojson
from tests.factories import PaintedBoxFactory, make_district_admin
from tests.public.test_tiles import tile_at

pytestmark = pytest.mark.django_db

WEST_SOUTH, WEST_NORTH = (113.235, 23.122), (113.235, 23.128)
EAST_SOUTH, EAST_NORTH = (113.245, 23.122), (113.245, 23.128)


@pytest.fixture
def admin(district):
    return make_district_admin()


@pytest.fixture
def existing(district):
    """Two boxes already registered: B1, which the file updates, and B9, which it does not name."""
    return (PaintedBoxFactory(external_id="B1", name_zh="旧电箱", painter="老师傅", artwork_theme="龙舟"),
            PaintedBoxFactory(external_id="B9", name_zh="别的电箱"))


def boxes_file(tmp_path):
    """B1 moved to the east street with a new name (no painter column: its painter stays), B2 and a row with no
    external id new."""
    return write_geojson(tmp_path / "boxes.geojson", [
        feature(point(*EAST_NORTH), external_id="B1", name_zh="新电箱", artwork_theme="醒狮"),
        feature(point(*WEST_NORTH), external_id="B2", name_zh="二号", artwork_theme="粤剧", painted_on="2021-05-01"),
        feature(point(*EAST_SOUTH), external_id="", name_zh="无编号", artwork_theme="荔枝湾"),
    ])


def staging_table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('pg_temp.import_rows') IS NOT NULL")
        return cursor.fetchone()[0]


def placement(asset) -> tuple:
    return asset.street.code, asset.community.code, asset.grid.code


def test_new_and_matched_rows_are_written_exactly_in_both_tables_placed(tmp_path, district, admin, existing):
    b1, b9 = existing
    b9_updated_at = b9.updated_at

    report = import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box")

    assert (report.to_create, report.to_update, report.imported) == (2, 1, True)
    boxes = {box.name_zh: box for box in PaintedElectricalBox.objects.all()}
    assert sorted(boxes) == sorted(["新电箱", "二号", "无编号", "别的电箱"])
    moved = boxes["新电箱"]
    assert moved.pk == b1.pk and placement(moved) == ("E", "E1", "E1N")
    assert (moved.artwork_theme, moved.painter) == ("醒狮", "老师傅")  # the file has no painter column
    assert moved.location.coords == EAST_NORTH and moved.updated_by == admin and moved.created_by == b1.created_by
    second, no_id = boxes["二号"], boxes["无编号"]
    assert placement(second) == ("W", "W1", "W1N") and placement(no_id) == ("E", "E1", "E1S")
    assert (second.external_id, str(second.painted_on), second.kind) == ("B2", "2021-05-01", "painted_box")
    assert (no_id.external_id, no_id.painted_on, no_id.status) == ("", None, "in_use")  # defaults, as a save gives
    assert second.location == second.geometry and second.area_m2 is None
    assert second.created_by == admin and second.updated_by == admin and second.is_public
    assert boxes["别的电箱"].updated_at == b9_updated_at
    assert not staging_table_exists()


def test_the_write_stamps_the_tiles_over_each_place_it_changed(tmp_path, district, admin, existing):
    """The map's version triggers fire on the set-based write: B1 left the west-south corner for the east-north
    one, B2 arrived in the west-north corner, the third row in the east-south corner."""
    def versions():
        forget_cached_version()
        return {spot: tile_version(*tile_at(*spot, 16)) for spot in (WEST_SOUTH, WEST_NORTH, EAST_SOUTH, EAST_NORTH)}

    assert existing[0].location.coords == WEST_SOUTH
    before = versions()
    import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box")
    after = versions()
    assert all(after[spot] != before[spot] for spot in before), (before, after)


def test_a_second_kind_of_polygons_gets_its_point_area_and_lists(tmp_path, district, admin):
    path = write_geojson(tmp_path / "gardens.geojson", [
        feature(square(*WEST_SOUTH), external_id="G1", name_zh="花园一", seats=12, facilities="凉亭;洗手池"),
        feature(square(*EAST_NORTH, half=0.0004), external_id="G2", name_zh="花园二"),
    ])
    report = import_assets(actor=admin, path=path, kind="garden")

    assert (report.to_create, report.to_update) == (2, 0)
    first, second = NeighbourhoodGarden.objects.order_by("external_id")
    assert placement(first) == ("W", "W1", "W1S") and placement(second) == ("E", "E1", "E1N")
    assert (first.seats, first.facilities, second.seats, second.facilities) == (12, ["凉亭", "洗手池"], 0, [])
    for garden in (first, second):  # as Asset.derive_shape() computes them in Python
        assert garden.location.equals_exact(representative_point(garden.geometry), 1e-9)
        assert garden.area_m2 == pytest.approx(area_in_square_metres(garden.geometry), abs=0.01)
    assert Asset.objects.filter(kind="garden").count() == 2


def test_every_row_written_carries_the_import_in_its_history(tmp_path, district, admin, existing):
    import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box")

    context = {"operation": "assets.import", "user": admin.pk}
    box_events = history.event_model_of(PaintedElectricalBox)
    for box in PaintedElectricalBox.objects.exclude(external_id="B9"):
        label = "update" if box.external_id == "B1" else "insert"
        recorded = [e for e in history.events_of(box.pk) if e.pgh_label == label]
        assert [e.pgh_context.metadata for e in recorded[-1:]] == [context], box.name_zh
        kind_events = [e for e in history.events_of(box.pk, box_events) if e.pgh_label == label]
        assert [e.pgh_context.metadata for e in kind_events[-1:]] == [context], box.name_zh
    assert [e.pgh_label for e in history.events_of(existing[1].pk)] == ["insert"]


def nothing_written(b1) -> None:
    b1_now = Asset.objects.get(pk=b1.pk)
    assert (b1_now.name_zh, b1_now.street.code) == ("旧电箱", b1.street.code)
    assert not Asset.objects.filter(name_zh__in=["二号", "无编号"]).exists()
    assert not ImportRun.objects.exists() and not AuditEntry.objects.filter(action="assets.import").exists()
    assert not any(e.pgh_context and e.pgh_context.metadata.get("operation") == "assets.import"
                   for e in history.events_of(b1.pk))
    assert not staging_table_exists()


def test_a_unique_violation_in_the_write_leaves_nothing_written(tmp_path, district, admin, existing):
    """Another user registers B2 after the file was checked, before it is written: the insert breaks the
    unique external id, and the import writes nothing at all (not B1's update, not the other new row)."""
    def someone_registers_b2(phase):
        if phase == "writing":
            PaintedBoxFactory(external_id="B2", name_zh="别人的")

    with pytest.raises(ValidationError) as error:
        import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box", checkpoint=someone_registers_b2)
    assert error.value.code == "import_conflict"
    nothing_written(existing[0])


def test_a_cancel_during_the_write_leaves_nothing_written(tmp_path, district, admin, existing):
    class Cancelled(Exception):
        pass

    phases = []

    def cancel_before_commit(phase):
        phases.append(phase)
        if phase == "commit":
            assert PaintedElectricalBox.objects.filter(name_zh="二号").exists()  # written, not yet committed
            raise Cancelled

    with pytest.raises(Cancelled):
        import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box", checkpoint=cancel_before_commit)
    assert phases == ["writing", "commit"]
    nothing_written(existing[0])


def test_field_constraints_checked_in_sql_are_worded_by_the_field(tmp_path, district, admin):
    """Too long, not a choice, out of range and required, found in SQL: the report says what the field's own
    clean() says, in the file's column order, beside a cell Python could not parse in the same row."""
    field = NeighbourhoodGarden._meta.get_field

    def says(name, value) -> str:
        with pytest.raises(ValidationError) as error:
            field(name).clean(value, None)
        return " ".join(error.value.messages)

    long_name = "园" * 201
    path = write_geojson(tmp_path / "gardens.geojson", [
        feature(square(*WEST_SOUTH), name_zh=long_name, seats=-1, status="lost", is_public="maybe"),
        feature(square(*WEST_NORTH), name_zh="花园", seats=40000, parking_spaces=3),
        feature(square(*EAST_SOUTH), name_zh="  ", external_id="G" * 101),
        feature(square(*EAST_NORTH), name_zh="好花园", seats=5),
    ])
    with pytest.raises(ImportRefused) as error:
        import_assets(actor=admin, path=path, kind="garden")
    problems = [(p.row, p.field, p.message) for p in error.value.report.problems]
    assert problems[:4] == [(1, "name_zh", says("name_zh", long_name)), (1, "seats", says("seats", -1)),
                            (1, "status", says("status", "lost")), (1, "is_public", problems[3][2])]
    assert "“maybe” is not yes or no" in problems[3][2]
    # Row 3: the file's columns in the order they first appear (external_id only from row 3 on).
    assert problems[4:] == [(2, "seats", says("seats", 40000)), (3, "name_zh", "This field is required."),
                            (3, "external_id", says("external_id", "G" * 101))]
    assert not Asset.objects.exists() and not staging_table_exists()


def test_a_dry_run_counts_without_writing_and_drops_its_staging_table(tmp_path, district, admin, existing):
    report = import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box", dry_run=True)
    assert (report.to_create, report.to_update, report.imported) == (2, 1, False)
    assert Asset.objects.count() == 2 and not staging_table_exists()
