"""OGC API – Features, Part 1 (Core + GeoJSON), at ``/ogc/``: what QGIS and GDAL's OAPIF driver read.

One collection per asset kind, ``projects`` (renovation projects, :mod:`dataio.ogc.projects`) and
``routes`` (check-in routes, line features, :mod:`dataio.ogc.routes`). Items are what the requesting user may see
(:func:`registry.queries.visible_assets`: public assets for anonymous clients, like QGIS), with
the same columns as the public export (:mod:`dataio.exporting.rows`) — staff signed in by session
get their scope and the internal columns. Paging is by ``offset`` with ``next``/``prev`` links;
``numberMatched``/``numberReturned`` are given. Errors are JSON ``{"code", "description"}`` with 400
or 404, as the standard's exception schema has it.
"""

import json

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dataio.exporting.rows import columns_for, kind_rows
from dataio.exporting.selection import is_public_export
from dataio.ogc import projects as project_collection
from dataio.ogc import routes as route_collection
from dataio.ogc.params import CRS84, check_format, parse_items_query
from registry.assets import AssetKind
from registry.queries import visible_assets

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
JSON = "application/json"
GEOJSON = "application/geo+json"


def _response(document: dict, content_type: str = JSON, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False),
                            content_type=content_type, status=status)
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _error(code: str, description: str, status: int) -> HttpResponse:
    return _response({"code": code, "description": description}, status=status)


def _link(request, name: str, rel: str, media_type: str, title: str, args=(), query=None) -> dict:
    url = request.build_absolute_uri(reverse(name, args=args))
    if query:
        url += "?" + urlencode(query)
    return {"href": url, "rel": rel, "type": media_type, "title": title}


def json_only(view):
    """Refuse f= values other than JSON with 400, like every other bad parameter."""
    def wrapped(request, *args, **kwargs):
        try:
            check_format(request.GET)
        except ValidationError as error:
            return _error("InvalidParameterValue", " ".join(error.messages), 400)
        return view(request, *args, **kwargs)
    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@require_safe
@json_only
def landing(request):
    return _response({
        "title": _("Liwan gardens and micro-renovation"),
        "description": _("Neighbourhood gardens, green plots, painted boxes, murals, heritage buildings and "
                         "elevator retrofits of Liwan district, Guangzhou, as OGC API – Features."),
        "links": [
            _link(request, "ogc-landing", "self", JSON, _("This document")),
            _link(request, "ogc-conformance", "conformance", JSON, _("Conformance classes")),
            _link(request, "ogc-collections", "data", JSON, _("Collections: one per asset kind")),
            _link(request, "api-schema", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
                  _("The registry's REST API (OpenAPI 3)")),
        ],
    })


@require_safe
@json_only
def conformance(request):
    return _response({"conformsTo": CONFORMANCE})


class _ProjectsCollection:
    """The renovation projects' collection, described like a kind (``value``, ``label``)."""

    value, label = project_collection.COLLECTION_ID, project_collection.TITLE


PROJECTS = _ProjectsCollection()


class _RoutesCollection:
    """The check-in routes' collection, described like a kind (``value``, ``label``)."""

    value, label = route_collection.COLLECTION_ID, route_collection.TITLE


ROUTES = _RoutesCollection()


def _extents(user, **filters) -> dict:
    """Kind → [west, south, east, north] of what ``user`` sees (of ``filters``), in one query."""
    rows = visible_assets(user).filter(**filters).order_by().values("kind").annotate(extent=Extent("geometry"))
    return {row["kind"]: [round(v, 7) for v in row["extent"]] for row in rows if row["extent"]}


def _collection(request, kind, extent) -> dict:
    """The document of a collection: ``kind`` is an AssetKind, or anything with ``value`` and ``label``."""
    document = {
        "id": kind.value, "title": str(kind.label), "itemType": "feature", "crs": [CRS84],
        "links": [
            _link(request, "ogc-collection", "self", JSON, str(kind.label), args=[kind.value]),
            _link(request, "ogc-items", "items", GEOJSON, _("Features"), args=[kind.value]),
        ],
    }
    if extent:
        document["extent"] = {"spatial": {"bbox": [extent], "crs": CRS84}}
    return document


@require_safe
@json_only
def collections(request):
    extents = _extents(request.user)
    return _response({
        "links": [_link(request, "ogc-collections", "self", JSON, _("Collections"))],
        "collections": [*(_collection(request, kind, extents.get(kind.value)) for kind in AssetKind),
                        _collection(request, PROJECTS, project_collection.extent(request.user)),
                        _collection(request, ROUTES, route_collection.extent(request.user))],
    })



def _kind_or_404(collection_id):
    return AssetKind(collection_id) if collection_id in AssetKind.values else None


