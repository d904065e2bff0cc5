"""CGCS2000 (EPSG:4490), its Gauss-Krüger projection (EPSG:4547), Web Mercator and GCJ-02 inputs land
within a metre of the true WGS-84 positions.

The projected inputs are computed here with the published formulas, independently of GDAL/PROJ
(which the import uses), so the test checks the import against the maths, not GDAL against itself.
"""

import math

import pytest
from django.core.exceptions import ValidationError

from dataio.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02
from dataio.operations import import_assets
from gardens.models import PaintedElectricalBox
from tests.dataio.files import feature, ogr2ogr, point, write_csv, write_geojson, zip_folder
from tests.factories import make_district_admin

pytestmark = pytest.mark.django_db

#: True WGS-84 positions (lon, lat) inside the test district, both streets.
TRUTH = {"P1": (113.2351234, 23.1223456), "P2": (113.2467891, 23.1281234), "P3": (113.2399999, 23.1250001)}


def metres_apart(a, b) -> float:
    """Distance between two lon/lat points, locally flat (exact enough at a metre over 10 km)."""
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((a[0] - b[0]) * 111_320 * math.cos(lat), (a[1] - b[1]) * 110_574)


def gauss_kruger_4547(lon: float, lat: float) -> tuple[float, float]:
    """CGCS2000 / 3-degree Gauss-Krüger CM 114E (EPSG:4547): Krüger's series to n³ (sub-millimetre near the CM).

    CGCS2000 ellipsoid a = 6378137, 1/f = 298.257222101; scale 1 on the central meridian 114°E;
    false easting 500 km (this is the "CM 114E" CRS, without the zone number in front); no false northing.
    """
    a, f = 6378137.0, 1 / 298.257222101
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64)
    alpha = (n / 2 - 2 * n ** 2 / 3 + 5 * n ** 3 / 16, 13 * n ** 2 / 48 - 3 * n ** 3 / 5, 61 * n ** 3 / 240)
    phi, lam = math.radians(lat), math.radians(lon - 114.0)
    e = 2 * math.sqrt(n) / (1 + n)
    t = math.sinh(math.atanh(math.sin(phi)) - e * math.atanh(e * math.sin(phi)))
    xi_, eta_ = math.atan2(t, math.cos(lam)), math.atanh(math.sin(lam) / math.sqrt(1 + t * t))
    xi = xi_ + sum(al * math.sin(2 * j * xi_) * math.cosh(2 * j * eta_) for j, al in enumerate(alpha, 1))
    eta = eta_ + sum(al * math.cos(2 * j * xi_) * math.sinh(2 * j * eta_) for j, al in enumerate(alpha, 1))
    return 500_000 + big_a * eta, big_a * xi


def web_mercator(lon: float, lat: float) -> tuple[float, float]:
    radius = 6378137.0
    return radius * math.radians(lon), radius * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@pytest.fixture
def admin(district):
    return make_district_admin()


def imported_positions() -> dict:
    return {box.external_id: (box.geometry.x, box.geometry.y) for box in PaintedElectricalBox.objects.all()}


def assert_within_a_metre(positions: dict) -> None:
    assert set(positions) == set(TRUTH)
    for external_id, position in positions.items():
        assert metres_apart(position, TRUTH[external_id]) < 1.0, external_id


def test_gauss_kruger_formula_matches_the_central_meridian_and_the_4547_definition():
    easting, northing = gauss_kruger_4547(114.0, 0.0)
    assert (easting, northing) == (500_000, 0)
    # Along the central meridian a degree of latitude is the meridian arc: at 23.5° the radius of
    # curvature a(1 - e²)/(1 - e² sin²φ)^1.5 is 6,345,567 m, so 110,751 m per degree.
    assert gauss_kruger_4547(114.0, 24.0)[1] - gauss_kruger_4547(114.0, 23.0)[1] == pytest.approx(110_751, abs=2)


def test_epsg_4547_shapefile_lands_within_a_metre(tmp_path, admin):
    features = [feature(point(*gauss_kruger_4547(*lonlat)), external_id=key, name_zh=key)
                for key, lonlat in TRUTH.items()]
    projected = write_geojson(tmp_path / "gk.geojson", features, crs=4547)
    (tmp_path / "shp").mkdir()
    ogr2ogr(tmp_path / "shp" / "boxes.shp", projected, "-f", "ESRI Shapefile")  # .prj in ESRI's dialect
    assert 'PROJECTION["Gauss_Kruger"]' in (tmp_path / "shp" / "boxes.prj").read_text()

    report = import_assets(actor=admin, path=zip_folder(tmp_path / "boxes.zip", tmp_path / "shp"), kind="painted_box")

    assert report.srid == 4547
    assert_within_a_metre(imported_positions())


def test_epsg_4547_csv_with_srid_option(tmp_path, admin):
    rows = [[key, key, *gauss_kruger_4547(*lonlat)] for key, lonlat in TRUTH.items()]
    path = write_csv(tmp_path / "gk.csv", ["external_id", "name_zh", "x", "y"], rows)
    import_assets(actor=admin, path=path, kind="painted_box", srid="EPSG:4547")
    assert_within_a_metre(imported_positions())


def test_cgcs2000_geographic_geopackage(tmp_path, admin):
    source = write_geojson(tmp_path / "cgcs.geojson", [feature(point(*lonlat), external_id=key, name_zh=key)
                                                       for key, lonlat in TRUTH.items()], crs=4490)
    gpkg = ogr2ogr(tmp_path / "cgcs.gpkg", source, "-f", "GPKG")

    report = import_assets(actor=admin, path=gpkg, kind="painted_box")

    assert report.srid == 4490
    assert_within_a_metre(imported_positions())


def test_web_mercator_geojson(tmp_path, admin):
    path = write_geojson(tmp_path / "mercator.geojson", [feature(point(*web_mercator(*lonlat)), external_id=key,
                                                                 name_zh=key) for key, lonlat in TRUTH.items()],
                         crs=3857)
    import_assets(actor=admin, path=path, kind="painted_box")
    assert_within_a_metre(imported_positions())


def test_gcj02_forward_matches_the_published_value_and_the_inverse_undoes_it():
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024450, 39.91640428), abs=1e-8)
    for lonlat in TRUTH.values():
        assert metres_apart(gcj02_to_wgs84(*wgs84_to_gcj02(*lonlat)), lonlat) < 0.001
    assert metres_apart(wgs84_to_gcj02(*TRUTH["P1"]), TRUTH["P1"]) > 300  # the offset Gaode adds in Guangzhou


def test_gcj02_csv_from_gaode_lands_within_a_metre(tmp_path, admin):
    rows = [[key, key, *wgs84_to_gcj02(*lonlat)] for key, lonlat in TRUTH.items()]
    path = write_csv(tmp_path / "gaode.csv", ["external_id", "name_zh", "经度", "纬度"], rows)

    report = import_assets(actor=admin, path=path, kind="painted_box", gcj02=True)

    assert report.gcj02
    assert_within_a_metre(imported_positions())


def test_gcj02_is_refused_for_projected_coordinates(tmp_path, admin):
    path = write_csv(tmp_path / "gk.csv", ["name_zh", "x", "y"], [["a", *gauss_kruger_4547(*TRUTH["P1"])]])
    with pytest.raises(ValidationError, match="--gcj02 applies to longitude/latitude"):
        import_assets(actor=admin, path=path, kind="painted_box", srid=4547, gcj02=True)
