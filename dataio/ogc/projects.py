"""The renovation projects as one more OGC API – Features collection, ``projects``.

Items are the projects the requesting user may see (``projects.queries.visible_projects``: the
public ones for anonymous clients such as QGIS and GDAL), their site as geometry, and the public
columns: names, kind, phase, progress (rolled up), street and community, dates, the parent's id and
the funding planned and received over the project's tree. Staff signed in by session also get
``external_id`` and ``is_public``.
"""

from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _

from dataio.exporting.selection import is_public_export
from projects.queries import visible_projects

COLLECTION_ID = "projects"
TITLE = _("Renovation projects")
PUBLIC_COLUMNS = ("id", "name_zh", "name_en", "kind", "phase", "progress", "street", "community", "planned_start",
                  "planned_end", "actual_start", "actual_end", "parent_id", "funding_planned", "funding_received")
STAFF_COLUMNS = ("external_id", "is_public")


def extent(user) -> list[float] | None:
    box = visible_projects(user).aggregate(extent=Extent("site"))["extent"]
    return [round(value, 7) for value in box] if box else None


def selection(user, bbox=None, pk=None):
    projects = visible_projects(user).select_related("street", "community").defer(
        "description", "street__boundary", "community__boundary").order_by("pk")
    if bbox:
        projects = projects.filter(site__intersects=Polygon.from_bbox(bbox))
    if pk is not None:
        projects = projects.filter(pk=pk)
    return projects


def properties(project, public: bool) -> dict:
    values = {
        "id": project.pk, "name_zh": project.name_zh, "name_en": project.name_en, "kind": project.kind,
        "phase": project.phase, "progress": float(project.rolled_progress), "street": project.street.name_zh,
        "community": project.community.name_zh if project.community_id else None,
        "planned_start": project.planned_start, "planned_end": project.planned_end,
        "actual_start": project.actual_start, "actual_end": project.actual_end, "parent_id": project.parent_id,
        "funding_planned": project.tree_planned, "funding_received": project.tree_received,
    }
    if not public:
        values.update(external_id=project.external_id, is_public=project.is_public)
    return values


def is_public(user) -> bool:
    return is_public_export(user)
