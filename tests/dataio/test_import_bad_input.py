"""Bad files and bad rows: a clear report, and nothing imported."""

import pytest
from django.core.exceptions import ValidationError

from dataio.importing.report import ImportRefused
from dataio.operations import import_assets
from registry.assets import Asset
from registry.audit import AuditEntry
from tests.dataio.files import bowtie, feature, ogr2ogr, point, square, write_geojson, zip_folder
from tests.factories import make_district_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(district):
    return make_district_admin()


def refused(admin, path, kind, **options) -> list[tuple]:
    """Import expecting refusal; return the report's (row, field, message) and check nothing was written."""
    with pytest.raises(ImportRefused) as error:
        import_assets(actor=admin, path=path, kind=kind, **options)
    assert not Asset.objects.exists() and not AuditEntry.objects.exists()
    return [(p.row, p.field, p.message) for p in error.value.report.problems]


def file_error(admin, path, kind="painted_box", **options) -> str:
    with pytest.raises(ValidationError) as error:
        import_assets(actor=admin, path=path, kind=kind, **options)
    assert not isinstance(error.value, ImportRefused)
    assert not Asset.objects.exists()
    return " ".join(error.value.messages)


def test_a_file_that_is_not_what_its_name_says(tmp_path, admin):
    geojson = write_geojson(tmp_path / "boxes.geojson", [feature(point(113.235, 23.122), name_zh="电箱")])
    disguised = tmp_path / "boxes.gpkg"
    disguised.write_bytes(geojson.read_bytes())
    not_zip = tmp_path / "boxes.zip"
    not_zip.write_text("just text", encoding="utf-8")
    garbage = tmp_path / "broken.geojson"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n not json at all")

    assert "named like GeoPackage but holds GeoJSON data" in file_error(admin, disguised)
    assert "not a zip archive" in file_error(admin, not_zip)
    assert "could not be read as GeoJSON" in file_error(admin, garbage)
    assert "cannot be imported; use one of" in file_error(admin, tmp_path / "boxes.xlsx")


def test_a_zip_without_a_shapefile(tmp_path, admin):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "readme.txt").write_text("hello", encoding="utf-8")
    assert "holds no Shapefile" in file_error(admin, zip_folder(tmp_path / "docs.zip", tmp_path / "docs"))


def test_an_empty_layer(tmp_path, admin):
    assert "no features to import" in file_error(admin, write_geojson(tmp_path / "empty.geojson", []))


def test_a_crs_that_is_not_allowed_or_not_given(tmp_path, admin):
    utm = write_geojson(tmp_path / "utm.geojson", [feature(point(771000, 2559000), name_zh="电箱")], crs=32649)
    assert "UTM zone 49N” (EPSG:32649), which is not accepted" in file_error(admin, utm)
    # A Shapefile whose .prj GDAL cannot read at all, and one without a .prj.
    source = write_geojson(tmp_path / "boxes.geojson", [feature(point(113.235, 23.122), name_zh="电箱")])
    (tmp_path / "shp").mkdir()
    ogr2ogr(tmp_path / "shp" / "boxes.shp", source, "-f", "ESRI Shapefile")
    (tmp_path / "shp" / "boxes.prj").write_text("PROJCS[nonsense", encoding="utf-8")
    assert "does not say which coordinate reference system" in file_error(
        admin, zip_folder(tmp_path / "bad_prj.zip", tmp_path / "shp"))
    (tmp_path / "shp" / "boxes.prj").unlink()
    assert "give it (--srid, or the coordinate reference system on the import page)" in file_error(admin, zip_folder(tmp_path / "no_prj.zip", tmp_path / "shp"))
    # --srid itself goes through the allow-list: Xi'an 1980 is not on it.
    assert "EPSG:2385 is not accepted" in file_error(admin, source, srid="EPSG:2385")


def test_rows_with_invalid_empty_or_wrongly_typed_geometry(tmp_path, admin):
    path = write_geojson(tmp_path / "gardens.geojson", [
        feature(square(113.235, 23.122), name_zh="好花园"),
        feature(bowtie(113.236, 23.122), name_zh="交叉花园"),
        feature(None, name_zh="无位置花园"),
        feature({"type": "MultiPolygon", "coordinates": []}, name_zh="空花园"),
        feature(point(113.235, 23.122), name_zh="点花园"),
    ])
    problems = refused(admin, path, "garden")
    assert [(row, field) for row, field, _m in problems] == [(2, "geometry"), (3, "geometry"), (4, "geometry"),
                                                              (5, "geometry")]
    assert problems[0][2].startswith("The outline crosses itself")
    assert problems[1][2] == "The row has no geometry."
    assert "empty" in problems[2][2]
    assert problems[3][2] == "This kind of asset must be drawn as a polygon, not a point."


def test_rows_outside_the_district(tmp_path, admin):
    path = write_geojson(tmp_path / "boxes.geojson", [
        feature(point(113.235, 23.122), name_zh="里面"),
        feature(point(113.300, 23.200), name_zh="外面"),
    ])
    assert refused(admin, path, "painted_box") == [
        (2, "geometry", "This location is outside the district: no street boundary covers it. Are the coordinates "
                        "in the coordinate reference system the file says (or the one given)?")]


def test_missing_required_fields(tmp_path, admin):
    path = write_geojson(tmp_path / "heritage.geojson", [
        feature(square(113.235, 23.122), name_zh="", protection_level="national"),
        feature(square(113.236, 23.123), name_zh="祠堂", protection_level="imperial"),
    ])
    without_column = write_geojson(tmp_path / "heritage2.geojson", [feature(square(113.235, 23.122), name_zh="祠堂")])

    problems = refused(admin, path, "heritage")
    assert problems[0] == (1, "name_zh", "This field is required.")
    assert problems[1][:2] == (2, "protection_level") and "imperial" in problems[1][2]
    assert refused(admin, without_column, "heritage") == [
        (1, "protection_level", "Required field “protection_level” is missing: the file has no column for it.")]


def test_duplicate_external_ids_within_one_file(tmp_path, admin):
    path = write_geojson(tmp_path / "boxes.geojson", [
        feature(point(113.235, 23.122), external_id="B1", name_zh="一"),
        feature(point(113.236, 23.122), external_id="B2", name_zh="二"),
        feature(point(113.237, 23.122), external_id="B1", name_zh="三"),
    ])
    assert refused(admin, path, "painted_box") == [
        (3, "external_id", "External id “B1” already appears in row 1.")]


def test_bad_cells_are_reported_with_their_column(tmp_path, admin):
    path = write_geojson(tmp_path / "boxes.geojson", [
        feature(point(113.235, 23.122), name_zh="一", painted_on="yesterday", is_public="maybe", status="lost"),
    ])
    problems = refused(admin, path, "painted_box")
    assert [field for _row, field, _m in problems] == ["painted_on", "is_public", "status"]
    assert "“maybe” is not yes or no" in problems[1][2] and "'lost' is not a valid choice" in problems[2][2]


def test_a_row_of_another_kind(tmp_path, admin):
    path = write_geojson(tmp_path / "assets.geojson", [feature(point(113.235, 23.122), name_zh="一", kind="mural")])
    assert refused(admin, path, "painted_box") == [(1, "kind", "This row is a “mural”, not a painted electrical box.")]


def test_projected_coordinates_without_a_crs(tmp_path, admin):
    path = write_geojson(tmp_path / "boxes.geojson", [feature(point(38420000, 2558000), name_zh="一")])
    problems = refused(admin, path, "painted_box")
    assert problems[0][1] == "geometry" and "coordinate reference system" in problems[0][2]
