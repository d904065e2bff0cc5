"""Reads about adoptions shared by the adopter's dashboard, the staff queue and the reminders.

Who may see which application is ``registry.access``'s decision (``managed_scope``); this module
only applies it. The asset reads that the map, tiles, pages, API and exports share about
adoption (the current adopter, "looking for an adopter") are here too, written once.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from adoption.models import Adoption, AdoptionStatus
from registry.access import Action, managed_scope, role_allows
from registry.assets import Asset, AssetStatus
from upkeep.models import UpkeepLog


def current_adoptions(on=None) -> QuerySet[Adoption]:
    """Approved adoptions whose period contains ``on`` (today by default)."""
    return Adoption.objects.filter(status=AdoptionStatus.APPROVED, period__contains=on or timezone.localdate())


def adopter_caring_for(user, asset):
    """The adopter under ``user``'s account that currently adopts ``asset``, or None."""
    adoption = current_adoptions().filter(asset=asset, adopter__user=user).select_related("adopter").first()
    return None if adoption is None else adoption.adopter


def with_adoption_state(assets: QuerySet[Asset], on=None) -> QuerySet[Asset]:
    """Annotate ``is_adopted``, ``adopter_name``, ``adopter_kind`` (public fields only) and ``is_pending``."""
    current = current_adoptions(on).filter(asset=OuterRef("pk"))
    # The two flags are uncorrelated ``id IN (…)`` tests: PostgreSQL builds each set once and
    # probes it per row, where a correlated EXISTS runs an index scan per asset — the difference
    # shows in a map tile over thousands of assets.
    adopted_ids = current_adoptions(on).values("asset_id")
    pending_ids = Adoption.objects.filter(status=AdoptionStatus.REQUESTED).values("asset_id")
    return assets.annotate(
        is_adopted=ExpressionWrapper(Q(pk__in=adopted_ids), output_field=BooleanField()),
        adopter_name=Subquery(current.values("adopter__display_name")[:1]),
        adopter_kind=Subquery(current.values("adopter__kind")[:1]),
        is_pending=ExpressionWrapper(Q(pk__in=pending_ids), output_field=BooleanField()),
    )


def looking_for_adopter(assets: QuerySet[Asset], on=None) -> QuerySet[Asset]:
    """Adoptable assets with no current adopter."""
    return assets.filter(is_adoptable=True).exclude(Exists(current_adoptions(on).filter(asset=OuterRef("pk"))))


def past_adoptions(asset, on=None) -> QuerySet[Adoption]:
    """Granted adoptions of ``asset`` that are over (ended, or approved and expired), latest first.

    Loads only the adopter's public fields: contact details never leave the database here.
    """
    today = on or timezone.localdate()
    over = Q(status=AdoptionStatus.ENDED) | Q(status=AdoptionStatus.APPROVED, period__endswith__lte=today)
    return (Adoption.objects.filter(over, asset=asset).select_related("adopter")
            .only("period", "adopter__display_name", "adopter__kind").order_by("-period"))


#: Asset columns a list of adoptions never needs.
HEAVY_ASSET_COLUMNS = ("asset__geometry_webmercator", "asset__location_webmercator")


def adoptions_of(adopter) -> QuerySet[Adoption]:
    """All of ``adopter``'s adoptions and applications with their assets, newest period first."""
    return (Adoption.objects.filter(adopter=adopter).select_related("asset")
            .defer(*HEAVY_ASSET_COLUMNS).order_by("-period", "-created_at"))


@dataclass
class AdoptionGroups:
    """An adopter's adoptions as the dashboard shows them."""

    pending: list = field(default_factory=list)
    current: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    past: list = field(default_factory=list)


def group_adoptions(adoptions, today: datetime.date) -> AdoptionGroups:
    """Pending (requested), current (approved, today inside), upcoming (approved, later), past (the rest)."""
    groups = AdoptionGroups()
    for adoption in adoptions:
        if adoption.status == AdoptionStatus.REQUESTED:
            groups.pending.append(adoption)
        elif adoption.status == AdoptionStatus.APPROVED and adoption.period.lower <= today < adoption.period.upper:
            groups.current.append(adoption)
        elif adoption.status == AdoptionStatus.APPROVED and adoption.period.lower > today:
            groups.upcoming.append(adoption)
        else:
            groups.past.append(adoption)
    return groups


