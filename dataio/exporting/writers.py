"""Writers of the export formats: GeoJSON, CSV and OSM XML in Python; GeoPackage and Shapefile by ogr2ogr.

Django's GDAL wrapper reads but cannot write, so GeoPackage and Shapefile are written by GDAL's
``ogr2ogr`` (Debian's gdal-bin) from a GeoJSON written first into a private temporary folder,
with a fixed argument list and paths we made (no shell, nothing from the user on the command
line). Shapefile specifics: column names come from :data:`dataio.schema.SHORT_NAMES` (DBF holds
10 characters), text is UTF-8 (a .cpg says so), strings longer than 254 bytes are cut by the
format itself, and since one .shp holds one geometry type, points, lines and polygons each get
their own .shp in the zip (``assets_points.shp``…) when a selection mixes them.
"""

import csv
import io
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

from dataio.exporting.osm import osm_chunks
from dataio.exporting.rows import ExportRow
from dataio.schema import DBF_NAME_LENGTH, SHORT_NAMES, value_to_cell

FORMATS = ("geojson", "gpkg", "shp", "csv", "osm")
CONTENT_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "osm": "application/vnd.openstreetmap.data+xml",
}
EXTENSIONS = {"geojson": "geojson", "gpkg": "gpkg", "shp": "zip", "csv": "csv", "osm": "osm"}
OGR2OGR_TIMEOUT = 600
FAMILIES = {"Point": "points", "MultiPoint": "points", "LineString": "lines", "MultiLineString": "lines",
            "Polygon": "polygons", "MultiPolygon": "polygons"}


class ExportFailed(Exception):
    """ogr2ogr could not write the file (its own message attached)."""


def geojson_chunks(columns: list[str], rows: Iterable[ExportRow], names: dict | None = None) -> Iterator[str]:
    """A GeoJSON FeatureCollection (RFC 7946, WGS-84) as text chunks; ``names`` renames columns."""
    names = names or {}
    yield '{"type": "FeatureCollection", "features": [\n'
    separator = ""
    for row in rows:
        properties = {names.get(c, c): value_to_cell(row.values[c]) for c in columns}
        identifier = json.dumps(row.values.get("id"))
        yield (f'{separator}{{"type": "Feature", "id": {identifier}, '
               f'"properties": {json.dumps(properties, ensure_ascii=False)}, "geometry": {row.geometry.json}}}')
        separator = ",\n"
    yield "\n]}\n"


def csv_chunks(columns: list[str], rows: Iterable[ExportRow]) -> Iterator[str]:
    """CSV with a byte-order mark (so Excel reads the Chinese), the columns, then lon, lat and WKT.

    lon/lat are the asset's representative point, for spreadsheets; WKT is the full geometry,
    which imports read back (lon/lat are ignored when a WKT column is present).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*columns, "lon", "lat", "wkt"])
    yield "\ufeff" + _take(buffer)
    for row in rows:
        point = row.geometry.point_on_surface
        writer.writerow([_csv_cell(value_to_cell(row.values[c])) for c in columns]
                        + [round(point.x, 7), round(point.y, 7), row.geometry.wkt])
        yield _take(buffer)


def _csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_text(chunks: Iterable[str], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)


def ogr2ogr(arguments: list[str]) -> None:
    """Run ogr2ogr with a fixed list of arguments; ExportFailed with its message if it fails."""
    try:
        subprocess.run(["ogr2ogr", *arguments], check=True, capture_output=True, timeout=OGR2OGR_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise ExportFailed(f"ogr2ogr failed: {detail.decode('utf-8', 'replace').strip() or error}") from None


def write_geopackage(columns: list[str], rows: Iterable[ExportRow], path: Path, layer: str) -> None:
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        source = Path(folder) / "export.geojson"
        write_text(geojson_chunks(columns, rows), source)
        ogr2ogr(["-f", "GPKG", "-nln", layer, str(Path(folder) / "out.gpkg"), str(source)])
        Path(folder, "out.gpkg").replace(path)


def shapefile_names(columns: list[str]) -> dict:
    names = {column: SHORT_NAMES.get(column, column) for column in columns}
    assert all(len(name) <= DBF_NAME_LENGTH for name in names.values()), names
    return names


def write_shapefile_zip(columns: list[str], rows: Iterable[ExportRow], path: Path, layer: str) -> None:
    """A zip of one Shapefile per geometry family present (one only when the selection has one)."""
    names = shapefile_names(columns)
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        folder = Path(folder)
        sources = _split_by_family(columns, rows, names, folder)
        (folder / "shp").mkdir()
        for family, source in sources.items():
            layer_name = layer if len(sources) == 1 else f"{layer}_{family}"
            ogr2ogr(["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-nln", layer_name,
                     str(folder / "shp"), str(source)])
        with zipfile.ZipFile(folder / "out.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            for member in sorted((folder / "shp").iterdir()):
                archive.write(member, member.name)
        (folder / "out.zip").replace(path)


def _split_by_family(columns, rows, names, folder: Path) -> dict:
    """Write one GeoJSON per geometry family; return family → file."""
    buckets: dict[str, list] = {}
    for row in rows:
        buckets.setdefault(FAMILIES.get(row.geometry.geom_type, "other"), []).append(row)
    sources = {}
    for family, family_rows in buckets.items():
        sources[family] = folder / f"{family}.geojson"
        write_text(geojson_chunks(columns, family_rows, names), sources[family])
    return sources


#: The formats written as text, chunk by chunk (streamed by downloads): format → chunks(columns, rows).
TEXT_WRITERS = {"geojson": geojson_chunks, "csv": csv_chunks, "osm": lambda _columns, rows: osm_chunks(rows)}


def write_export(fmt: str, columns: list[str], rows: Iterable[ExportRow], path: Path, layer: str = "assets") -> None:
    """Write ``rows`` to ``path`` in ``fmt`` (one of :data:`FORMATS`)."""
    path = Path(path)
    if fmt in TEXT_WRITERS:
        write_text(TEXT_WRITERS[fmt](columns, rows), path)
    elif fmt == "gpkg":
        write_geopackage(columns, rows, path, layer)
    elif fmt == "shp":
        write_shapefile_zip(columns, rows, path, layer)
    else:
        raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
