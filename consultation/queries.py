"""Reads shared by the consultation pages, the API and the exports."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from consultation.models import OPEN, ConsultationPhoto, Meeting, Resolution
from registry.access import Action, managed_scope, role_allows


def consultation_photo_files():
    """(large, small) names of every consultation photo: the core's orphan sweep keeps them."""
    return ConsultationPhoto.objects.values_list("large", "small").iterator(chunk_size=5000)


def managed_meetings(user):
    """The meetings ``user`` may record and change (their streets, communities or grids)."""
    if not role_allows(user, Action.RECORD_MEETING):
        return Meeting.objects.none()
    return Meeting.objects.filter(managed_scope(user))


def managed_resolutions(user):
    if not role_allows(user, Action.RECORD_MEETING):
        return Resolution.objects.none()
    return Resolution.objects.filter(meeting__in=managed_meetings(user))


def public_meetings(community=None):
    """Published meetings with their resolutions, newest first (no personal data is stored on them)."""
    meetings = Meeting.objects.filter(is_published=True).select_related("community", "grid", "building")
    if community is not None:
        meetings = meetings.filter(community=community)
    resolutions = Resolution.objects.select_related(
        "carried_by_project", "carried_by_upkeep", "carried_by_problem", "carried_by_adoption",
        "responsible_adopter").prefetch_related("photos").order_by("id")
    return meetings.prefetch_related(Prefetch("resolutions", queryset=resolutions), "photos")


def public_resolutions():
    return Resolution.objects.filter(meeting__is_published=True)


def resolutions_concerning_asset(asset):
    """Published resolutions whose meeting concerns ``asset`` (linked, or held for it as a building)."""
    return (public_resolutions().filter(Q(meeting__assets=asset) | Q(meeting__building=asset))
            .select_related("meeting").distinct().order_by("-meeting_date", "id"))


def resolutions_concerning_project(project):
    """Published resolutions whose meeting concerns ``project`` or that the project carried out."""
    return (public_resolutions().filter(Q(meeting__projects=project) | Q(carried_by_project=project))
            .select_related("meeting").distinct().order_by("-meeting_date", "id"))


@dataclass(frozen=True)
class Overdue:
    resolution: Resolution
    days: int


def overdue_queue(user, *, today: datetime.date | None = None, street=None) -> list[Overdue]:
    """Open resolutions past their due date in ``user``'s area (a street's when given), most overdue first."""
    today = today or timezone.localdate()
    rows = (managed_resolutions(user).filter(status__in=OPEN, due_date__lt=today)
            .select_related("meeting", "community", "street").order_by("due_date", "id"))
    if street is not None:
        rows = rows.filter(street=street)
    return [Overdue(resolution, (today - resolution.due_date).days) for resolution in rows]


def project_section(request, project) -> dict | None:
    """The project page's section of the resolutions concerning it (``projects.views`` asks)."""
    resolutions = list(resolutions_concerning_project(project).select_related("community"))
    return {"template": "consultation/_concerning.html", "resolutions": resolutions} if resolutions else None
