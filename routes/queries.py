"""Reads of the routes shared by the pages, the downloads, the API and the asset page.

A visitor sees published routes and, on them, the stops whose asset they may see
(``registry.queries.visible_assets``); staff who may change routes also see drafts.
"""

import json
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce

from registry.access import Action, managed_scope, role_allows, scope_of
from registry.assets import Asset
from registry.photos import Photo
from registry.queries import visible_assets
from routes import sql
from routes.models import CheckInSpot, Route, RouteStop

#: A drawn line passing farther than this from a stop draws a warning (metres, EPSG:4547).
FAR_FROM_LINE_METRES = 60


def visible_routes(user) -> QuerySet[Route]:
    routes = Route.objects.all()
    if not role_allows(user, Action.CHANGE_ROUTE):
        routes = routes.filter(is_published=True)
    return routes


def managed_routes(user) -> QuerySet[Route]:
    """Routes ``user`` may change: those with no stop outside the assets they work on (every route
    for a district administrator); none for a role that may not change routes."""
    if not role_allows(user, Action.CHANGE_ROUTE):
        return Route.objects.none()
    if scope_of(user).everywhere:
        return Route.objects.all()
    return Route.objects.exclude(stops__asset__in=Asset.objects.exclude(managed_scope(user)).values("pk"))


#: The most stop candidates the staff editor's map asks for at once.
CANDIDATE_LIMIT = 300


def stop_candidates(user, bbox: tuple[float, float, float, float], limit: int = CANDIDATE_LIMIT) -> list[dict]:
    """Assets ``user`` may route through whose point lies in ``bbox`` (west, south, east, north, WGS-84):
    check-in spots first, then by name; what the editor's map offers as stops."""
    west, south, east, north = bbox
    spots = CheckInSpot.objects.filter(asset_id=OuterRef("pk"))
    rows = (Asset.objects.filter(managed_scope(user))
            .filter(location__contained=Polygon.from_bbox((west, south, east, north)))
            .annotate(spot=Exists(spots)).order_by("-spot", "name_zh", "pk")
            .values("pk", "name_zh", "name_en", "kind", "location", "spot")[:limit])
    return [{"id": row["pk"], "name": row["name_zh"], "name_en": row["name_en"], "kind": row["kind"],
             "lon": round(row["location"].x, 6), "lat": round(row["location"].y, 6), "check_in_spot": row["spot"]}
            for row in rows]


def with_stops(routes: QuerySet[Route], user) -> QuerySet[Route]:
    """Prefetch each route's stops in order, with the visible assets (names, kind, location)."""
    assets = visible_assets(user).defer("geometry", "geometry_webmercator", "location_webmercator")
    return routes.prefetch_related(Prefetch(
        "stops", queryset=RouteStop.objects.filter(asset__in=assets).select_related("asset").defer(
            "asset__geometry", "asset__geometry_webmercator", "asset__location_webmercator").order_by("position")))


@dataclass(frozen=True)
class RouteLine:
    geometry: dict | None   # GeoJSON LineString (WGS-84) or None (fewer than two stops, no line)
    approximate: bool       # True: straight segments between the stops, not a drawn line
    length_m: float         # in EPSG:4547
    stop_count: int

    def walking_minutes(self, pace: int) -> int:
        return max(1, round(self.length_m / pace)) if self.length_m else 0


def route_lines(route_ids) -> dict[int, RouteLine]:
    """route id → its walking line, computed in PostGIS (routes.sql.ROUTE_LINES)."""
    ids = list(route_ids)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(sql.ROUTE_LINES, {"ids": ids})
        return {pk: RouteLine(json.loads(line) if line else None, approximate, float(length), count)
                for pk, line, approximate, length, count in cursor.fetchall()}


def route_line(route: Route) -> RouteLine:
    return route_lines([route.pk])[route.pk]


def stops_far_from_line(line, asset_ids, limit: float = FAR_FROM_LINE_METRES) -> list[tuple[int, int, int]]:
    """(stop number, asset id, metres) of each stop farther than ``limit`` from ``line``."""
    if line is None or not asset_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.STOPS_FAR_FROM_LINE, {"line": line.wkt, "assets": list(asset_ids), "limit": limit})
        return [tuple(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class StopOnRoute:
    """Where an asset is on a published route: "stop 3 of 8", with the stops before and after."""

    route: Route
    position: int
    count: int
    previous: RouteStop | None
    next: RouteStop | None


def routes_of_asset(user, asset) -> list[StopOnRoute]:
    """Every published route ``asset`` is a stop of, with its neighbours (visible assets only)."""
    routes = with_stops(Route.objects.filter(is_published=True, stops__asset=asset).distinct(), user)
    found = []
    for route in routes:
        stops = list(route.stops.all())
        for index, stop in enumerate(stops):
            if stop.asset_id == asset.pk:
                found.append(StopOnRoute(route, index + 1, len(stops), stops[index - 1] if index else None,
                                         stops[index + 1] if index + 1 < len(stops) else None))
    return found


def check_in_spot_ids() -> QuerySet:
    """Asset ids marked check-in spots (a map filter)."""
    return CheckInSpot.objects.values("asset_id")


def is_check_in_spot(asset) -> bool:
    return CheckInSpot.objects.filter(asset=asset).exists()


def stop_photos(stops) -> dict:
    """Asset id → the newest public photo of each stop's asset (as ``registry.queries.public_photos``
    orders them), in one query (DISTINCT ON the asset) rather than one per stop."""
    photos = (Photo.objects.filter(asset_id__in={stop.asset_id for stop in stops}, is_public=True)
              .order_by("asset_id", Coalesce("taken_at", "created_at").desc(), "-pk").distinct("asset_id")
              .only("asset_id", "small", "caption"))
    return {photo.asset_id: photo for photo in photos}
