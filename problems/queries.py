"""Reads of problem reports shared by the asset page, the map, the staff pages and the statistics.

What the public sees of a report (category, status, dates, the staff's reply — never the
reporter's words or contact) and what a staff member may see (their managed scope) is decided here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from problems.models import ACTIVE_STATUSES, ProblemCategory, ProblemReport, ProblemStatus
from registry.access import managed_scope
from registry.geography import Community, Street
from upkeep.models import UpkeepLog

#: What the asset page loads of an active report.
PUBLIC_COLUMNS = ("asset_id", "category", "status", "staff_reply", "public_description", "created_at", "started_at",
                  "duplicates_count")


def active_problems(asset) -> QuerySet[ProblemReport]:
    """The problems of ``asset`` still being dealt with (open or in progress), newest first, public fields only."""
    return (ProblemReport.objects.filter(asset=asset, status__in=ACTIVE_STATUSES)
            .only(*PUBLIC_COLUMNS).order_by("-created_at", "-pk"))


#: What the asset page loads of an answered (resolved or closed) report.
ANSWERED_COLUMNS = ("asset_id", "category", "status", "staff_reply", "created_at", "resolved_at", "duplicates_count")
ANSWERED_STATUSES = (ProblemStatus.RESOLVED, ProblemStatus.CLOSED)
#: How long an answered report stays on the asset page; older ones are on its "all answered" page.
RECENTLY_ANSWERED_DAYS = 90


def answered_problems(asset) -> QuerySet[ProblemReport]:
    """The problems of ``asset`` the street office has answered (resolved, or closed without a fix),
    most recently answered first, public fields only: the reply a resident who scans the plaque reads."""
    return (ProblemReport.objects.filter(asset=asset, status__in=ANSWERED_STATUSES)
            .only(*ANSWERED_COLUMNS).order_by("-resolved_at", "-pk"))


#: At most this many answered reports on the asset page; the rest are on its page of all answered problems.
RECENTLY_ANSWERED_SHOWN = 10


@dataclass(frozen=True)
class AssetProblems:
    """What the asset page shows of its problems."""

    open: list            # open or in progress, newest first
    recently_answered: list  # resolved or closed in the last RECENTLY_ANSWERED_DAYS days, latest first
    older_answers: bool   # more answered reports than shown: link to all of them


def problems_for_asset_page(asset) -> AssetProblems:
    """The asset page's problems in one query: every active report (at most one per category, by the
    database's constraint) and the latest answered ones, one more than shown to know if there are others."""
    active = Q(status__in=ACTIVE_STATUSES)
    limit = len(ProblemCategory.values) + RECENTLY_ANSWERED_SHOWN + 1
    rows = list(ProblemReport.objects.filter(asset=asset).filter(active | Q(status__in=ANSWERED_STATUSES))
                .only(*PUBLIC_COLUMNS, "resolved_at")
                .annotate(answered=Case(When(active, then=Value(0)), default=Value(1), output_field=IntegerField()))
                .order_by("answered", F("resolved_at").desc(nulls_last=True), "-created_at", "-pk")[:limit])
    since = timezone.now() - datetime.timedelta(days=RECENTLY_ANSWERED_DAYS)
    answered = [row for row in rows if not row.is_active]
    recent = [row for row in answered if row.resolved_at and row.resolved_at >= since][:RECENTLY_ANSWERED_SHOWN]
    return AssetProblems(open=[row for row in rows if row.is_active], recently_answered=recent,
                         older_answers=len(answered) > len(recent))


