"""Checks and derived values for asset geometries, with messages that say what is wrong.

Assets are stored in WGS-84 (EPSG:4326). Areas are computed in CGCS2000 / 3-degree
Gauss-Kruger CM 114E (EPSG:4547), whose scale error over Guangzhou is far below 0.1%.
"""

import math
import threading

from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.spatial_refs import AREA_SRID, STORAGE_SRID

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
PUNCTUAL = ("Point",)

_TYPE_NAMES = {
    "Point": _("point"),
    "LineString": _("line"),
    "MultiLineString": _("line"),
    "Polygon": _("polygon"),
    "MultiPolygon": _("polygon"),
}


def _type_names(types) -> str:
    return " / ".join(dict.fromkeys(str(_TYPE_NAMES.get(t, t)) for t in types))


def validate_geometry(geometry: GEOSGeometry | None, allowed_types=POLYGONAL + LINEAR + PUNCTUAL) -> GEOSGeometry:
    """Return ``geometry`` if it can be stored, else raise ValidationError saying why.

    A geometry without an SRID is taken as WGS-84; any other SRID is refused rather than
    silently transformed, because a wrong SRID almost always means swapped or projected
    coordinates that the user should look at. The import runs the same checks, in the same order,
    set-based in SQL (``dataio/importing/checks.py``), and words its findings with :func:`geometry_error`.
    """
    if geometry is None:
        raise geometry_error("geometry_missing")
    if geometry.srid is None:
        geometry = geometry.clone()
        geometry.srid = STORAGE_SRID
    if geometry.srid != STORAGE_SRID:
        raise geometry_error("geometry_wrong_srid", srid=geometry.srid)
    if geometry.empty:
        raise geometry_error("geometry_empty")
    geom_type = geometry.geom_type
    xmin, ymin, xmax, ymax = _extent(geometry, geom_type)
    if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))) or xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        # NaN, infinite or projected (metre) coordinates: nothing to transform or place on a map.
        raise geometry_error("geometry_out_of_range")
    if geom_type not in allowed_types:
        raise geometry_error("geometry_wrong_type", allowed_types=allowed_types, actual=geom_type)
    if not geometry.valid:
        raise geometry_error("geometry_invalid", reason=geometry.valid_reason)
    return geometry


def geometry_error(code: str, *, srid=None, allowed_types=(), actual: str = "", reason: str = "") -> ValidationError:
    """The ValidationError :func:`validate_geometry` raises for ``code``, its words in one place."""
    if code == "geometry_missing":
        return ValidationError(_("A location is required."), code=code)
    if code == "geometry_wrong_srid":
        return ValidationError(
            _("Coordinates must be WGS-84 longitude/latitude (EPSG:4326); this geometry is in EPSG:%(srid)s."),
            code=code, params={"srid": srid})
    if code == "geometry_empty":
        return ValidationError(_("The geometry is empty: draw the asset on the map."), code=code)
    if code == "geometry_out_of_range":
        return ValidationError(
            _("Coordinates must be WGS-84 degrees (longitude -180 to 180, latitude -90 to 90); these are not "
              "numbers in that range. Are they in another coordinate reference system, e.g. metres?"), code=code)
    if code == "geometry_wrong_type":
        return ValidationError(
            _("This kind of asset must be drawn as a %(expected)s, not a %(actual)s."), code=code,
            params={"expected": _type_names(allowed_types), "actual": _type_names([actual])})
    if reason.startswith(("Self-intersection", "Ring Self-intersection")):
        message = _("The outline crosses itself (%(reason)s): redraw it so that no edges cross.")
        code = "geometry_self_intersection"
    elif reason.startswith("Too few points"):
        message = _("The geometry has too few points (%(reason)s).")
        code = "geometry_too_few_points"
    else:
        message = _("The geometry is not valid: %(reason)s.")
        code = "geometry_invalid"
    return ValidationError(message, code=code, params={"reason": reason})


def _extent(geometry: GEOSGeometry, geom_type: str) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax); a point's own coordinates, three times faster than its envelope
    (an import checks 100,000 points)."""
    if geom_type == "Point":
        x, y = geometry.coords[:2]
        return x, y, x, y
    return geometry.extent


def representative_point(geometry: GEOSGeometry) -> Point:
    """A point guaranteed to lie on the geometry (unlike a centroid of an L-shaped plot)."""
    if geometry.geom_type == "Point":
        return geometry.clone()  # keeps the SRID
    point = geometry.point_on_surface
    point.srid = geometry.srid
    return point


_transforms = threading.local()


def _to_area_crs() -> CoordTransform:
    """One 4326 → 4547 transformation per thread: building it costs far more than using it,
    and GDAL transformations must not be shared between threads."""
    if not hasattr(_transforms, "to_area_crs"):
        _transforms.to_area_crs = CoordTransform(SpatialReference(STORAGE_SRID), SpatialReference(AREA_SRID))
    return _transforms.to_area_crs


def area_in_square_metres(geometry: GEOSGeometry) -> float | None:
    """Planar area in EPSG:4547 for polygons; None for points and lines."""
    if geometry.geom_type not in POLYGONAL:
        return None
    return round(geometry.transform(_to_area_crs(), clone=True).area, 2)
