"""How often each kind of asset needs each upkeep round, by default.

The defaults live in code, not in table rows: they are the district's standing rules (and, for
elevators, the national one), the same in every database, and need no data migration or
demo step to exist. An asset's own interval is an :class:`~upkeep.models.UpkeepSchedule`
row, which wins over the default for that asset and action (or switches the round off).

Schedules apply to assets **in use**; planned, retired and under-renovation assets owe no
rounds. Elevator rounds apply only once the retrofit is **in service**.
"""

import datetime
from dataclasses import dataclass

from registry.assets import AssetKind
from upkeep.models import UpkeepAction as Action

#: Guangzhou's hot season, when plants need water more often: May to October inclusive.
SUMMER_MONTHS = frozenset(range(5, 11))


@dataclass(frozen=True)
class DefaultSchedule:
    kind: str
    action: str
    interval_days: int
    #: The interval from May to October, when it differs.
    summer_interval_days: int | None = None
    #: Only for elevator retrofits whose stage is "in service".
    in_service_only: bool = False


DEFAULT_SCHEDULES: tuple[DefaultSchedule, ...] = (
    # Plots and gardens: water every 3 days in the hot season, weekly otherwise.
    DefaultSchedule(AssetKind.GREEN_PLOT, Action.WATERING, 7, 3),
    DefaultSchedule(AssetKind.GREEN_PLOT, Action.WEEDING, 30),
    DefaultSchedule(AssetKind.GREEN_PLOT, Action.PRUNING, 60),
    DefaultSchedule(AssetKind.GARDEN, Action.WATERING, 7, 3),
    DefaultSchedule(AssetKind.GARDEN, Action.CLEANING, 14),
    DefaultSchedule(AssetKind.GARDEN, Action.WEEDING, 30),
    DefaultSchedule(AssetKind.GARDEN, Action.PRUNING, 30),
    DefaultSchedule(AssetKind.PAINTED_BOX, Action.INSPECTION, 90),
    DefaultSchedule(AssetKind.MURAL, Action.INSPECTION, 90),
    DefaultSchedule(AssetKind.HERITAGE, Action.INSPECTION, 30),
    DefaultSchedule(AssetKind.HERITAGE, Action.SAFETY_CHECK, 90),
    # TSG T5002: maintenance at least every 15 days, and an inspection every year.
    DefaultSchedule(AssetKind.ELEVATOR, Action.ELEVATOR_MAINTENANCE, 15, in_service_only=True),
    DefaultSchedule(AssetKind.ELEVATOR, Action.ANNUAL_INSPECTION, 365, in_service_only=True),
)


def in_summer(day: datetime.date) -> bool:
    return day.month in SUMMER_MONTHS


def defaults_values_sql() -> tuple[str, list]:
    """The defaults as a SQL ``VALUES`` list with its parameters, for the schedule queries' CTE."""
    rows = ", ".join(["(%s, %s, %s::integer, %s::integer, %s)"] * len(DEFAULT_SCHEDULES))
    params = [value for d in DEFAULT_SCHEDULES
              for value in (d.kind, d.action, d.interval_days, d.summer_interval_days, d.in_service_only)]
    return f"VALUES {rows}", params
