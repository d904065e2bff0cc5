"""import_assets: formats, updates by external id, reprojection, permissions, and the command."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from dataio.importing.report import ImportRefused
from dataio.models import ImportRun
from dataio.operations import import_assets
from gardens.models import NeighbourhoodGarden, PaintedElectricalBox
from heritage.models import HeritageBuilding, Mural
from registry.assets import Asset
from registry.audit import AuditEntry
from registry.staffing import Role
from tests.dataio.files import feature, ogr2ogr, point, square, write_csv, write_geojson, zip_folder
from tests.factories import PaintedBoxFactory, make_district_admin, make_staff

pytestmark = pytest.mark.django_db

WEST_POINT = (113.235, 23.122)   # street W
EAST_POINT = (113.245, 23.127)   # street E


@pytest.fixture
def admin(district):
    return make_district_admin()


def boxes_file(tmp_path, name="boxes.geojson", **overrides):
    features = [
        feature(point(*WEST_POINT), external_id="B1", name_zh="醒狮电箱", artwork_theme="醒狮", painter="陈师傅",
                painted_on="2021-05-01", status="in_use"),
        feature(point(*EAST_POINT), external_id="B2", name_zh="龙舟电箱", name_en="Dragon boat box", status="planned"),
    ]
    for feature_ in features:
        feature_["properties"].update(overrides)
    return write_geojson(tmp_path / name, features)


def test_geojson_import_creates_assets_placed_in_their_streets_with_one_audit_entry(tmp_path, district, admin):
    report = import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box")

    assert report.imported and report.to_create == 2 and report.problems == []
    first, second = PaintedElectricalBox.objects.order_by("external_id")
    assert (first.name_zh, first.artwork_theme, first.painter, str(first.painted_on)) == (
        "醒狮电箱", "醒狮", "陈师傅", "2021-05-01")
    assert first.street == district["W"] and first.grid == district["W1S"]
    assert second.street == district["E"] and second.status == "planned" and second.name_en == "Dragon boat box"
    assert first.created_by == admin
    run = ImportRun.objects.get()
    entries = AuditEntry.objects.filter(action="assets.import")
    assert entries.count() == 1 and entries.get().object_id == run.pk
    assert (run.created, run.updated, run.kind) == (2, 0, "painted_box")


def test_reimport_updates_by_external_id_instead_of_duplicating(tmp_path, district, admin):
    import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box")
    moved = write_geojson(tmp_path / "again.geojson", [
        feature(point(113.236, 23.128), external_id="B1", name_zh="醒狮电箱（新）", painter="李师傅"),
        feature(point(*EAST_POINT), external_id="B3", name_zh="新电箱"),
    ])

    report = import_assets(actor=admin, path=moved, kind="painted_box")

    assert (report.to_create, report.to_update) == (1, 1)
    assert PaintedElectricalBox.objects.count() == 3
    updated = PaintedElectricalBox.objects.get(external_id="B1")
    assert (updated.name_zh, updated.painter, updated.artwork_theme) == ("醒狮电箱（新）", "李师傅", "醒狮")
    assert updated.grid == district["W1N"] and updated.location.y == pytest.approx(23.128)
    assert updated.updated_by == admin


def test_reimport_matches_external_ids_read_as_numbers(tmp_path, district, admin):
    """A spreadsheet's 1002 can reach the file as the number 1002.0: it is still the id "1002"."""
    path = write_geojson(tmp_path / "numbered.geojson", [
        feature(point(*WEST_POINT), external_id=1001.5, name_zh="一"),
        feature(point(*EAST_POINT), external_id=1002.0, name_zh="二"),
    ])
    import_assets(actor=admin, path=path, kind="painted_box")

    again = import_assets(actor=admin, path=path, kind="painted_box")

    assert (again.to_create, again.to_update) == (0, 2)
    assert sorted(PaintedElectricalBox.objects.values_list("external_id", flat=True)) == ["1001.5", "1002"]