class SubqueryCount(Subquery):
    """``(SELECT count(*) FROM (<subquery>))``: a correlated count without GROUP BY tricks."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def with_open_problems(assets: QuerySet) -> QuerySet:
    """Annotate each asset with ``open_problems``: its reports still open or in progress.

    Each asset's count is an index probe on the partial unique index of active reports
    (asset, category), so it costs little, and nothing at all where the column is not read.
    """
    # No ORDER BY (the model's default would make PostgreSQL walk the created_at index instead).
    active = ProblemReport.objects.filter(asset=OuterRef("pk"), status__in=ACTIVE_STATUSES).order_by().values("pk")
    return assets.annotate(open_problems=SubqueryCount(active))


def staff_problems(user) -> QuerySet[ProblemReport]:
    """The reports on assets ``user`` works on (registry.access.managed_scope), newest first."""
    return (ProblemReport.objects.filter(managed_scope(user, prefix="asset__"))
            .select_related("asset", "asset__street", "asset__community", "resolved_by_log", "triaged_by")
            .defer("asset__geometry", "asset__geometry_webmercator", "asset__location_webmercator",
                   "asset__street__boundary", "asset__community__boundary")
            .order_by("-created_at", "-pk"))


def resolution_candidates(report, limit=10):
    """Recent upkeep logs of the report's asset a resolution may link, newest first.

    Logs from a week before the report on: work done just before a resident noticed the
    result is still the work that answers it.
    """
    since = report.created_at - datetime.timedelta(days=7)
    return (UpkeepLog.objects.filter(asset_id=report.asset_id, performed_at__gte=since)
            .select_related("staff", "adopter").order_by("-performed_at", "-pk")[:limit])


# Statistics ---------------------------------------------------------------------------------------

class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``; works on intervals too."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


@dataclass(frozen=True)
class ProblemStatistics:
    """Problem figures of one street or community (``area`` None: all areas asked for together)."""

    area: Street | Community | None
    reported: int = 0
    open: int = 0
    in_progress: int = 0
    resolved: int = 0
    closed_not_fixed: int = 0
    joined_reports: int = 0
    median_time_to_resolve: datetime.timedelta | None = None

    @property
    def unresolved(self) -> int:
        """Still being dealt with: open or in progress."""
        return self.open + self.in_progress

    @property
    def resolution_rate(self) -> float | None:
        """Share of the problems reported that were resolved (0–1), as the district reports it."""
        return self.resolved / self.reported if self.reported else None


AREA_FIELDS = {"street": "asset__street", "community": "asset__community", "all": None}


def problem_statistics(streets=None, *, by: str = "street", since=None, until=None) -> list[ProblemStatistics]:
    """Problem counts and median time to resolve, one row per street (``by="street"``), per community
    of those streets (``by="community"``), or one row for them all (``by="all"``).

    ``streets``: Street objects, ids or a queryset (default: every street); pass the streets a
    staff member may see. ``since``/``until`` (datetimes) bound when the problems were reported.
    Areas with no report get a row of zeros; the median counts resolved problems only.
    """
    street_ids = None if streets is None else [getattr(street, "pk", street) for street in streets]
    reports = ProblemReport.objects.all()
    if street_ids is not None:
        reports = reports.filter(asset__street__in=street_ids)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    if until is not None:
        reports = reports.filter(created_at__lt=until)
    area_field = AREA_FIELDS[by]
    figures = _figures(reports, area_field)
    if area_field is None:
        return [ProblemStatistics(area=None, **figures.get(None, {}))]
    return [ProblemStatistics(area=area, **figures.get(area.pk, {})) for area in _areas(by, street_ids)]


def _figures(reports: QuerySet, area_field: str | None) -> dict:
    """area id (None when not grouped) → the counts of ProblemStatistics."""
    time_to_resolve = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    figures = {
        "reported": Count("pk"),
        "open": Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        "in_progress": Count("pk", filter=Q(status=ProblemStatus.IN_PROGRESS)),
        "resolved": Count("pk", filter=Q(status=ProblemStatus.RESOLVED)),
        "closed_not_fixed": Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        "joined_reports": Coalesce(Sum("duplicates_count"), 0),
        "median_time_to_resolve": Median(time_to_resolve, filter=Q(status=ProblemStatus.RESOLVED),
                                         output_field=DurationField()),
    }
    if area_field is None:
        return {None: reports.aggregate(**figures)}
    rows = reports.order_by().values(area_field).annotate(**figures)
    return {row.pop(area_field): row for row in rows}


def _areas(by: str, street_ids):
    model = Street if by == "street" else Community
    areas = model.objects.defer("boundary").order_by("code")
    if street_ids is not None:
        areas = areas.filter(**({"pk__in": street_ids} if by == "street" else {"street__in": street_ids}))
    return areas
