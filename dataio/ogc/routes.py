"""The check-in routes as one more OGC API – Features collection, ``routes`` (line features).

Items are the routes the requesting user may see (``routes.queries.visible_routes``: the published
ones for anonymous clients such as QGIS and GDAL), their walking line as geometry (the drawn line,
or the straight segments between the stops, ``approximate``), and the public columns: titles,
theme, length in metres (EPSG:4547), walking minutes, the number of stops and the page's path.
Routes are few (tens): their lines come from one ``routes.queries.route_lines`` statement and
the bbox is applied to them with GEOS.
"""

import json

from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from routes.queries import route_lines, visible_routes

COLLECTION_ID = "routes"
TITLE = _("Check-in routes")


def _features(user, pk=None) -> list[tuple[dict, GEOSGeometry]]:
    routes = visible_routes(user).order_by("pk")
    if pk is not None:
        routes = routes.filter(pk=pk)
    routes = list(routes)
    lines = route_lines(route.pk for route in routes)
    found = []
    for route in routes:
        line = lines[route.pk]
        if line.geometry is None:
            continue
        geometry = GEOSGeometry(json.dumps(line.geometry), srid=4326)
        found.append(({"type": "Feature", "id": route.pk, "geometry": line.geometry, "properties": {
            "id": route.pk, "name_zh": route.name_zh, "name_en": route.name_en, "theme": route.theme,
            "length_m": round(line.length_m, 1), "walking_minutes": line.walking_minutes(route.pace),
            "stops": line.stop_count, "approximate": line.approximate, "is_published": route.is_published,
            "url": reverse("route-detail", args=[route.pk])}}, geometry))
    return found


def extent(user) -> list[float] | None:
    boxes = [geometry.extent for _feature, geometry in _features(user)]
    if not boxes:
        return None
    return [round(min(b[0] for b in boxes), 7), round(min(b[1] for b in boxes), 7),
            round(max(b[2] for b in boxes), 7), round(max(b[3] for b in boxes), 7)]


def features(user, bbox=None, pk=None) -> list[dict]:
    area = Polygon.from_bbox(bbox) if bbox else None
    return [feature for feature, geometry in _features(user, pk) if area is None or geometry.intersects(area)]
