"""Public project pages: the list at /projects/ (filters street, kind, phase; search) and one page per
project (map, phase timeline, progress, funding, contractors by name, before/after, assets).

Views are thin: the reads are in :mod:`projects.queries`. A hidden project looks like no project (404).
"""

import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.http import Http404
from django.views.decorators.http import require_safe

from projects import queries
from projects.models import Project, ProjectKind
from projects.phases import ORDER, Phase
from registry.basemaps import small_map_basemap
from registry.geography import Street

PAGE_SIZE = 30

#: ``section(request, project)`` → a dict with ``template`` and its context, or None: what the apps above
#: show on a project's page (consultation: the resolutions concerning it). They register at start-up
#: with :func:`register_project_section`, so this app needs no import of them.
_project_sections: list = []


def register_project_section(section) -> None:
    if section not in _project_sections:
        _project_sections.append(section)


def list_filters(request) -> dict:
    """The list's filters from the query string; unknown values are dropped, not errors."""
    kind, phase = request.GET.get("kind", ""), request.GET.get("phase", "")
    return {"street": request.GET.get("street", "")[:32],
            "kind": kind if kind in ProjectKind.values else "",
            "phase": phase if phase in Phase.values else "",
            "text": request.GET.get("q", "").strip()[:100]}


@require_safe
def project_list(request):
    filters = list_filters(request)
    projects = queries.filtered(queries.visible_projects(request.user), **filters)
    page = Paginator(queries.list_page(projects).order_by("-planned_start", "name_zh", "id"), PAGE_SIZE,
                     ).get_page(request.GET.get("page"))
    page.object_list = queries.with_totals(page.object_list)
    return render(request, "projects/list.html", {
        "page": page, "filters": filters,
        "streets": Street.objects.defer("boundary").order_by("code"),
        "kinds": ProjectKind.choices, "phases": Phase.choices,
        "download_formats": (("geojson", "GeoJSON"), ("csv", "CSV"), ("gpkg", "GeoPackage")),
    })


def timeline(project) -> list[dict]:
    """Every phase in order, with the date it was last entered and whether it is done, current or ahead."""
    entered = {event.phase: event for event in project.phase_events.all()}
    current = ORDER.index(project.phase)
    return [{"phase": value, "label": label, "event": entered.get(value) if index <= current else None,
             "state": "done" if index < current else "current" if index == current else "ahead"}
            for index, (value, label) in enumerate(Phase.choices)]


@require_safe
def project_detail(request, pk):
    try:
        project = queries.project_detail(request.user, pk)
    except Project.DoesNotExist:
        raise Http404 from None
    photos = queries.project_photos(project)
    planned, received = project.tree_planned, project.tree_received  # with its projects'
    return render(request, "projects/detail.html", {
        "project": project,
        "timeline": timeline(project),
        "events": project.phase_events.all(),
        "funding_lines": project.funding_lines.all(),
        "funding_planned": planned, "funding_received": received,
        "contractors": project.contractors.all(),
        "milestones": project.milestones.all(),
        "pairs": queries.before_after_pairs(photos),
        "children": queries.with_totals(queries.visible_children(request.user, project)),
        "asset_links": queries.project_assets(request.user, project),
        "geometry": json.loads(project.site.json),
        "basemap": small_map_basemap(),
        "extra_sections": [found for section in _project_sections if (found := section(request, project))],
    })
