"""Reads for the staff's care work: assets near a point, rounds due and overdue, on-time counts.

Which assets a query looks at is always a queryset the caller built from ``registry.access``
(``managed_scope``), compiled by Django into the SQL below, so no scope rule is written twice.
The SQL lives in :mod:`upkeep.sql`, commented.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import F, FloatField, Func, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone

from registry.access import managed_scope
from registry.assets import Asset, AssetStatus
from upkeep import rollup, sql
from upkeep.models import UpkeepAction, UpkeepLog
from upkeep.schedules import SUMMER_MONTHS, defaults_values_sql, in_summer

#: KNN candidates fetched by the index before the exact (spheroid) re-sort: ``<->`` on EPSG:4326
#: compares degrees, and a degree of longitude is shorter than one of latitude at 23° N.
KNN_CANDIDATES = 60


class KnnDistance(Func):
    """``a <-> b``: PostGIS's index-assisted distance operator, for ORDER BY … LIMIT."""

    arg_joiner = " <-> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def nearest_assets(user, point: Point, limit: int = 20) -> list[Asset]:
    """The ``limit`` assets ``user`` works on nearest to ``point``, each with ``distance_m``.

    Ordered first by the GiST index (KNN ``<->`` on the representative point), then by the true
    distance in metres among the candidates.
    """
    target = Value(Point(point.x, point.y, srid=4326), output_field=PointField(srid=4326))
    candidates = (Asset.objects.filter(managed_scope(user))
                  .only("name_zh", "name_en", "kind", "address", "status", "location")
                  .annotate(distance=Distance("location", target))
                  .order_by(KnnDistance(F("location"), target))[:max(limit, KNN_CANDIDATES)])
    for asset in candidates:
        asset.distance_m = asset.distance.m
    return sorted(candidates, key=lambda asset: asset.distance_m)[:limit]


@dataclass(frozen=True)
class UpkeepRound:
    """One scheduled round of one action on one asset: when it was last done and when it falls due."""

    asset_id: int
    action: str
    interval_days: int
    last_done_at: datetime.datetime | None
    due_on: datetime.date
    days_overdue: int

    @property
    def action_label(self) -> str:
        return UpkeepAction(self.action).label

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0


def _compiled(assets: QuerySet, area: str = "street") -> tuple[str, tuple]:
    """``assets`` in use as SQL yielding (id, kind, created_at, area id), for ``sql.OWED``'s ``chosen``."""
    chosen = assets.filter(status=AssetStatus.IN_USE).order_by()
    return chosen.values_list("pk", "kind", "created_at", area).query.sql_with_params()


def upkeep_rounds(assets: QuerySet, *, today: datetime.date | None = None, only_overdue: bool = False,
                  limit: int | None = None) -> list[UpkeepRound]:
    """The scheduled rounds of ``assets`` (a scoped Asset queryset), most overdue first.

    ``only_overdue`` keeps those whose due day is before ``today``: the overdue queue.
    """
    today = today or timezone.localdate()
    asset_sql, asset_params = _compiled(assets)
    defaults_sql, defaults_params = defaults_values_sql()
    statement = sql.UPKEEP_ROUNDS.format(defaults=defaults_sql, assets=asset_sql,
                                         overdue_only="AND r.due_on < %s" if only_overdue else "",
                                         limit="LIMIT %s" if limit else "")
    tz = settings.TIME_ZONE
    params = [*defaults_params, *asset_params, in_summer(today), tz, tz, in_summer(today), today]
    if only_overdue:
        params.append(today)
    if limit:
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [UpkeepRound(*row) for row in cursor.fetchall()]


def overdue_upkeep(assets: QuerySet, *, today: datetime.date | None = None, limit: int | None = None):
    """The overdue queue of ``assets`` (e.g. one street's, in the user's scope): most overdue first."""
    return upkeep_rounds(assets, today=today, only_overdue=True, limit=limit)


@dataclass(frozen=True)
class OnTimeCounts:
    """Rounds in a period per area: done on time, done late, and owed now but overdue."""

    area_id: int
    on_time: int
    late: int
    overdue: int

    @property
    def rate(self) -> float | None:
        total = self.on_time + self.late + self.overdue
        return self.on_time / total if total else None


