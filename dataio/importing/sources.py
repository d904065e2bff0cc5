"""Open a user's file through GDAL and read its rows as WGS-84 geometries plus cells.

GeoJSON, zipped Shapefiles, GeoPackages, KML and CSV are read by GDAL (Django's
``django.contrib.gis.gdal``, no Python bindings needed). What is decided here:

* **The format is what the name says.** The extension picks the format; GDAL sniffs the content
  and names its driver, and a mismatch (a ``.gpkg`` that is really GeoJSON, a ``.zip`` that is not
  a zip) is refused rather than read by luck.
* **No user-supplied spatial reference reaches GDAL as text.** A layer's CRS (a ``.prj``, a
  GeoPackage's srs table, a GeoJSON ``crs`` member) is only *identified* to an EPSG code, which must
  be on the allow-list of :mod:`registry.spatial_refs`; the transformation is then built from that
  code (see config/settings.py on gis.W001). ``--srid`` overrides the file's CRS.
* **Rows** keep their number in the file (CSV: the line number, the header being line 1) so the
  report points at the right line of a spreadsheet; a geometry that cannot be read or transformed
  is a problem of that row, not an error for the file.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.gdal.error import SRSException
from django.contrib.gis.gdal.feature import Feature
from django.contrib.gis.gdal.prototypes import ds as capi
from django.contrib.gis.gdal.prototypes import geom as geom_api
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dataio.gcj02 import geometry_gcj02_to_wgs84
from dataio.importing import osm
from registry.spatial_refs import ALLOWED_SRIDS, STORAGE_SRID, accepted_srid

#: Extension → (format name for messages, GDAL drivers that may read it).
FORMATS = {
    ".geojson": ("GeoJSON", {"GeoJSON"}),
    ".json": ("GeoJSON", {"GeoJSON"}),
    ".zip": ("Shapefile (zip)", {"ESRI Shapefile"}),
    ".shp": ("Shapefile", {"ESRI Shapefile"}),
    ".gpkg": ("GeoPackage", {"GPKG"}),
    ".kml": ("KML", {"LIBKML", "KML"}),
    ".csv": ("CSV", {"CSV"}),
    ".osm": ("OpenStreetMap XML", {"OSM"}),
}
GEOGRAPHIC_SRIDS = {4326, 4490}
#: CSV columns that hold the geometry, by lower-cased name (a mapping may name others).
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "几何")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "x", "经度")
LAT_COLUMNS = ("lat", "latitude", "y", "纬度")
#: Columns KML readers add for styling; never data.
KML_HOUSEKEEPING = {"timestamp", "begin", "end", "altitudemode", "tessellate", "extrude", "visibility",
                    "draworder", "icon", "snippet"}
WKB_NONE = 100
#: OGR geometry type codes of 2D geometries (point … geometry collection); others have Z or M.
FLAT_TYPES = frozenset(range(1, 8))
STRING_LIST = re.compile(r"^\((\d+):(.*)\)$", re.S)


class SourceError(ValidationError):
    """The file as a whole cannot be imported (format, CRS, layers): nothing was read."""


@dataclass
class RawRow:
    number: int
    layer: str
    cells: dict[str, Any]
    #: The row's geometry in WGS-84 as WKB, as GDAL wrote it (what the import stages), or None.
    wkb: bytes | None = None
    problem: str | None = None

    @property
    def geometry(self) -> GEOSGeometry | None:
        """The geometry for GEOS, built when asked (the preview's rows; one PostGIS cannot read): building it for
        every row, only to write it back out as WKB for the staging table, took a tenth of a large import.
        Raises GEOSException (or ValueError) when GEOS cannot read it either: see :func:`unreadable_geometry`."""
        return None if self.wkb is None else GEOSGeometry(memoryview(self.wkb), srid=STORAGE_SRID)


def unreadable_geometry(error) -> str:
    """The problem of a row whose geometry neither GDAL nor GEOS could read."""
    return _("The geometry could not be read: %(error)s") % {"error": error}


@dataclass
class LayerInfo:
    name: str
    srid: int
    count: int | None
    columns: list[str] = field(default_factory=list)


def file_format(name: str) -> tuple[str, str, set]:
    """(extension, format name, drivers) for a file name, or SourceError for an extension we do not read."""
    extension = Path(name).suffix.lower()
    if extension not in FORMATS:
        accepted = ", ".join(sorted(FORMATS))
        raise SourceError(_("Files ending in “%(extension)s” cannot be imported; use one of %(accepted)s."),
                          code="unknown_format", params={"extension": extension or name, "accepted": accepted})
    return (extension, *FORMATS[extension])


def _zip_location(path: Path) -> str:
    """The /vsizip/ path of the folder holding the zip's Shapefile(s)."""
    if not zipfile.is_zipfile(path):
        raise SourceError(_("This file is not a zip archive, although its name ends in .zip."), code="not_zip")
    with zipfile.ZipFile(path) as archive:
        folders = {str(PurePosixPath(name).parent) for name in archive.namelist() if name.lower().endswith(".shp")}
    if not folders:
        raise SourceError(_("The zip archive holds no Shapefile (.shp)."), code="zip_without_shapefile")
    if len(folders) > 1:
        raise SourceError(_("The zip archive holds Shapefiles in several folders; put them in one."),
                          code="zip_several_folders")
    folder = folders.pop()
    return f"/vsizip/{path}" + ("" if folder == "." else f"/{folder}")


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030: what Chinese Excel writes when saving CSV."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def open_datasource(path: Path, display_name: str) -> tuple[DataSource, str]:
    """GDAL's DataSource for ``path`` after checking that its content is the format its name says."""
    extension, format_name, drivers = file_format(display_name)
    location = _zip_location(path) if extension == ".zip" else str(path)
    if extension == ".osm":
        osm.allow_new_element_ids()
    encoding = csv_encoding(path) if extension == ".csv" else "utf-8"
    try:
        datasource = DataSource(location, encoding=encoding)
    except GDALException:
        raise SourceError(_("This file could not be read as %(format)s: it is damaged or not a %(format)s file."),
                          code="unreadable", params={"format": format_name}) from None
    if datasource.driver.name not in drivers:
        raise SourceError(
            _("This file is named like %(format)s but holds %(actual)s data; rename it or export it again."),
            code="format_mismatch", params={"format": format_name, "actual": datasource.driver.name})
    return datasource, extension


def identify_srid(srs: SpatialReference | None, layer_name: str) -> int:
    """The allowed EPSG code of a layer's CRS; SourceError if it has none, is unknown or not allowed."""
    if srs is None:
        raise SourceError(
            _("Layer “%(layer)s” does not say which coordinate reference system it uses (a Shapefile needs its "
              ".prj file); give it (--srid, or the coordinate reference system on the import page)."), code="srs_missing", params={"layer": layer_name})
    code = srs.auth_code(None) if (srs.auth_name(None) or "").upper() == "EPSG" else None
    if code is None:
        candidate = srs.clone()
        try:
            candidate.identify_epsg()
            code = candidate.auth_code(None) if (candidate.auth_name(None) or "").upper() == "EPSG" else None
        except (GDALException, SRSException):
            code = None
    if code is None or int(code) not in ALLOWED_SRIDS:
        allowed = ", ".join(f"EPSG:{srid}" for srid in sorted(ALLOWED_SRIDS))
        raise SourceError(
            _("Layer “%(layer)s” uses the coordinate reference system “%(name)s”%(code)s, which is not accepted; "
              "convert it to one of %(allowed)s, or give the right one (--srid, or on the import page)."),
            code="srs_not_allowed",
            params={"layer": layer_name, "name": srs.name or "?", "code": f" (EPSG:{code})" if code else "",
                    "allowed": allowed})
    return int(code)


class Source:
    """The chosen layers of one file, their CRS, and an iterator over their rows in WGS-84."""

    def __init__(self, path, *, display_name: str | None = None, layer: str | None = None, srid=None,
                 gcj02: bool = False, geometry_columns: dict | None = None, kind: str | None = None):
        self.path, self.kind = Path(path), kind
        self.display_name = display_name or self.path.name
        self.datasource, self.extension = open_datasource(self.path, self.display_name)
        self.is_csv, self.is_osm = self.extension == ".csv", self.extension == ".osm"
        self.skipped = 0  # OSM elements of other kinds
        self.srid_override = accepted_srid(srid) if srid not in (None, "") else None
        self.gcj02 = gcj02
        self._layers = self._choose_layers(layer)
        self.layers = [self._describe(gdal_layer) for gdal_layer in self._layers]
        if gcj02 and any(info.srid not in GEOGRAPHIC_SRIDS for info in self.layers):
            raise SourceError(_("--gcj02 applies to longitude/latitude coordinates (EPSG:4326 or 4490), "
                                "not projected ones."), code="gcj02_projected")
        if self.total == 0:
            raise SourceError(_("The file has no features to import (the layer is empty)."), code="empty")
        self.geometry_columns = self._geometry_columns(geometry_columns or {}) if self.is_csv else {}

    @property
    def driver(self) -> str:
        return self.datasource.driver.name

    @property
    def total(self) -> int | None:
        """Features in the chosen layers (None when the format cannot tell before reading: OSM)."""
        if any(info.count is None for info in self.layers):
            return None
        return sum(info.count for info in self.layers)

    @property
    def columns(self) -> list[str]:
        """Every column of the chosen layers, in file order, without KML's styling columns."""
        if self.is_osm:
            return osm.columns_for(self.kind)
        names = dict.fromkeys(name for info in self.layers for name in info.columns)
        if self.extension == ".kml":
            names = {name: None for name in names if name.lower() not in KML_HOUSEKEEPING}
        return list(names)

    def _choose_layers(self, name):
        layers = [self.datasource[i] for i in range(self.datasource.layer_count)]
        if name:
            chosen = [layer for layer in layers if layer.name == name]
            if not chosen:
                raise SourceError(_("The file has no layer “%(layer)s”; its layers are: %(layers)s."),
                                  code="unknown_layer",
                                  params={"layer": name, "layers": ", ".join(l.name for l in layers)})
            return chosen
        if not self.is_csv:  # a GeoPackage may hold attribute tables too: they are not assets
            layers = [layer for layer in layers if capi.get_fd_geom_type(layer._ldefn) != WKB_NONE]
        if not layers:
            raise SourceError(_("The file has no layer with geometries."), code="no_layers")
        return layers

    def _describe(self, layer) -> LayerInfo:
        if self.srid_override is not None:
            srid = self.srid_override
        elif self.is_csv:
            srid = STORAGE_SRID  # spreadsheets carry longitude/latitude unless told otherwise
        else:
            srid = identify_srid(layer.srs, layer.name)
        count = None if self.is_osm else layer.num_feat  # OSM: unknown until read (and counting would read it)
        return LayerInfo(name=layer.name, srid=srid, count=count, columns=list(layer.fields))

    def _geometry_columns(self, mapped: dict) -> dict:
        """Which CSV columns hold the geometry: {"wkt": col} or {"lon": col, "lat": col}."""
        lower = {name.lower(): name for name in self.columns}
        found = {target: column for target, column in mapped.items() if column in self.columns}
        for target, candidates in (("wkt", WKT_COLUMNS), ("lon", LON_COLUMNS), ("lat", LAT_COLUMNS)):
            if target not in found:
                found.update({target: lower[c] for c in candidates if c in lower and target not in found})
        if "wkt" in found:
            return {"wkt": found["wkt"]}
        if "lon" in found and "lat" in found:
            return {"lon": found["lon"], "lat": found["lat"]}
        raise SourceError(_("The CSV file has no geometry: it needs longitude and latitude columns (lon/lat, "
                            "经度/纬度) or a WKT column."), code="csv_without_geometry")

    def rows(self) -> Iterator[RawRow]:
        """Every row of the chosen layers, geometry in WGS-84 (or a problem saying why not)."""
        for gdal_layer, info in zip(self._layers, self.layers):
            transform = None
            if info.srid != STORAGE_SRID:
                transform = CoordTransform(SpatialReference(info.srid), SpatialReference(STORAGE_SRID))
            readers = _cell_readers(gdal_layer, self.datasource.encoding)
            first = 2 if self.is_csv else 1
            for number, feature in enumerate(self._features(gdal_layer), start=first):
                cells = {name: read(feature) for name, read in readers}
                if self.is_osm:
                    number, cells = self._osm_row(cells)
                    if cells is None:
                        continue
                row = RawRow(number=number, layer=info.name, cells=cells)
                self._read_geometry(row, feature, transform, info.srid)
                yield row

    def _features(self, gdal_layer):
        """The layer's features. Not through Layer.__iter__ for OSM: its ResetReading restarts GDAL's OSM
        reader for every layer, which then finds nothing."""
        if not self.is_osm:
            yield from gdal_layer
            return
        while True:
            try:
                pointer = capi.get_next_feature(gdal_layer._ptr)
            except GDALException:  # NULL: the layer is done
                return
            yield Feature(pointer, gdal_layer)

    def _osm_row(self, cells) -> tuple[int | None, dict | None]:
        """(the element's OSM id, its cells for the kind), or (None, None) for an element of another kind."""
        tags = osm.tags_of(cells)
        if osm.kind_of(tags) != self.kind:
            self.skipped += 1
            return None, None
        return osm.element_id(cells), osm.cells_for(self.kind, tags)

    def _read_geometry(self, row: RawRow, feature, transform, srid: int) -> None:
        try:
            ogr = self._csv_geometry(row.cells) if self.is_csv else _feature_geometry(feature)
            if ogr is None:
                return
            if geom_api.get_geom_type(ogr.ptr) not in FLAT_TYPES:  # KML and surveys carry heights
                ogr.set_3d(False)
                ogr.set_measured(False)
            if transform is not None:
                ogr.transform(transform)
            if self.gcj02:  # the shift works on GEOS's coordinates
                # From WKB with the SRID given: OGRGeometry.geos would build a SpatialReference per row.
                row.wkb = bytes(geometry_gcj02_to_wgs84(GEOSGeometry(memoryview(ogr.wkb), srid=STORAGE_SRID)).wkb)
            else:
                row.wkb = bytes(ogr.wkb)
        except (GDALException, GEOSException, ValueError, TypeError) as error:
            row.problem = unreadable_geometry(error)

    def _csv_geometry(self, cells: dict) -> OGRGeometry | None:
        if "wkt" in self.geometry_columns:
            text = (cells.get(self.geometry_columns["wkt"]) or "").strip()
            return OGRGeometry(text) if text else None
        lon = str(cells.get(self.geometry_columns["lon"]) or "").strip()
        lat = str(cells.get(self.geometry_columns["lat"]) or "").strip()
        if not lon and not lat:
            return None
        return OGRGeometry(f"POINT ({float(lon)!r} {float(lat)!r})")


def _feature_geometry(feature) -> OGRGeometry | None:
    """The feature's geometry as an OGRGeometry of its own, or None when it has none."""
    try:
        pointer = capi.get_feat_geom_ref(feature.ptr)
    except GDALException:  # NULL: the feature has no geometry
        return None
    return OGRGeometry(geom_api.clone_geom(pointer))


def _cell_readers(layer, encoding: str) -> list:
    """(column name, reader(feature pointer) → Python value) per column, picked once per layer.

    Reads through GDAL's C API directly: building Django's ``Field`` objects per cell costs more
    than the rest of the import for a large file.
    """
    readers = []
    for index, name in enumerate(layer.fields):
        kind = capi.get_field_type(capi.get_field_defn(layer._ldefn, index))
        readers.append((name, _reader(index, kind, encoding)))
    return readers


def _reader(index: int, kind: int, encoding: str):
    is_set = capi.is_field_set

    def text(feature):
        if not is_set(feature.ptr, index):
            return None
        value = capi.get_field_as_string(feature.ptr, index)
        return value.decode(encoding, "replace") if isinstance(value, bytes) else value

    def integer(feature):
        return capi.get_field_as_integer64(feature.ptr, index) if is_set(feature.ptr, index) else None

    def real(feature):
        return capi.get_field_as_double(feature.ptr, index) if is_set(feature.ptr, index) else None

    def string_list(feature):
        value = text(feature)
        match = STRING_LIST.match(value or "")
        return match.group(2).split(",") if match else value

    def temporal(feature):  # dates are few: Django's Field does the conversion
        return feature[index].value if is_set(feature.ptr, index) else None

    return {0: integer, 12: integer, 2: real, 5: string_list, 9: temporal, 11: temporal}.get(kind, text)
