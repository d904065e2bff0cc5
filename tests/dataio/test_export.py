"""export_assets: every format round-trips through import_assets; filters; public exports stay public."""

import csv
import datetime
import json
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.contrib.gis.geos import LineString, MultiPolygon, Point, Polygon
from django.core.management import CommandError, call_command

from dataio.operations import import_assets
from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox
from heritage.models import HeritageBuilding, Mural
from registry.assets import Asset
from retrofits.models import ElevatorRetrofit
from tests.factories import AdoptionFactory, make_district_admin, square

pytestmark = pytest.mark.django_db

COMPARED = ("external_id", "name_zh", "name_en", "address", "status", "description", "is_public", "is_adoptable",
            "street_id", "community_id", "grid_id")


def holed_garden():
    outer = Polygon.from_bbox((113.233, 23.121, 113.236, 23.124))
    hole = Polygon.from_bbox((113.234, 23.122, 113.235, 23.123))
    return MultiPolygon(Polygon(outer.exterior_ring.coords, hole.exterior_ring.coords), srid=4326)


def make_every_kind():
    """One or two assets of every kind, every field filled, Chinese text, a hole, a mural line and point."""
    common = {"address": "广州市荔湾区恩宁路", "description": "老街“微改造”，含逗号,和引号\"", "status": "in_use"}
    NeighbourhoodGarden.objects.create(
        external_id="G-1", name_zh="恩宁花园", name_en="Enning Garden", geometry=holed_garden(), theme="岭南",
        plants="三角梅;桂花", seats=6, parking_spaces=2, facilities=["座椅", "凉亭"], **common)
    GreenPlot.objects.create(external_id="P-1", name_zh="认领绿地一", geometry=square(113.238, 23.128),
                             vegetation="flower_bed", watering_needs="high", is_adoptable=True, is_public=False,
                             status="planned")
    PaintedElectricalBox.objects.create(external_id="B-1", name_zh="醒狮电箱", geometry=Point(113.2351, 23.1221, srid=4326),
                                        artwork_theme="醒狮", painter="陈师傅", painted_on=datetime.date(2021, 5, 1))
    Mural.objects.create(external_id="M-1", name_zh="龙舟墙", geometry=LineString((113.241, 23.121), (113.242, 23.1215),
                                                                                  srid=4326),
                         wall_type="relief", motif_tags=["dragon_boat", "lion_dance"], artist="黄艺", surface="brick",
                         painted_on=datetime.date(2020, 10, 1), condition="fair")
    Mural.objects.create(external_id="M-2", name_zh="鸡公榄墙", geometry=Point(113.243, 23.126, srid=4326),
                         motif_tags=["olive_seller"])
    HeritageBuilding.objects.create(external_id="H-1", name_zh="陈家祠", name_en="Chen Clan Ancestral Hall",
                                    geometry=square(113.245, 23.127), protection_level="national", era="清末",
                                    style="ancestral_hall", renovation_history="1959 年修缮", **common)
    ElevatorRetrofit.objects.create(external_id="E-1", name_zh="多宝路 12 号电梯", geometry=Point(113.247, 23.129, srid=4326),
                                    stage="in_service", custody_mode="steward", maintenance_contractor="广日电梯",
                                    next_inspection_on=datetime.date(2027, 3, 1), households=18)


def single_part(geometry):
    """A one-part multi-geometry as its part: a Shapefile cannot tell them apart (both read back as the part)."""
    return geometry[0] if geometry.geom_type.startswith("Multi") and len(geometry) == 1 else geometry


def snapshot() -> dict:
    """external id → (common fields, the kind's own fields, normalised geometry) of every asset."""
    result = {}
    for asset in Asset.objects.all():
        specific = asset.specific
        own = {f.name: getattr(specific, f.name) for f in type(specific)._meta.local_concrete_fields
               if not f.primary_key and not f.is_relation}
        result[asset.external_id] = ({name: getattr(asset, name) for name in COMPARED}, own,
                                     single_part(asset.geometry).normalize(clone=True))
    return result


def assert_same_assets(before: dict, after: dict, tolerance=1e-9) -> None:
    assert set(before) == set(after)
    for external_id, (common, own, geometry) in before.items():
        common_after, own_after, geometry_after = after[external_id]
        assert common_after == common, external_id
        assert own_after == own, external_id
        assert geometry_after.geom_type == geometry.geom_type
        assert geometry_after.equals_exact(geometry, tolerance), external_id