def test_dry_run_checks_and_writes_nothing(tmp_path, district, admin):
    report = import_assets(actor=admin, path=boxes_file(tmp_path), kind="painted_box", dry_run=True)

    assert report.ok and report.to_create == 2 and not report.imported
    assert not Asset.objects.exists() and not ImportRun.objects.exists()
    assert [f["properties"]["row"] for f in report.preview] == [1, 2]


def test_csv_with_lon_lat_columns_in_gb18030_and_a_mapping(tmp_path, district, admin):
    path = write_csv(tmp_path / "boxes.csv", ["编号", "名称", "经度", "纬度", "画师", "备注"], [
        ["B10", "荔枝电箱", "113.235", "23.122", "黄师傅", "x"],
        ["B11", "粤剧电箱", "113.245", "23.127", "", ""],
    ], encoding="gb18030")

    report = import_assets(actor=admin, path=path, kind="painted_box",
                           mapping={"画师": "painter", "备注": None})

    assert report.imported and report.ignored_columns == []
    box = PaintedElectricalBox.objects.get(external_id="B10")
    assert (box.name_zh, box.painter, box.street_id) == ("荔枝电箱", "黄师傅", district["W"].pk)


def test_csv_with_wkt_column_and_choice_labels_in_chinese(tmp_path, district, admin):
    path = write_csv(tmp_path / "murals.csv", ["external_id", "name_zh", "WKT", "wall_type", "motif_tags", "status"], [
        ["M1", "醒狮墙", "LINESTRING (113.231 23.121, 113.232 23.121)", "浮雕墙", "醒狮；龙舟", "使用中"],
    ])

    import_assets(actor=admin, path=path, kind="mural")

    mural = Mural.objects.get()
    assert (mural.wall_type, mural.motif_tags, mural.status) == ("relief", ["lion_dance", "dragon_boat"], "in_use")
    assert mural.geometry.geom_type == "LineString"


def test_kml_placemarks_with_heights_and_extended_data(tmp_path, district, admin):
    ring = " ".join(f"{x},{y},12" for x, y in [(113.234, 23.121), (113.236, 23.121), (113.236, 23.123),
                                                 (113.234, 23.123), (113.234, 23.121)])
    path = tmp_path / "gardens.kml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>survey</name>
