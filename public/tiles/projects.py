"""The map's "renovation projects" layer: vector tiles of the projects a visitor may see, by phase.

    /tiles/projects/{z}/{x}/{y}.pbf?phase=construction,in_use&v=<map version>

The same path as the assets' tiles (:mod:`public.tiles.views`): the rows come from the ORM
(``projects.queries.visible_projects``, compiled by Django into the ``projects`` CTE, so the
visibility rule is written once), PostGIS builds the tile in one statement, and the bytes are
cached under the map's data version (which every project change moves, see projects migration
0004), the visitor's visibility class, z/x/y and the phases. Projects are few (thousands, not
hundreds of thousands) and drawn one point each, at every zoom: no clusters. The tile's envelope is
taken back to WGS-84 once, so the search uses the GiST index of ``projects_project.location``.
One MVT layer, ``projects``, with ``id, name, name_en, kind, phase, progress``.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import ExpressionWrapper, F, Field
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from projects.phases import Phase
from projects.queries import visible_projects
from public.tiles.sql import tile_exists
from public.tiles.views import (
    IMMUTABLE_MAX_AGE, MVT_CONTENT_TYPE, SERVER_CACHE_SECONDS, SHORT_MAX_AGE, visibility_class,
)
from registry.bulk import last_result
from registry.map_version import current_map_version

EXTENT, BUFFER = 4096, 64

PROJECT_TILE_SQL = """
SET LOCAL jit = off;
WITH
-- The visible projects of the chosen phases, compiled by Django.
projects AS NOT MATERIALIZED (
    {projects}
),
envelope AS (SELECT ST_TileEnvelope({z}, {x}, {y}) AS tile)
SELECT COALESCE(ST_AsMVT(features, 'projects', {extent}, 'geom', 'id'), ''::bytea)
FROM (
    SELECT p.id, p.name_zh AS name, p.name_en, p.kind, p.phase, p.rolled_progress::float AS progress,
           ST_AsMVTGeom(ST_Transform(p.point, 3857), envelope.tile, {extent}, {buffer}, true) AS geom
    FROM projects AS p, envelope
    -- the tile (and a margin for markers across its edge) in WGS-84: the location's GiST index applies
    WHERE p.point && ST_Transform(ST_Expand(envelope.tile, (ST_XMax(envelope.tile) - ST_XMin(envelope.tile))
                                               * {buffer} / {extent}), 4326)
) AS features
WHERE geom IS NOT NULL
"""


def parse_phases(query) -> tuple[str, ...]:
    """``phase=a,b`` → the phases, sorted; none given means every phase. A phase unknown is a 400."""
    raw = [value for part in query.getlist("phase") for value in part.split(",") if value]
    unknown = sorted(set(raw) - set(Phase.values))
    if unknown:
        raise ValidationError(_("Unknown phase: %(value)s.") % {"value": ", ".join(unknown)})
    return tuple(sorted(set(raw)))


def render_project_tile(z: int, x: int, y: int, projects) -> bytes:
    # The point as stored (not through Django's ``::bytea`` select format for geometries).
    rows = projects.annotate(point=ExpressionWrapper(F("location"), output_field=Field())).values(
        "id", "name_zh", "name_en", "kind", "phase", "rolled_progress", "point")
    sql, params = rows.query.sql_with_params()
    statement = PROJECT_TILE_SQL.format(projects=sql, z=int(z), x=int(x), y=int(y), extent=EXTENT, buffer=BUFFER)
    with connections[projects.db].cursor() as cursor:
        cursor.execute(statement, params)
        return bytes(last_result(cursor).fetchone()[0])


@require_safe
def project_tile(request, z: int, x: int, y: int):
    if not tile_exists(z, x, y):
        raise Http404(_("No such tile."))
    try:
        phases = parse_phases(request.GET)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages), content_type="text/plain; charset=utf-8")
    version = current_map_version()
    key = "projects-tile:" + hashlib.sha256(
        f"{version}:{visibility_class(request.user)}:{z}/{x}/{y}:{','.join(phases)}".encode()).hexdigest()[:32]
    body = cache.get(key)
    if body is None:
        projects = visible_projects(request.user)
        if phases:
            projects = projects.filter(phase__in=phases)
        body = render_project_tile(z, x, y, projects)
        cache.set(key, body, SERVER_CACHE_SECONDS)
    response = HttpResponse(body, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = f'"{key.removeprefix("projects-tile:")}"'
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=SHORT_MAX_AGE)
    elif request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=SHORT_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return get_conditional_response(request, etag=response["ETag"], response=response)
