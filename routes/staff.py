"""The staff route editor, made for phones: /staff/routes/ (the routes one may change), a new route,
and a route's editor — its facts, its stops picked on a map of one's own assets (or typed as ids),
and its walking line drawn by tapping the map. Each save calls :func:`routes.operations.save_route`
(permission, transaction, audit, history); a drawn line far from a stop is saved with a warning.
Another street's route looks like no route (404). Marking a check-in spot is one button on the
staff asset page (``mark_check_in_spot``).
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registry.access import Action, managed_scope
from registry.assets import Asset
from registry.basemaps import small_map_basemap
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.queries import work_area_outline
from routes import operations, queries
from routes.forms import RouteEditForm
from routes.models import Route

#: The operation names the stops "stops"; the form's field is the text of them.
_FIELD_OF = {"stops": "stops_text"}


@require_safe
@staff_required(action=Action.CHANGE_ROUTE)
def staff_route_list(request):
    routes = list(queries.managed_routes(request.user).order_by("-updated_at", "id"))
    lines = queries.route_lines(route.pk for route in routes)
    return render(request, "routes/staff_list.html", {"routes": [(route, lines[route.pk]) for route in routes]})


def _put_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError({_FIELD_OF.get(name, name): errors for name, errors in error.error_dict.items()})
    add_operation_errors(form, error)


def _editor(request, route: Route | None):
    form = RouteEditForm.for_route(route, request.POST or None) if route else RouteEditForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = operations.save_route(actor=request.user, route=route, values=data,
                                              stops=data["stops_text"], line=data["line"])
            except ValidationError as error:
                _put_errors(form, error)
            except PermissionDenied as error:
                form.add_error("stops_text", str(error))
                status = 403
            else:
                messages.success(request, _("Route saved."))
                for warning in saved.warnings:
                    messages.warning(request, warning)
                return redirect("staff-route-edit", pk=saved.route.pk)
    return render(request, "routes/staff_form.html", {
        "form": form, "route": route, "basemap": small_map_basemap(),
        "line": queries.route_line(route) if route else None,
        "stop_names": _stop_names(request.user, route),
        "work_area": json.loads(work_area_outline(request.user) or "null"),
    }, status=status)


def _stop_names(user, route):
    """Asset id → name of the route's stops, for the editor's list (only the assets one may see)."""
    if route is None:
        return {}
    rows = Asset.objects.filter(managed_scope(user), route_stops__route=route).values("pk", "name_zh", "location")
    return {str(row["pk"]): {"name": row["name_zh"], "lon": row["location"].x, "lat": row["location"].y} for row in rows}


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.CHANGE_ROUTE)
def staff_route_create(request):
    return _editor(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.CHANGE_ROUTE)
def staff_route_edit(request, pk):
    return _editor(request, get_object_or_404(queries.managed_routes(request.user), pk=pk))


def _bbox(text: str):
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


@require_safe
@staff_required(action=Action.CHANGE_ROUTE)
def staff_stop_candidates(request):
    """``?bbox=west,south,east,north`` → the assets one may route through in that box (the editor's map)."""
    bbox = _bbox(request.GET.get("bbox", ""))
    if bbox is None:
        return JsonResponse({"error": _("Give bbox as west,south,east,north in degrees.")}, status=400)
    candidates = queries.stop_candidates(request.user, bbox)
    return JsonResponse({"assets": candidates, "limited": len(candidates) >= queries.CANDIDATE_LIMIT})


@require_POST
@staff_required(action=Action.CHANGE_ROUTE)
def staff_check_in_spot(request, pk):
    """Mark (``spot=1``) or unmark an asset of one's own area as a check-in spot; back to its staff page."""
    asset = get_object_or_404(Asset.objects.filter(managed_scope(request.user)), pk=pk)
    spot = request.POST.get("spot") == "1"
    if operations.mark_check_in_spot(actor=request.user, asset=asset, spot=spot):
        messages.success(request, _("Marked as a check-in spot.") if spot else _("No longer a check-in spot."))
    return redirect("staff-asset", pk=asset.pk)