<Placemark><name>逢源花园</name><description>社区花园</description>
<ExtendedData><Data name="external_id"><value>G1</value></Data><Data name="theme"><value>岭南</value></Data>
</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark></Folder></Document></kml>""", encoding="utf-8")

    import_assets(actor=admin, path=path, kind="garden")

    garden = NeighbourhoodGarden.objects.get()
    assert (garden.name_zh, garden.description, garden.theme, garden.external_id) == ("逢源花园", "社区花园", "岭南", "G1")
    assert not garden.geometry.hasz and garden.area_m2 > 40000


def test_geopackage_and_zipped_shapefile(tmp_path, district, admin):
    source = write_geojson(tmp_path / "heritage.geojson", [
        feature(square(113.245, 23.127), external_id="H1", name_zh="陈家祠", protection_level="national",
                era="清末", style="ancestral_hall"),
    ])
    gpkg = ogr2ogr(tmp_path / "heritage.gpkg", source, "-f", "GPKG")
    (tmp_path / "shp").mkdir()
    ogr2ogr(tmp_path / "shp" / "heritage.shp", source, "-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8")
    shapefile = zip_folder(tmp_path / "heritage.zip", tmp_path / "shp")

    first = import_assets(actor=admin, path=gpkg, kind="heritage")
    again = import_assets(actor=admin, path=shapefile, kind="heritage")

    assert (first.driver, first.to_create) == ("GPKG", 1)
    assert (again.driver, again.to_update, again.to_create) == ("ESRI Shapefile", 1, 0)
    building = HeritageBuilding.objects.get()
    assert (building.name_zh, building.protection_level, building.style) == ("陈家祠", "national", "ancestral_hall")


def test_mapping_that_names_unknown_columns_or_fields_is_refused(tmp_path, district, admin):
    path = boxes_file(tmp_path)
    with pytest.raises(ValidationError, match="does not have: 名称"):
        import_assets(actor=admin, path=path, kind="painted_box", mapping={"名称": "name_zh"})
    with pytest.raises(ValidationError, match="fields a painted electrical box does not have: colour"):
        import_assets(actor=admin, path=path, kind="painted_box", mapping={"painter": "colour"})
    assert not Asset.objects.exists()


def test_unknown_columns_are_listed_as_ignored(tmp_path, district, admin):
    report = import_assets(actor=admin, path=boxes_file(tmp_path, colour="red"), kind="painted_box", dry_run=True)
    assert report.ignored_columns == ["colour"]


def test_only_import_roles_may_import(tmp_path, district):
    worker = make_staff(Role.GRID_WORKER, grids=[district["W1S"]])
    with pytest.raises(PermissionDenied):
        import_assets(actor=worker, path=boxes_file(tmp_path), kind="painted_box")
    assert not Asset.objects.exists()


def test_street_staff_import_only_within_their_streets(tmp_path, district):
    staff = make_staff(Role.STREET_STAFF, streets=[district["W"]])
    PaintedBoxFactory(geometry=Point(*EAST_POINT, srid=4326),
                      external_id="E9")
    path = write_geojson(tmp_path / "mixed.geojson", [
        feature(point(*WEST_POINT), external_id="W1", name_zh="西"),
        feature(point(*EAST_POINT), external_id="E1", name_zh="东"),
        feature(point(*WEST_POINT), external_id="E9", name_zh="把东街的电箱搬过来"),
    ])

    with pytest.raises(ImportRefused) as refused:
        import_assets(actor=staff, path=path, kind="painted_box")

    problems = [(p.row, p.field, p.message) for p in refused.value.report.problems]
    assert problems == [(2, "geometry", "This location is outside the streets you manage."),
                        (3, "external_id", "External id “E9” belongs to an asset outside the streets you manage.")]
    assert PaintedElectricalBox.objects.count() == 1


def test_command_prints_the_report_and_imports(tmp_path, district, admin, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"painter": "painter"}), encoding="utf-8")
    call_command("import_assets", str(boxes_file(tmp_path)), "--kind", "painted_box", "--mapping", str(mapping),
                 "--user", admin.username)
    out = capsys.readouterr().out
    assert "Rows read: 2; new: 2" in out and "Imported 2 new and updated 0 assets" in out
    assert PaintedElectricalBox.objects.count() == 2


def test_command_exits_with_the_report_when_rows_are_wrong(tmp_path, district, admin, capsys):
    path = write_geojson(tmp_path / "bad.geojson", [feature(point(113.0, 23.0), name_zh="远处")])
    with pytest.raises(CommandError) as error:
        call_command("import_assets", str(path), "--kind", "painted_box", "--user", admin.username)
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "1\tgeometry\tThis location is outside the district" in out
    assert not Asset.objects.exists()


def test_text_with_tabs_newlines_backslashes_and_null_markers_survives_the_bulk_insert(tmp_path, district, admin):
    awkward = "第一行\t制表符\n第二行 \\N 反斜杠\\ 回车\r结束"  # (imports strip the ends of cells)
    path = write_geojson(tmp_path / "awkward.geojson", [
        feature(point(*WEST_POINT), external_id="A\tB", name_zh="\\N", description=awkward, address="")])
    import_assets(actor=admin, path=path, kind="painted_box")
    box = PaintedElectricalBox.objects.get()
    assert (box.external_id, box.name_zh, box.description, box.address, box.area_m2) == ("A\tB", "\\N", awkward, "", None)


def test_the_command_shows_progress_per_phase_unless_told_not_to(tmp_path, district, admin, capsys):
    path = write_geojson(tmp_path / "boxes.geojson", [feature(point(113.235, 23.122), external_id="Q1", name_zh="甲")])
    call_command("import_assets", str(path), kind="painted_box", dry_run=True, user=admin.username)
    shown = capsys.readouterr().err
    assert "Reading" in shown and "Checking" in shown and "0/1" in shown
    call_command("import_assets", str(path), kind="painted_box", dry_run=True, no_progress=True, user=admin.username)
    assert capsys.readouterr().err == ""