@require_safe
@json_only
def collection(request, collection_id):
    if collection_id == PROJECTS.value:
        return _response(_collection(request, PROJECTS, project_collection.extent(request.user)))
    if collection_id == ROUTES.value:
        return _response(_collection(request, ROUTES, route_collection.extent(request.user)))
    kind = _kind_or_404(collection_id)
    if kind is None:
        return _error("NotFound", _("No collection “%(id)s”.") % {"id": collection_id}, 404)
    return _response(_collection(request, kind, _extents(request.user, kind=kind.value).get(kind.value)))


def _feature(row) -> dict:
    return {"type": "Feature", "id": row.values["id"], "geometry": json.loads(row.geometry.json),
            "properties": row.values}


def _project_features(projects, public) -> list[dict]:
    return [{"type": "Feature", "id": project.pk, "geometry": json.loads(project.site.json),
             "properties": project_collection.properties(project, public)} for project in projects]


@require_safe
def items(request, collection_id):
    kind = _kind_or_404(collection_id)
    if kind is None and collection_id not in (PROJECTS.value, ROUTES.value):
        return _error("NotFound", _("No collection “%(id)s”.") % {"id": collection_id}, 404)
    try:
        query = parse_items_query(request.GET)
    except ValidationError as error:
        return _error("InvalidParameterValue", " ".join(error.messages), 400)
    if collection_id == ROUTES.value:
        found = route_collection.features(request.user, bbox=query.bbox)
        return _items_response(request, collection_id, query, len(found),
                               found[query.offset:query.offset + query.limit])
    if kind is None:  # the projects
        projects = project_collection.selection(request.user, bbox=query.bbox)
        matched = projects.count()
        features = _project_features(projects[query.offset:query.offset + query.limit],
                                     project_collection.is_public(request.user))
        return _items_response(request, collection_id, query, matched, features)
    assets = visible_assets(request.user).filter(kind=kind.value).order_by("pk")
    if query.bbox:
        assets = assets.filter(geometry__intersects=Polygon.from_bbox(query.bbox))
    matched = assets.count()
    page = assets.values("pk")[query.offset:query.offset + query.limit]
    public = is_public_export(request.user)
    features = [_feature(row) for row in kind_rows(kind.value, page, columns_for([kind.value], public),
                                                   public=public)]
    return _items_response(request, kind.value, query, matched, features)


def _items_response(request, collection_id, query, matched, features) -> HttpResponse:
    return _response({
        "type": "FeatureCollection", "features": features, "numberMatched": matched,
        "numberReturned": len(features), "timeStamp": timezone.now().replace(microsecond=0).isoformat(),
        "links": _paging_links(request, collection_id, query, matched, len(features)),
    }, GEOJSON)


def _paging_links(request, collection_id, query, matched, returned) -> list[dict]:
    base = {key: value for key, value in request.GET.items() if key != "offset"}
    links = [
        _link(request, "ogc-items", "self", GEOJSON, _("This page"), args=[collection_id], query=request.GET),
        _link(request, "ogc-collection", "collection", JSON, _("The collection"), args=[collection_id]),
    ]
    if query.offset + returned < matched:
        links.append(_link(request, "ogc-items", "next", GEOJSON, _("Next page"), args=[collection_id],
                           query={**base, "limit": query.limit, "offset": query.offset + query.limit}))
    if query.offset > 0:
        links.append(_link(request, "ogc-items", "prev", GEOJSON, _("Previous page"), args=[collection_id],
                           query={**base, "limit": query.limit, "offset": max(0, query.offset - query.limit)}))
    return links


@require_safe
@json_only
def item(request, collection_id, fid):
    kind = _kind_or_404(collection_id)
    rows = []
    if collection_id == PROJECTS.value and fid.isdigit() and len(fid) < 19:
        rows = _project_features(project_collection.selection(request.user, pk=int(fid)),
                                 project_collection.is_public(request.user))
    elif collection_id == ROUTES.value and fid.isdigit() and len(fid) < 19:
        rows = route_collection.features(request.user, pk=int(fid))
    elif kind is not None and fid.isdigit() and len(fid) < 19:
        assets = visible_assets(request.user).filter(kind=kind.value, pk=int(fid)).values("pk")
        public = is_public_export(request.user)
        rows = list(kind_rows(kind.value, assets, columns_for([kind.value], public), public=public))
    if not rows:
        return _error("NotFound", _("No feature %(fid)s in collection “%(id)s”.") % {"fid": fid, "id": collection_id},
                      404)
    document = rows[0] if collection_id in (PROJECTS.value, ROUTES.value) else _feature(rows[0])
    document["links"] = [
        _link(request, "ogc-item", "self", GEOJSON, _("This feature"), args=[collection_id, fid]),
        _link(request, "ogc-collection", "collection", JSON, _("The collection"), args=[collection_id]),
    ]
    return _response(document, GEOJSON)
