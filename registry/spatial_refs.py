"""The spatial references the registry accepts, and the one door they come in by.

Debian 12's GDAL 3.6 cannot stop a crafted spatial reference (a WKT or PROJ string, a .prj
file) from reading files or the network. So no user-supplied spatial reference reaches GDAL
as text: callers pass an EPSG code (or a .prj whose EPSG code GDAL can identify) through
:func:`accepted_srid`, which refuses anything outside :data:`ALLOWED_SRIDS`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Storage CRS: WGS-84 longitude/latitude.
STORAGE_SRID = 4326
#: Projected CRS for areas and lengths: CGCS2000 / 3-degree Gauss-Kruger CM 114E (covers Guangzhou).
AREA_SRID = 4547

ALLOWED_SRIDS = {
    4326: "WGS 84",
    4490: "CGCS2000",
    4547: "CGCS2000 / 3-degree Gauss-Kruger CM 114E",
    3857: "WGS 84 / Pseudo-Mercator",
}


def accepted_srid(value) -> int:
    """Return ``value`` as an int if it names an allowed EPSG code, else raise ValidationError."""
    try:
        srid = int(str(value).strip().upper().removeprefix("EPSG:"))
    except (TypeError, ValueError):
        srid = None
    if srid not in ALLOWED_SRIDS:
        allowed = ", ".join(f"EPSG:{code}" for code in sorted(ALLOWED_SRIDS))
        raise ValidationError(
            _("Coordinate reference system %(value)s is not accepted; use one of %(allowed)s."),
            code="srid_not_allowed",
            params={"value": value, "allowed": allowed},
        )
    return srid
