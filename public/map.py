"""The public map at ``/``: one page, its configuration handed to ``static/js/map/`` (ES modules) as JSON.

The page carries no inline executable script (CSP-safe): everything the script needs — the tile
URL template and data version, the kinds with their labels and colours, statuses, streets and
communities with their extents for the filters, the basemaps, and the translated strings the
script shows — is rendered with ``json_script``. Vector tiles come from ``public.tiles``;
popups, search and asset pages from ``public.pages``.
"""

from django.conf import settings
from django.contrib.gis.db.models.functions import Envelope, GeometryDistance
from django.contrib.gis.geos import Point, Polygon
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from public.tiles.filters import TileFilters
from projects.phases import Phase
from safety.queries import published_risks
from public.tiles.sql import DETAIL_MIN_ZOOM
from public.tiles.sql import MAX_ZOOM as TILE_MAX_ZOOM
from public.tiles.views import tile_url_template
from registry.assets import AssetKind, AssetStatus
from registry.geography import Community, Street
from registry.map_version import block_versions, current_map_version

#: How each kind is drawn. Polygons are filled at detail zooms; as a point (clusters, small polygons,
#: point kinds) each kind is its own shape (``static/js/map/symbols.js``) as well as its colour, so
#: kinds are told apart without telling colours apart (blue and purple look alike to many); the legend
#: shows the same symbols. Green plots also get a dashed outline to tell them from gardens.
KIND_STYLES = {
    AssetKind.GARDEN: {"geometry": "polygon", "colour": "#2e8b57", "stroke": "#1b5e3a", "shape": "circle"},
    AssetKind.GREEN_PLOT: {"geometry": "polygon", "colour": "#9acd32", "stroke": "#4f6e10", "dashed": True,
                           "shape": "leaf"},
    AssetKind.HERITAGE: {"geometry": "polygon", "colour": "#c0504d", "stroke": "#7a2522", "shape": "house"},
    AssetKind.PAINTED_BOX: {"geometry": "point", "colour": "#1f6fb4", "stroke": "#ffffff", "shape": "square"},
    AssetKind.MURAL: {"geometry": "point", "colour": "#9a3fb0", "stroke": "#ffffff", "shape": "diamond"},
    AssetKind.ELEVATOR: {"geometry": "point", "colour": "#d9730d", "stroke": "#ffffff", "shape": "triangle"},
}


def _bbox(envelope) -> list[float] | None:
    """[west, south, east, north] of a boundary's envelope, rounded to about a metre."""
    if envelope is None:
        return None
    return [round(value, 5) for value in envelope.extent]


def _areas() -> list[dict]:
    """Streets, each with its communities: code, localised name and extent, in code order."""
    communities = (Community.objects.annotate(envelope=Envelope("boundary"))
                   .only("code", "name_zh", "name_en", "street_id").order_by("code"))
    streets = (Street.objects.annotate(envelope=Envelope("boundary"))
               .only("code", "name_zh", "name_en").order_by("code")
               .prefetch_related(Prefetch("communities", queryset=communities)))
    return [
        {"code": street.code, "name": street.display_name, "bbox": _bbox(street.envelope),
         "communities": [{"code": community.code, "name": community.display_name, "bbox": _bbox(community.envelope)}
                         for community in street.communities.all()]}
        for street in streets
    ]


def _extent(streets: list[dict]) -> list[float] | None:
    boxes = [street["bbox"] for street in streets if street["bbox"]]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def _basemaps() -> list[dict]:
    """settings.MAP_BASEMAPS for the browser: names translated, the key filled in, keyless ones skipped."""
    key = settings.TIANDITU_KEY
    basemaps = []
    for basemap in settings.MAP_BASEMAPS:
        if basemap.get("requires_key") and not key:
            continue
        entry = {
            "id": basemap["id"], "name": str(basemap["name"]), "datum": basemap.get("datum", "wgs84"),
            "url": basemap["url"].replace("{key}", key), "attribution": basemap.get("attribution", ""),
            "max_zoom": basemap.get("max_zoom", 18), "subdomains": basemap.get("subdomains", "abc"),
        }
        if basemap.get("labels_url"):
            entry["labels_url"] = basemap["labels_url"].replace("{key}", key)
        basemaps.append(entry)
    return basemaps