@pytest.fixture
def admin(district):
    return make_district_admin()


@pytest.mark.parametrize("fmt, extension", [("geojson", "geojson"), ("gpkg", "gpkg"), ("shp", "zip"),
                                            ("csv", "csv")])
def test_every_format_round_trips_through_import(fmt, extension, tmp_path, admin):
    make_every_kind()
    before = snapshot()
    files = {}
    for kind in Asset.kind_models:
        files[kind] = tmp_path / f"{kind}.{extension}"
        call_command("export_assets", str(files[kind]), "--format", fmt, "--kind", kind, "--user", admin.username)
    Asset.objects.all().delete()

    for kind, path in files.items():
        report = import_assets(actor=admin, path=path, kind=kind)
        assert report.ignored_columns == [], (kind, report.ignored_columns)

    assert_same_assets(before, snapshot())


def test_reimporting_an_export_updates_in_place(tmp_path, admin):
    make_every_kind()
    before = snapshot()
    path = tmp_path / "murals.gpkg"
    call_command("export_assets", str(path), "--format", "gpkg", "--kind", "mural", "--user", admin.username)
    report = import_assets(actor=admin, path=path, kind="mural")
    assert (report.to_create, report.to_update) == (0, 2)
    assert_same_assets(before, snapshot())


def test_shapefile_zip_holds_one_shapefile_per_geometry_type_with_short_utf8_names(tmp_path, admin):
    make_every_kind()
    path = tmp_path / "murals.zip"
    call_command("export_assets", str(path), "--format", "shp", "--kind", "mural", "--user", admin.username)
    names = set(zipfile.ZipFile(path).namelist())
    assert {"assets_points.shp", "assets_lines.shp", "assets_points.cpg", "assets_lines.prj"} <= names
    info = subprocess.run(["ogrinfo", "-so", "-al", f"/vsizip/{path}"], capture_output=True, text=True).stdout
    assert "ext_id: String" in info and "Feature Count: 1" in info


def test_filters_and_public_exports(tmp_path, admin, district):
    make_every_kind()
    AdoptionFactory(asset=GreenPlot.objects.get(), adopter__display_name="荔湾志愿队", adopter__mobile="13912345678",
                    period=(datetime.date(2025, 1, 1), datetime.date(2030, 1, 1)))
    public = tmp_path / "public.geojson"
    call_command("export_assets", str(public), "--format", "geojson", "--public")
    staff = tmp_path / "west.geojson"
    call_command("export_assets", str(staff), "--format", "geojson", "--street", "W", "--status", "planned",
                 "--user", admin.username)

    public_features = json.loads(public.read_text(encoding="utf-8"))["features"]
    assert len(public_features) == Asset.objects.filter(is_public=True).count() == 6
    assert all("external_id" not in f["properties"] and "is_public" not in f["properties"] for f in public_features)
    assert "13912345678" not in public.read_text(encoding="utf-8")
    west = json.loads(staff.read_text(encoding="utf-8"))["features"]
    assert [(f["properties"]["external_id"], f["properties"]["street"], f["properties"]["adopter"]) for f in west] == [
        ("P-1", "W", "荔湾志愿队")]
    with pytest.raises(CommandError, match="Unknown street code: X"):
        call_command("export_assets", str(staff), "--format", "geojson", "--street", "X", "--user", admin.username)


def test_csv_opens_in_excel_with_chinese_and_has_wkt(tmp_path, admin):
    make_every_kind()
    path = tmp_path / "boxes.csv"
    call_command("export_assets", str(path), "--format", "csv", "--kind", "painted_box", "--user", admin.username)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["name_zh"] == "醒狮电箱" and rows[0]["wkt"] == "POINT (113.2351 23.1221)"
    assert (rows[0]["lon"], rows[0]["lat"], rows[0]["painted_on"]) == ("113.2351", "23.1221", "2021-05-01")


def read_osm_layer(path, layer) -> list[dict]:
    """GDAL's OSM driver reads the file back (negative ids, as for data not yet uploaded, need its flag)."""
    result = subprocess.run(["ogr2ogr", "-f", "GeoJSON", "/vsistdout/", str(path), layer], capture_output=True,
                            text=True, check=True, env={"OSM_USE_CUSTOM_INDEXING": "NO", "PATH": "/usr/bin:/bin"})
    return json.loads(result.stdout)["features"]


