"""Every figure of the dashboard for one area and period, as the JSON of /dashboard.json.

The district's own figures give the same numbers as the staff statistics (``staff/statistics.py``)
for the same street and period: upkeep on time from the roll-up PostgreSQL keeps
(``upkeep.queries.on_time_from_rollup``, equal to the statistics' ``on_time_counts``), and the
same reads for adoptable assets adopted (``adoption.queries.adoption_counts``) and problems
(``problems.queries.problem_statistics``). The rest is ``public.dashboard.sql``.
Each programme is one entry of :data:`PROGRAMMES`: its key in the JSON and its figures function
(``<app>.figures.<app>_figures``, returning exactly its figures API endpoint's JSON). A programme
that lands adds one line there.
"""

import datetime
import json

from django.conf import settings
from django.db import connection
from django.utils import timezone

from adoption.queries import adoption_counts
from consultation.figures import consultation_figures
from elevators.figures import elevators_figures
from problems.queries import problem_statistics
from projects.figures import projects_figures
from public.dashboard import sql
from public.dashboard.params import DashboardParams
from registry.geography import Street
from safety.figures import safety_figures
from upkeep.queries import on_time_from_rollup

#: (key in the JSON, figures function): one entry per programme, in the order the page shows them.
PROGRAMMES = [
    ("projects", projects_figures),
    ("consultation", consultation_figures),
    ("elevators", elevators_figures),
    ("safety", safety_figures),
]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _area(params: DashboardParams):
    """(streets to count, the area column, the area id or None for all of them)."""
    if params.community is not None:
        return [params.street], "community", params.community.pk
    if params.street is not None:
        return [params.street], "street", params.street.pk
    return list(Street.objects.defer("boundary")), "street", None


def _pick(by_area: dict, area_id, add, empty):
    if area_id is not None:
        return by_area.get(area_id, empty)
    total = empty
    for value in by_area.values():
        total = add(total, value)
    return total


def _upkeep(params, streets, column, area_id) -> dict:
    return _on_time(on_time_from_rollup(streets, group_by=column, since=params.date_from, today=params.date_to),
                    area_id)


def _on_time(counts: dict, area_id) -> dict:
    """The upkeep figures of the area ``area_id`` (or of them all) from on-time counts per area."""
    on_time, late, overdue = _pick({key: (c.on_time, c.late, c.overdue) for key, c in counts.items()}, area_id,
                                   lambda a, b: tuple(x + y for x, y in zip(a, b)), (0, 0, 0))
    return {"on_time": on_time, "late": late, "overdue": overdue,
            "on_time_rate": _rate(on_time, on_time + late + overdue)}


def _adoption(streets, column, area_id) -> dict:
    adoptable, adopted = _pick(adoption_counts(streets, column), area_id,
                               lambda a, b: (a[0] + b[0], a[1] + b[1]), (0, 0))
    return {"adoptable": adoptable, "adopted": adopted, "looking_for_adopter": adoptable - adopted,
            "adoption_rate": _rate(adopted, adoptable)}


def _problems(params, streets, column, area_id) -> dict:
    since, until = _start_of(params.date_from), _start_of(params.date_to + datetime.timedelta(days=1))
    # The district is every street: its reports need no look-up of their assets' street.
    rows = problem_statistics(streets if area_id is not None else None, by=column if area_id is not None else "all",
                              since=since, until=until)
    row = next((r for r in rows if r.area is None or r.area.pk == area_id), None)
    median = row.median_time_to_resolve if row else None
    return {"reported": row.reported, "open": row.open, "in_progress": row.in_progress,
            "resolved": row.resolved, "closed_not_fixed": row.closed_not_fixed,
            "resolution_rate": _rate(row.resolved, row.reported),
            "median_hours_to_resolve": None if median is None else round(median.total_seconds() / 3600, 1)}


def _months(params) -> list[str]:
    months, day = [], params.date_from.replace(day=1)
    while day <= params.date_to:
        months.append(f"{day:%Y-%m}")
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _own_figures(params) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql.FIGURES, {
            "street": params.street.pk if params.street else None,
            "community": params.community.pk if params.community else None,
            "everywhere": params.street is None and params.community is None,
            "since": _start_of(params.date_from), "until": _start_of(params.date_to + datetime.timedelta(days=1)),
            "first_day": params.date_from, "last_day": params.date_to,
            "today": timezone.localdate(), "tz": settings.TIME_ZONE})
        return tuple(value if not isinstance(value, str) else json.loads(value) for value in cursor.fetchone())


def compute_figures(params: DashboardParams) -> dict:
    """The dashboard's JSON (docs/dashboard.md lists its keys), computed now (no cache)."""
    streets, column, area_id = _area(params)
    by_kind, adopters, hours, upkeep_months, problem_months = _own_figures(params)
    months = _months(params)
    figures = {
        "street": params.street.code if params.street else None,
        "community": params.community.code if params.community else None,
        "from": params.date_from.isoformat(), "to": params.date_to.isoformat(),
        "assets": {"total": sum(by_kind.values()), "by_kind": dict(sorted(by_kind.items()))},
        "adoption": {**_adoption(streets, column, area_id),
                     "active_adopters_by_kind": dict(sorted(adopters.items())),
                     "volunteer_hours": round(float(hours), 1)},
        "upkeep": {**_upkeep(params, streets, column, area_id),
                   "by_month": {month: upkeep_months.get(month, 0) for month in months}},
        "problems": {**_problems(params, streets, column, area_id),
                     "by_month": {month: problem_months.get(month, 0) for month in months}},
    }
    for key, programme_figures in PROGRAMMES:
        figures[key] = programme_figures(street=params.street, community=params.community,
                                         date_from=params.date_from, date_to=params.date_to)
    return figures