def _strings() -> dict[str, str]:
    """The words the map script shows or announces, in the visitor's language."""
    return {
        "loading": gettext("Loading…"),
        "popupError": gettext("The details of this asset could not be loaded."),
        # Translators: %(name)s is an adopter's public name.
        "adoptedBy": gettext("Adopted by %(name)s"),
        # Translators: %(name)s is an adopter's public name, %(kind)s its kind (volunteer, enterprise…).
        "adoptedByKind": gettext("Adopted by %(name)s (%(kind)s)"),
        "lookingForAdopter": gettext("Looking for an adopter"),
        "pending": gettext("An adoption request is awaiting approval."),
        "openPage": gettext("Open the asset page"),
        # Translators: %(count)s is the number of assets found (at most 20 are listed).
        "searchResults": gettext("Results: %(count)s"),
        # Translators: %(query)s is what the visitor searched for.
        "searchNone": gettext("No asset matches “%(query)s”."),
        "searchError": gettext("The search failed. Please try again."),
        "searching": gettext("Searching…"),
        "mapUpdated": gettext("The map has been updated."),
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "closePopup": gettext("Close"),
        # Translators: %(count)s is the number of assets listed (at most 50).
        "inViewCount": gettext("Assets in view: %(count)s"),
        "inViewMore": gettext("The %(count)s nearest the middle of the map; zoom in for the others."),
        "inViewNone": gettext("No asset in view. Zoom out, move the map or change the filters."),
        "inViewError": gettext("The list could not be loaded. Please try again."),
    }


def map_config(request) -> dict:
    """Everything the map script needs, as one JSON-able dict."""
    version = current_map_version()
    popup_template = reverse("asset-popup", args=[0]).replace("/0/", "/{id}/")
    streets = _areas()
    leaflet = settings.LEAFLET_CONFIG
    centre = leaflet.get("DEFAULT_CENTER", (23.115, 113.235))
    return {
        "tiles": {"url": tile_url_template(), "version": version, "versionUrl": reverse("tiles:version"),
                  "blocks": block_versions(),
                  "maxNativeZoom": TILE_MAX_ZOOM, "detailMinZoom": DETAIL_MIN_ZOOM},
        "popupUrl": popup_template,
        "searchUrl": reverse("asset-search"),
        "inViewUrl": reverse("assets-in-view"),
        "view": {"center": list(centre), "zoom": leaflet.get("DEFAULT_ZOOM", 13),
                 "minZoom": leaflet.get("MIN_ZOOM", 10), "maxZoom": leaflet.get("MAX_ZOOM", 19),
                 "extent": _extent(streets)},
        "kinds": [{"id": kind.value, "label": str(kind.label), **KIND_STYLES[kind]} for kind in AssetKind],
        "statuses": [{"id": status.value, "label": str(status.label)} for status in AssetStatus],
        "streets": streets,
        "basemaps": _basemaps(),
        "strings": _strings(),
    }


@require_safe
def map_page(request):
    config = map_config(request)
    return render(request, "public/map.html", {
        "config": config,
        # The "renovation projects" layer (public.tiles.projects, static/js/map/projects.js).
        "project_phases": Phase.choices,
        "project_tile_url": reverse("tiles:project-tile", kwargs={"z": 0, "x": 0, "y": 0}).replace(
            "0/0/0.pbf", "{z}/{x}/{y}.pbf"),
        # The safety risks a street publishes (safety.queries.published_risks, static/js/map/safety.js):
        # the box is offered only when some street publishes them.
        "safety_risks_published": published_risks().exists(),
    })


#: The most assets the list of what is in view holds (the nearest the middle of the map).
IN_VIEW_LIMIT = 50


def _bbox_param(value: str) -> Polygon:
    """``west,south,east,north`` (WGS-84 degrees) as a polygon; ValidationError if it is not one."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise ValidationError(gettext("“bbox” must be four numbers: west,south,east,north.")) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError(gettext("“bbox” must be four numbers: west,south,east,north."))
    return Polygon.from_bbox((west, south, east, north))


@require_safe
def assets_in_view(request):
    """The assets in ``bbox`` that pass the map's filters, nearest its middle first, for the list a
    keyboard or screen-reader user opens popups from (the canvas-drawn features cannot take focus)."""
    try:
        area = _bbox_param(request.GET.get("bbox", ""))
        assets = TileFilters.from_query(request.GET).assets(request.user)
        middle = Point(*area.centroid.coords, srid=4326)
        area.srid = 4326
        found = list(assets.filter(location__intersects=area).select_related(None)
                     .only("name_zh", "name_en", "kind", "location")
                     .order_by(GeometryDistance("location", middle), "pk")[:IN_VIEW_LIMIT + 1])
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages), "results": []}, status=400)
    return JsonResponse({"more": len(found) > IN_VIEW_LIMIT, "results": [
        {"id": asset.pk, "name": asset.display_name, "kind": asset.kind, "kind_label": asset.get_kind_display(),
         "lat": asset.location.y, "lon": asset.location.x}
        for asset in found[:IN_VIEW_LIMIT]
    ]})


urlpatterns = [
    path("", map_page, name="map"),
    path("in-view.json", assets_in_view, name="assets-in-view"),
]