def tags_of(osm_feature) -> dict:
    properties = dict(osm_feature["properties"])
    other = properties.pop("other_tags", None) or ""
    pairs = [part.split('"=>"') for part in other.strip('"').split('","') if part]
    return {**{k: v for k, v in properties.items() if v is not None and not k.startswith("osm_")},
            **{k: v.replace('\\"', '"') for k, v in pairs}}


def test_osm_export_is_read_by_gdal_with_the_kinds_tags_and_positions(tmp_path, admin):
    make_every_kind()
    path = tmp_path / "assets.osm"
    call_command("export_assets", str(path), "--format", "osm", "--user", admin.username)

    points = {tags_of(f)["ref:liwan_registry"]: f for f in read_osm_layer(path, "points")}
    lines = {tags_of(f)["ref:liwan_registry"]: f for f in read_osm_layer(path, "lines")}
    areas = {tags_of(f)["ref:liwan_registry"]: f for f in read_osm_layer(path, "multipolygons")}

    assert (set(points), set(lines), set(areas)) == ({"B-1", "M-2", "E-1"}, {"M-1"}, {"G-1", "P-1", "H-1"})
    assert tags_of(areas["G-1"]).items() >= {"leisure": "garden", "garden:type": "community", "name": "恩宁花园",
                                          "name:en": "Enning Garden", "type": "multipolygon",
                                          "description": "老街“微改造”，含逗号,和引号\""}.items()
    assert len(areas["G-1"]["geometry"]["coordinates"][0]) == 2  # the hole survives as an inner ring
    assert tags_of(areas["H-1"])["heritage"] == "2" and tags_of(areas["P-1"])["landuse"] == "flowerbed"
    assert {k: tags_of(points["B-1"])[k] for k in ("man_made", "street_cabinet", "tourism", "artist_name",
                                                     "start_date")} == {
        "man_made": "street_cabinet", "street_cabinet": "power", "tourism": "artwork", "artist_name": "陈师傅",
        "start_date": "2021-05-01"}
    assert tags_of(lines["M-1"])["artwork_type"] == "relief"
    assert tags_of(lines["M-1"])["subject"] == "dragon boat;lion dance"
    assert tags_of(points["E-1"])["highway"] == "elevator"
    assert points["B-1"]["geometry"]["coordinates"] == [113.2351, 23.1221]


def test_an_osm_file_over_the_row_limit_is_refused_once_read(tmp_path, admin):
    make_every_kind()
    path = tmp_path / "assets.osm"
    call_command("export_assets", str(path), "--format", "osm", "--user", admin.username)
    Asset.objects.all().delete()
    with pytest.raises(ValidationError) as refused:  # OpenStreetMap files cannot count their rows before reading
        import_assets(actor=admin, path=path, kind="mural", max_rows=1)
    assert refused.value.code == "too_many_rows" and not Asset.objects.exists()
    assert import_assets(actor=admin, path=path, kind="mural", max_rows=2, dry_run=True).to_create == 2


OSM_CARRIED = {"garden": [], "green_plot": ["vegetation"], "painted_box": ["artwork_theme", "painter", "painted_on"],
               "mural": ["wall_type", "motif_tags", "artist", "painted_on"], "heritage": ["protection_level"],
               "elevator": ["stage"]}


def test_osm_export_imports_back_what_osm_carries(tmp_path, admin):
    make_every_kind()
    before = snapshot()
    path = tmp_path / "assets.osm"
    call_command("export_assets", str(path), "--format", "osm", "--user", admin.username)
    Asset.objects.all().delete()

    reports = {kind: import_assets(actor=admin, path=path, kind=kind) for kind in Asset.kind_models}

    assert {kind: r.to_create for kind, r in reports.items()} == {
        "garden": 1, "green_plot": 1, "painted_box": 1, "mural": 2, "heritage": 1, "elevator": 1}
    assert reports["garden"].skipped == 6 and reports["garden"].problems == []
    after = snapshot()
    assert set(after) == set(before)
    for external_id, (common, own, geometry) in before.items():
        common_after, own_after, geometry_after = after[external_id]
        kind = Asset.objects.get(external_id=external_id).kind
        for name in ("name_zh", "name_en", "address", "description", "street_id", "community_id", "grid_id"):
            assert common_after[name] == common[name], (external_id, name)
        assert {n: own_after[n] for n in OSM_CARRIED[kind]} == {n: own[n] for n in OSM_CARRIED[kind]}, external_id
        assert geometry_after.equals_exact(geometry, 1e-7), external_id  # OSM keeps 7 decimals
