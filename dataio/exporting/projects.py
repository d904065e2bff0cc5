"""The rows of a projects export (GeoJSON, GeoPackage, CSV) and of the OGC ``projects`` collection.

Which projects is the caller's: ``projects.queries.visible_projects`` with the public list's filters
(street, kind, phase, search). Anyone but staff gets the public columns; money is written as
text with two decimals (exact yuan), progress as a number, dates ISO.
"""

from decimal import Decimal
from typing import Iterator

from django.db.models import QuerySet
from django.http import QueryDict

from dataio.exporting.rows import ExportRow
from projects.models import ProjectKind
from projects.phases import Phase
from projects.queries import filtered, visible_projects

PUBLIC_COLUMNS = ["id", "name_zh", "name_en", "kind", "phase", "progress", "street", "community", "planned_start",
                  "planned_end", "actual_start", "actual_end", "parent_id", "funding_planned", "funding_received"]
STAFF_COLUMNS = ["external_id", "is_public"]
CHUNK = 1000


def columns(public: bool) -> list[str]:
    return PUBLIC_COLUMNS if public else [*PUBLIC_COLUMNS, *STAFF_COLUMNS]


def selection(user, query: QueryDict | dict | None = None) -> QuerySet:
    """The visible projects of the list's filters (``street``, ``kind``, ``phase``, ``q``); unknown
    kinds or phases are ignored, as on the list page."""
    query = query or {}
    kind, phase = query.get("kind", ""), query.get("phase", "")
    projects = filtered(visible_projects(user), street=query.get("street", ""),
                        kind=kind if kind in ProjectKind.values else "",
                        phase=phase if phase in Phase.values else "", text=query.get("q", ""))
    return projects.select_related("street", "community").defer(
        "description", "street__boundary", "community__boundary").order_by("pk")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def values(project, public: bool) -> dict:
    row = {
        "id": project.pk, "name_zh": project.name_zh, "name_en": project.name_en, "kind": project.kind,
        "phase": project.phase, "progress": float(project.rolled_progress), "street": project.street.name_zh,
        "community": project.community.name_zh if project.community_id else None,
        "planned_start": project.planned_start, "planned_end": project.planned_end,
        "actual_start": project.actual_start, "actual_end": project.actual_end, "parent_id": project.parent_id,
        "funding_planned": _money(project.tree_planned), "funding_received": _money(project.tree_received),
    }
    if not public:
        row.update(external_id=project.external_id, is_public=project.is_public)
    return row


def export_rows(projects: QuerySet, *, public: bool) -> tuple[list[str], Iterator[ExportRow]]:
    """The columns and, lazily, one row per project (its site as geometry)."""
    def rows():
        for project in projects.iterator(chunk_size=CHUNK):
            yield ExportRow(kind=project.kind, values=values(project, public), geometry=project.site)
    return columns(public), rows()
