"""State changes of check-in routes, one named function each (keyword-only; the same from a view,
the API, the admin or a command): permission through :mod:`registry.access` (staff may route only
through the assets of their own scope; district administrators everywhere), one transaction,
an audit record, and the operation's name in the history PostgreSQL records.

Bad input raises ``ValidationError`` with a message in the user's language and writes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, LineString
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy as _

from registry import audit
from registry.access import Action, can, role_allows
from registry.assets import Asset
from registry.history import operation
from routes.models import CheckInSpot, Route, RouteStop, Theme
from routes.queries import stops_far_from_line

MAX_STOPS = 40
AUDITED_FIELDS = ("name_zh", "name_en", "theme", "description", "line", "pace", "is_published")


@dataclass(frozen=True)
class StopInput:
    asset_id: int
    note: str = ""


@dataclass
class SavedRoute:
    route: Route
    #: Messages that do not stop the save: a drawn line passing far from a stop.
    warnings: list = field(default_factory=list)


def _require_role(actor):
    if not role_allows(actor, Action.CHANGE_ROUTE):
        raise PermissionDenied(_("You may not change check-in routes."))


def _check_stops(actor, stops: list[StopInput]) -> dict[int, Asset]:
    if len(stops) < 2:
        raise ValidationError({"stops": _("A route needs at least two stops.")})
    if len(stops) > MAX_STOPS:
        raise ValidationError({"stops": _("A route has at most %(limit)d stops.") % {"limit": MAX_STOPS}})
    for number, (before, after) in enumerate(zip(stops, stops[1:]), start=2):
        if before.asset_id == after.asset_id:
            raise ValidationError({"stops": _("Stop %(number)d is the same place as the stop before it.")
                                   % {"number": number}})
    for stop in stops:
        if len(stop.note) > 300:
            raise ValidationError({"stops": _("A stop's note has at most 300 characters.")})
    assets = Asset.objects.only("id", "street_id", "community_id", "grid_id").in_bulk({s.asset_id for s in stops})
    missing = [stop.asset_id for stop in stops if stop.asset_id not in assets]
    if missing:
        raise ValidationError({"stops": _("There is no asset %(id)s.") % {"id": missing[0]}})
    for asset in assets.values():
        if not can(actor, Action.CHANGE_ROUTE, asset):
            raise PermissionDenied(_("A route may pass only through the assets of your own area."))
    return assets


def _check_line(line):
    if line in (None, ""):
        return None
    try:
        line = line if isinstance(line, GEOSGeometry) else GEOSGeometry(line)
    except Exception:  # GEOS and GDAL raise their own errors for unreadable input
        raise ValidationError({"line": _("The walking line is not a readable line.")}) from None
    if line.srid is None:
        line.srid = 4326
    if not isinstance(line, LineString) or line.srid != 4326 or len(line) < 2 or not line.valid:
        raise ValidationError({"line": _("The walking line must be one line of at least two points (WGS-84).")})
    return line


def _check_values(values: dict) -> dict:
    name_zh = (values.get("name_zh") or "").strip()
    if not name_zh:
        raise ValidationError({"name_zh": _("Give the route a Chinese title.")})
    theme = values.get("theme") or Theme.MIXED
    if theme not in Theme.values:
        raise ValidationError({"theme": _("Choose one of the themes.")})
    try:
        pace = int(values.get("pace") or Route._meta.get_field("pace").default)
    except (TypeError, ValueError):
        pace = 0
    if not 20 <= pace <= 200:
        raise ValidationError({"pace": _("The walking pace is between 20 and 200 metres a minute.")})
    return {"name_zh": name_zh[:200], "name_en": (values.get("name_en") or "").strip()[:200], "theme": theme,
            "description": (values.get("description") or "").strip()[:4000], "pace": pace,
            "is_published": bool(values.get("is_published", False))}


def check_route(*, actor, values: dict, stops: list[StopInput], line=None):
    """Every check of ``save_route`` without writing (the admin's form shows them on its fields):
    (cleaned values, the line as a geometry or None), or PermissionDenied / ValidationError."""
    _require_role(actor)
    cleaned = _check_values(values)
    _check_stops(actor, stops)
    return cleaned, _check_line(line)


def save_route(*, actor, route: Route | None = None, values: dict, stops: list[StopInput], line=None) -> SavedRoute:
    """Create (``route`` None) or replace a route: its fields, its ordered stops and its drawn line."""
    cleaned, line = check_route(actor=actor, values=values, stops=stops, line=line)
    creating = route is None
    route = route or Route(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    before = {} if creating else audit.snapshot(route, AUDITED_FIELDS)
    name = "route.create" if creating else "route.update"
    with transaction.atomic(), operation(name, actor=actor):
        for key, value in cleaned.items():
            setattr(route, key, value)
        route.line = line
        route.save()
        old_stops = [] if creating else list(route.stops.order_by("position").values_list("asset_id", flat=True))
        route.stops.all().delete()
        RouteStop.objects.bulk_create([RouteStop(route=route, asset_id=stop.asset_id, position=number,
                                                 note=stop.note.strip())
                                       for number, stop in enumerate(stops, start=1)])
        changes = audit.diff(before, audit.snapshot(route, AUDITED_FIELDS))
        new_stops = [stop.asset_id for stop in stops]
        if new_stops != old_stops:
            changes["stops"] = [old_stops, new_stops]
        audit.record(actor=actor, action=name, obj=route, changes=changes)
    warnings = [gettext("The drawn line passes %(metres)d m from stop %(number)d.") % {"metres": metres, "number": number}
                for number, _asset, metres in stops_far_from_line(line, [stop.asset_id for stop in stops])]
    return SavedRoute(route, warnings)


def set_published(*, actor, route: Route, published: bool) -> Route:
    _require_role(actor)
    if published and route.stops.count() < 2:
        raise ValidationError(_("A route needs at least two stops."))
    with transaction.atomic(), operation("route.publish" if published else "route.unpublish", actor=actor):
        before = audit.snapshot(route, ("is_published",))
        route.is_published = published
        route.save(update_fields=["is_published", "updated_at"])
        audit.record(actor=actor, action="route.publish" if published else "route.unpublish", obj=route,
                     changes=audit.diff(before, audit.snapshot(route, ("is_published",))))
    return route


def mark_check_in_spot(*, actor, asset: Asset, spot: bool = True) -> bool:
    """Mark ``asset`` a check-in spot (``spot`` True) or not; returns whether anything changed."""
    if not can(actor, Action.CHANGE_ROUTE, asset):
        raise PermissionDenied(_("You may mark only the assets of your own area."))
    with transaction.atomic(), operation("route.check_in_spot", actor=actor):
        if spot:
            _obj, changed = CheckInSpot.objects.get_or_create(asset=asset)
        else:
            changed = CheckInSpot.objects.filter(asset=asset).delete()[0] > 0
        if changed:
            audit.record(actor=actor, action="route.check_in_spot", obj=asset, asset=asset,
                         changes={"check_in_spot": [not spot, spot]})
    return changed