#: The areas an on-time count may be grouped by.
AREA_COLUMNS = ("street", "community")


def on_time_counts(assets: QuerySet, *, group_by: str, since: datetime.date,
                   today: datetime.date | None = None) -> dict[int, OnTimeCounts]:
    """Per street or community (``group_by``) of ``assets``: rounds logged since ``since`` that came
    within their interval of the previous round (on time) or not (late), plus rounds overdue today.
    """
    today = today or timezone.localdate()
    if group_by not in AREA_COLUMNS:
        raise ValueError(f"group_by must be one of {', '.join(AREA_COLUMNS)}")
    asset_sql, asset_params = _compiled(assets, group_by)
    defaults_sql, defaults_params = defaults_values_sql()
    statement = sql.ON_TIME.format(defaults=defaults_sql, assets=asset_sql)
    tz = settings.TIME_ZONE
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    params = [*defaults_params, *asset_params, tz, tz, tz, sorted(SUMMER_MONTHS), since_at,
              tz, tz, in_summer(today), today]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {row[0]: OnTimeCounts(*row) for row in cursor.fetchall() if row[0] is not None}


def on_time_from_rollup(streets, *, group_by: str, since: datetime.date,
                        today: datetime.date | None = None) -> dict[int, OnTimeCounts]:
    """:func:`on_time_counts` for **all** the assets of ``streets`` (Street objects or ids), read from
    the roll-up PostgreSQL keeps (``upkeep.rollup``): a sum over areas and days, whatever the
    number of logs. The public dashboard's figure; equal to ``on_time_counts`` (tests/upkeep/test_rollup.py).
    """
    today = today or timezone.localdate()
    if group_by not in AREA_COLUMNS:
        raise ValueError(f"group_by must be one of {', '.join(AREA_COLUMNS)}")
    street_ids = [getattr(street, "pk", street) for street in streets]
    statement = rollup.ON_TIME_SUMS.format(area=f"{group_by}_id")
    with connection.cursor() as cursor:
        cursor.execute(statement, [street_ids, since, street_ids, in_summer(today), today])
        return {row[0]: OnTimeCounts(*row) for row in cursor.fetchall() if row[0]}


def staff_recent_logs(asset, limit: int = 10) -> QuerySet[UpkeepLog]:
    """The latest logs of ``asset`` for the staff workbench (who logged them is shown to staff)."""
    return (UpkeepLog.objects.filter(asset=asset).select_related("staff", "adopter")
            .only("performed_at", "action", "notes", "duration_minutes", "participants", "created_at", "recorded_at",
                  "staff_id", "staff__username", "staff__first_name", "staff__last_name",
                  "adopter__display_name", "asset_id")[:limit])


def recent_upkeep(asset, limit=10) -> QuerySet[UpkeepLog]:
    """The latest upkeep of ``asset``: when, what, and the adopter's public name (no staff member is loaded)."""
    return (UpkeepLog.objects.filter(asset=asset).select_related("adopter")
            .only("performed_at", "action", "adopter__display_name")[:limit])


#: The most assets the offline workbench keeps on the phone (the nearest street's worth; docs/offline.md).
OFFLINE_ASSET_LIMIT = 5000


def offline_assets(user, limit: int = OFFLINE_ASSET_LIMIT) -> QuerySet[Asset]:
    """The assets ``user`` works on, for the offline workbench's list: name, kind, position and the
    latest upkeep (``last_performed_at``, ``last_action``), one query with two correlated look-ups
    on the ``upkeep_asset_recent`` index."""
    latest = UpkeepLog.objects.filter(asset=OuterRef("pk")).order_by("-performed_at")
    return (Asset.objects.filter(managed_scope(user)).only("name_zh", "name_en", "kind", "location")
            .annotate(last_performed_at=Subquery(latest.values("performed_at")[:1]),
                      last_action=Subquery(latest.values("action")[:1]))
            .order_by("name_zh", "pk")[:limit])
