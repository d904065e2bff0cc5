"""Query parameters of OGC API – Features items requests, checked before the database is asked.

A bad ``bbox``, ``limit`` or ``offset``, an unsupported ``bbox-crs`` or ``f``, or a parameter this
service does not know is a 400 with a message (Part 1 recommends refusing unknown parameters so a
client's misspelt filter is not silently ignored). A ``limit`` above the maximum is not an error:
the standard says to serve the maximum instead (/req/core/fc-limit-response-1).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 10 ** 9  # beyond any collection, and within PostgreSQL's bigint
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
FORMATS = {"", "json", "geojson"}
ITEMS_PARAMETERS = {"f", "bbox", "bbox-crs", "limit", "offset", "datetime"}


@dataclass(frozen=True)
class ItemsQuery:
    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def check_format(query) -> None:
    if query.get("f", "").lower() not in FORMATS:
        raise ValidationError(_("Only JSON is served here: use f=json (or leave f out)."), code="bad_format")


def _integer(query, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum or (maximum is not None and value > maximum):
        if maximum is None:
            raise ValidationError(_("“%(name)s” must be a whole number of at least %(minimum)d."),
                                  code="bad_integer", params={"name": name, "minimum": minimum})
        raise ValidationError(_("“%(name)s” must be a whole number from %(minimum)d to %(maximum)d."),
                              code="bad_integer", params={"name": name, "minimum": minimum, "maximum": maximum})
    return value


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """West, south, east, north in CRS84 (a 6-number bbox with heights keeps the horizontal part)."""
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or any(n != n or abs(n) == float("inf") for n in numbers):
        raise ValidationError(_("“bbox” must be four numbers: west,south,east,north (longitude/latitude)."),
                              code="bad_bbox")
    west, south, east, north = numbers
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValidationError(_("“bbox” must run west to east and south to north within longitude −180…180 and "
                                "latitude −90…90."), code="bad_bbox")
    return west, south, east, north


def parse_items_query(query) -> ItemsQuery:
    """The items request's parameters, or ValidationError saying what is wrong."""
    unknown = sorted(set(query) - ITEMS_PARAMETERS)
    if unknown:
        raise ValidationError(_("Unknown query parameter(s): %(names)s. Supported: %(known)s."), code="unknown_parameter",
                              params={"names": ", ".join(unknown), "known": ", ".join(sorted(ITEMS_PARAMETERS))})
    check_format(query)
    if query.get("bbox-crs", CRS84) != CRS84:
        raise ValidationError(_("Only bbox-crs=%(crs)s is supported."), code="bad_bbox_crs", params={"crs": CRS84})
    bbox = parse_bbox(query["bbox"]) if query.get("bbox") else None
    limit = min(_integer(query, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    return ItemsQuery(bbox=bbox, limit=limit, offset=_integer(query, "offset", 0, 0, MAX_OFFSET))
