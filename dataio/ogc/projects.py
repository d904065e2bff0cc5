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

from dataio.exporting.projects import values
from dataio.exporting.selection import is_public_export
from projects.queries import visible_projects

COLLECTION_ID = "projects"
TITLE = _("Renovation projects")


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
    """The feature's properties: the columns of a projects export (dataio.exporting.projects)."""
    return values(project, public)


def is_public(user) -> bool:
    return is_public_export(user)
