"""Reads of the elevator programme: the green-channel queue and a retrofit's stage history."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from elevators.models import ProgrammeStage, StageEvent
from registry.access import managed_scope
from retrofits.models import ElevatorRetrofit

# Each retrofit's latest stage event, how long it has waited since, and its stage's target
# (``%(targets)s`` is a VALUES list from settings.ELEVATOR_STAGE_TARGET_DAYS); only those past
# their target, priority cases first, then the longest overdue.
WAITING = """
WITH targets(stage, days) AS (VALUES {targets}),
latest AS (
    SELECT DISTINCT ON (event.retrofit_id) event.retrofit_id, event.stage, event.happened_on
    FROM elevators_stageevent event
    WHERE event.retrofit_id = ANY(%(ids)s)
    ORDER BY event.retrofit_id, event.happened_on DESC, event.id DESC
)
SELECT latest.retrofit_id, latest.stage, latest.happened_on, %(today)s - latest.happened_on AS waited,
       targets.days AS target
FROM latest JOIN targets USING (stage)
JOIN retrofits_elevatorretrofit retrofit ON retrofit.asset_ptr_id = latest.retrofit_id
WHERE %(today)s - latest.happened_on > targets.days
ORDER BY retrofit.is_priority DESC, (%(today)s - latest.happened_on) - targets.days DESC, latest.retrofit_id
"""


@dataclass(frozen=True)
class Waiting:
    retrofit: ElevatorRetrofit
    stage: str
    since: datetime.date
    waited_days: int
    target_days: int

    @property
    def overdue_days(self) -> int:
        return self.waited_days - self.target_days

    @property
    def stage_label(self) -> str:
        return ProgrammeStage(self.stage).label


def green_channel_queue(user, *, street=None, today: datetime.date | None = None) -> list[Waiting]:
    """Retrofits ``user`` works on (in ``street`` if given) waiting longer than their stage's target."""
    retrofits = ElevatorRetrofit.objects.filter(managed_scope(user))
    if street is not None:
        retrofits = retrofits.filter(street=street)
    ids = list(retrofits.values_list("pk", flat=True))
    targets = ", ".join(f"('{stage}', {int(days)})" for stage, days in settings.ELEVATOR_STAGE_TARGET_DAYS.items())
    with connection.cursor() as cursor:
        cursor.execute(WAITING.format(targets=targets), {"ids": ids, "today": today or timezone.localdate()})
        rows = cursor.fetchall()
    by_pk = ElevatorRetrofit.objects.select_related("street").defer(
        "geometry_webmercator", "location_webmercator").in_bulk([row[0] for row in rows])
    return [Waiting(by_pk[pk], stage, since, waited, target) for pk, stage, since, waited, target in rows]


def stage_history(retrofit) -> list[StageEvent]:
    return list(StageEvent.objects.filter(retrofit=retrofit).select_related("recorded_by").order_by("happened_on", "id"))