def volunteer_hours(adopter) -> float:
    """Person-hours of care the adopter logged: each log's duration times its number of people."""
    minutes = (UpkeepLog.objects.filter(adopter=adopter, duration_minutes__isnull=False)
               .aggregate(total=Sum(F("duration_minutes") * F("participants")))["total"])
    return round((minutes or 0) / 60, 1)


def may_decide_adoptions(user) -> bool:
    """Whether ``user``'s role decides adoptions at all (where is ``managed_scope``'s answer)."""
    return role_allows(user, Action.DECIDE_ADOPTION)


def decidable_adoptions(user) -> QuerySet[Adoption]:
    """Adoptions of the assets ``user`` decides on (any status); none for roles that do not decide."""
    if not may_decide_adoptions(user):
        return Adoption.objects.none()
    return (Adoption.objects.filter(managed_scope(user, prefix="asset__"))
            .select_related("asset", "adopter").defer(*HEAVY_ASSET_COLUMNS))


def decision_queue(user) -> QuerySet[Adoption]:
    """Applications waiting for ``user``'s decision: requested adoptions of assets they manage, oldest first."""
    return decidable_adoptions(user).filter(status=AdoptionStatus.REQUESTED).order_by("created_at", "pk")


def ending_between(first: datetime.date, last: datetime.date) -> QuerySet[Adoption]:
    """Approved adoptions whose last day falls between ``first`` and ``last`` (inclusive), with no renewal asked.

    A renewal is an application (or approval) by the same adopter for the same asset starting
    the day after: its adopter need not be reminded.
    """
    renewed = Adoption.objects.filter(
        asset=OuterRef("asset"), adopter=OuterRef("adopter"), period__startswith=OuterRef("period__endswith"),
        status__in=[AdoptionStatus.REQUESTED, AdoptionStatus.APPROVED])
    return (Adoption.objects.filter(status=AdoptionStatus.APPROVED,
                                    period__endswith__gt=first, period__endswith__lte=last + datetime.timedelta(days=1))
            .exclude(Exists(renewed)).select_related("asset", "adopter", "adopter__profile"))


def current_with_last_care(today: datetime.date) -> QuerySet[Adoption]:
    """Current approved adoptions that pledged a care interval, annotated with ``last_care`` (a date or None).

    Only the adopter's own logs count: care is what the adopter pledged to do.
    """
    last = (UpkeepLog.objects.filter(asset=OuterRef("asset"), adopter=OuterRef("adopter"))
            .values("asset").annotate(latest=Max("performed_at")).values("latest"))
    return (Adoption.objects.filter(status=AdoptionStatus.APPROVED, period__contains=today,
                                    care_interval_days__gt=0)
            .annotate(last_care=TruncDate(Subquery(last[:1])))
            .select_related("asset", "adopter", "adopter__profile"))


def adoption_counts(streets, column: str = "street") -> dict[int, tuple[int, int]]:
    """Area id (``column``: ``street`` or ``community``) → (assets open to adoption and not retired,
    of which adopted today), for the assets of ``streets``: the staff statistics' and the public
    dashboard's one figure.

    Two grouped counts: the assets, then the adopted ones reached from today's adoptions (a few
    per cent of the assets) rather than one adoption look-up per asset — 0.5 s over a district of
    500,000 assets the other way round (bench/dashboard.py)."""
    assets = Asset.objects.filter(street__in=streets, is_adoptable=True).exclude(status=AssetStatus.RETIRED)
    totals = assets.order_by().values(column).annotate(n=Count("pk")).values_list(column, "n")
    adopted = dict(assets.filter(pk__in=current_adoptions().values("asset_id")).order_by().values(column)
                   .annotate(n=Count("pk")).values_list(column, "n"))
    return {area: (total, adopted.get(area, 0)) for area, total in totals}
