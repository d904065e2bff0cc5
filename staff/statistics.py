"""The rates the district reports, per street or per community: one read for the page and the CSV.

* **upkeep on time**: of the scheduled rounds in the period, the share done within their interval
  of the round before; rounds overdue today count as missed. Read from the roll-up PostgreSQL keeps
  (``upkeep.queries.on_time_from_rollup``, a sum over areas and days) when the user works on every
  asset of the streets, counted from the logs of the assets they work on otherwise (a grid worker:
  ``upkeep.queries.on_time_counts``); the two are equal (tests/upkeep/test_rollup.py);
* **adoptable assets adopted**: of the assets open to adoption (not retired), the share with a
  current adopter today;
* **problems**: reported in the period — open, in progress, resolved, closed without a fix — and
  the median time from report to resolution (``problems.queries.problem_statistics``).

Every figure is computed in SQL, grouped by area; nothing is counted in Python loops.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from adoption.queries import adoption_counts
from problems.queries import problem_statistics
from registry.access import managed_scope, manages_whole_streets
from registry.assets import Asset
from registry.geography import Community, Street
from upkeep.queries import OnTimeCounts, on_time_counts, on_time_from_rollup


@dataclass
class AreaStatistics:
    area: Street | Community
    upkeep: OnTimeCounts
    adoptable: int = 0
    adopted: int = 0
    problems: object | None = None  # problems.queries.ProblemStatistics

    @property
    def adoption_rate(self) -> float | None:
        return self.adopted / self.adoptable if self.adoptable else None


def _problem_figures(streets, by: str, since: datetime.datetime) -> dict:
    return {row.area.pk: row for row in problem_statistics(streets, by=by, since=since)}


def area_statistics(user, streets, *, by: str = "street", days: int = 90,
                    today: datetime.date | None = None) -> list[AreaStatistics]:
    """One row per street (``by="street"``) or per community of ``streets`` (``by="community"``).

    ``streets`` must already be limited to what ``user`` may see; upkeep counts are further
    limited to the assets ``user`` works on (``managed_scope``).
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    streets = list(streets)
    column = "street" if by == "street" else "community"
    if manages_whole_streets(user, [street.pk for street in streets]):
        upkeep = on_time_from_rollup(streets, group_by=by, since=since, today=today)
    else:
        upkeep = on_time_counts(Asset.objects.filter(managed_scope(user), street__in=streets), group_by=by,
                                since=since, today=today)
    adoption = adoption_counts(streets, column)
    problems = _problem_figures(streets, by, since_at)
    if by == "street":
        areas = sorted(streets, key=lambda street: street.code)
    else:
        areas = list(Community.objects.filter(street__in=streets).defer("boundary").order_by("code"))
    return [AreaStatistics(area=area, upkeep=upkeep.get(area.pk, OnTimeCounts(area.pk, 0, 0, 0)),
                           adoptable=adoption.get(area.pk, (0, 0))[0], adopted=adoption.get(area.pk, (0, 0))[1],
                           problems=problems.get(area.pk))
            for area in areas]
