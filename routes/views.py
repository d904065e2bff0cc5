"""Public route pages: /routes/ (published routes by theme), a page per route (map with the line and
numbered stops, each stop's photo and text, "start here" directions), its GPX and KML downloads and
its printable A4 leaflet with a QR code to the page. Thin: the reads are in :mod:`routes.queries`.
A draft or unknown route is a 404 to whoever may not change routes.
"""

import io

import segno
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe

from registry.basemaps import small_map_basemap
from routes import formats, queries
from routes.models import Route, Theme


def _route_or_404(request, pk) -> Route:
    try:
        return queries.with_stops(queries.visible_routes(request.user), request.user).get(pk=pk)
    except Route.DoesNotExist:
        raise Http404 from None


def _page_url(request, route) -> str:
    return request.build_absolute_uri(reverse("route-detail", args=[route.pk]))


@require_safe
def route_list(request):
    theme = request.GET.get("theme", "")
    routes = queries.visible_routes(request.user)
    if theme in Theme.values:
        routes = routes.filter(theme=theme)
    else:
        theme = ""
    routes = list(routes)
    lines = queries.route_lines(route.pk for route in routes)
    rows = [{"route": route, "line": lines[route.pk], "minutes": lines[route.pk].walking_minutes(route.pace)}
            for route in routes]
    return render(request, "routes/list.html", {"rows": rows, "themes": Theme.choices, "theme": theme})


def _feature_collection(stops, line) -> dict:
    features = [{"type": "Feature", "geometry": line, "properties": {"role": "line"}}] if line else []
    features += [{"type": "Feature", "properties": {"number": number, "name": stop.asset.display_name,
                                                    "url": reverse("asset-detail", args=[stop.asset_id])},
                  "geometry": {"type": "Point", "coordinates": [stop.asset.location.x, stop.asset.location.y]}}
                 for number, stop in enumerate(stops, start=1)]
    return {"type": "FeatureCollection", "features": features}


def _context(request, route) -> dict:
    stops = list(route.stops.all())
    line = queries.route_line(route)
    photos = queries.stop_photos(stops)
    for stop in stops:
        stop.photo = photos.get(stop.asset_id)
    first = stops[0].asset.location if stops else None
    return {"route": route, "stops": stops, "line": line, "minutes": line.walking_minutes(route.pace),
            "map_data": _feature_collection(stops, line.geometry), "first": first,
            "basemap": small_map_basemap(), "page_url": _page_url(request, route)}


@require_safe
def route_detail(request, pk):
    route = _route_or_404(request, pk)
    return render(request, "routes/detail.html", _context(request, route))


@require_safe
def route_leaflet(request, pk):
    """The printable A4 leaflet: the map, the stop list and a QR code to the route's page."""
    route = _route_or_404(request, pk)
    return render(request, "routes/leaflet.html", _context(request, route))


@require_safe
def route_qr(request, pk):
    """A QR code (SVG) of the route page's absolute URL, for the leaflet (as public.pages does for plaques)."""
    route = _route_or_404(request, pk)
    buffer = io.BytesIO()
    segno.make(_page_url(request, route), error="m").save(buffer, kind="svg", scale=4, border=4, light="#fff",
                                                         xmldecl=False, omitsize=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _download(request, pk, writer, extension, content_type):
    route = _route_or_404(request, pk)
    stops = list(route.stops.all())
    body = writer(route, stops, queries.route_line(route).geometry, _page_url(request, route))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="route-{route.pk}.{extension}"'
    return response


@require_safe
def route_gpx(request, pk):
    return _download(request, pk, formats.gpx, "gpx", "application/gpx+xml")


@require_safe
def route_kml(request, pk):
    return _download(request, pk, formats.kml, "kml", "application/vnd.google-earth.kml+xml")


@require_safe
def routes_geojson(request):
    """The main map's "check-in routes" layer: published routes' lines (static/js/map/routes.js)."""
    routes = list(Route.objects.filter(is_published=True).order_by("pk"))
    lines = queries.route_lines(route.pk for route in routes)
    features = []
    for route in routes:
        line = lines[route.pk]
        if line.geometry is None:
            continue
        summary = ngettext("%(stops)s stop", "%(stops)s stops", line.stop_count) % {"stops": line.stop_count}
        summary += " · " + gettext("%(length)s m, about %(minutes)s min") % {
            "length": round(line.length_m), "minutes": line.walking_minutes(route.pace)}
        features.append({"type": "Feature", "id": route.pk, "geometry": line.geometry, "properties": {
            "name": route.display_name, "theme": route.theme, "url": reverse("route-detail", args=[route.pk]),
            "length_m": round(line.length_m, 1), "approximate": line.approximate, "summary": summary}})
    return JsonResponse({"type": "FeatureCollection", "features": features})
