"""The programme's figures, computed in SQL: the funnel, in service, under construction, cohorts by
year of application, days between stages (median and 90th percentile), the custody-mode mix.

Which retrofits count: those whose application was accepted within the period (``start`` to
``end``, both days included; all time when not given), in the street when one is given. Each is
counted at the stage it had reached by the period's end. "Under construction" is the district's
own figure: a planning permit and not yet in service.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from elevators.models import PREDECESSOR, STAGE_ORDER, ProgrammeStage

#: The first day of the programme (August 2017): "all time" starts here.
PROGRAMME_START = datetime.date(2017, 8, 1)

# The first date each retrofit of the street reached each stage by the period's end, and those
# whose application was accepted in the period (the cohort). ``%(street)s`` is NULL for the district.
COHORT = """
WITH reached AS (
    SELECT event.retrofit_id, event.stage, min(event.happened_on) AS reached_on
    FROM elevators_stageevent event
    JOIN registry_asset asset ON asset.id = event.retrofit_id
    WHERE event.happened_on <= %(end)s AND (%(street)s::bigint IS NULL OR asset.street_id = %(street)s::bigint)
    GROUP BY event.retrofit_id, event.stage
),
cohort AS (
    SELECT retrofit_id, reached_on AS applied_on FROM reached
    WHERE stage = 'accepted' AND reached_on >= %(start)s
),
current AS (
    SELECT DISTINCT ON (event.retrofit_id) event.retrofit_id, event.stage
    FROM elevators_stageevent event JOIN cohort USING (retrofit_id)
    WHERE event.happened_on <= %(end)s
    ORDER BY event.retrofit_id, event.happened_on DESC, event.id DESC
)
"""

BY_STAGE = COHORT + "SELECT stage, count(*) FROM current GROUP BY stage"

UNDER_CONSTRUCTION = COHORT + """
SELECT count(*) FROM cohort
WHERE EXISTS (SELECT 1 FROM reached WHERE reached.retrofit_id = cohort.retrofit_id AND stage = 'planning_permit')
  AND NOT EXISTS (SELECT 1 FROM reached WHERE reached.retrofit_id = cohort.retrofit_id AND stage = 'in_service')
"""

COHORTS = COHORT + """
SELECT extract(year FROM cohort.applied_on)::int AS year, count(*) AS total,
       count(*) FILTER (WHERE current.stage = 'in_service') AS in_service
FROM cohort JOIN current USING (retrofit_id)
GROUP BY 1 ORDER BY 1
"""

# Days from reaching a stage's predecessor to reaching it, per stage, over the cohort.
DAYS_BETWEEN = COHORT + """
, steps(from_stage, to_stage) AS (VALUES {steps})
SELECT steps.to_stage,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY later.reached_on - earlier.reached_on),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY later.reached_on - earlier.reached_on)
FROM steps
JOIN reached earlier ON earlier.stage = steps.from_stage
JOIN reached later ON later.stage = steps.to_stage AND later.retrofit_id = earlier.retrofit_id
JOIN cohort ON cohort.retrofit_id = earlier.retrofit_id
GROUP BY steps.to_stage
"""

CUSTODY_MODES = COHORT + """
SELECT retrofit.custody_mode, count(*) FROM cohort
JOIN retrofits_elevatorretrofit retrofit ON retrofit.asset_ptr_id = cohort.retrofit_id
WHERE retrofit.custody_mode <> ''
GROUP BY 1
"""


@dataclass(frozen=True)
class Period:
    start: datetime.date = PROGRAMME_START
    end: datetime.date | None = None
    street_id: int | None = None

    def params(self) -> dict:
        return {"start": self.start, "end": self.end or timezone.localdate(), "street": self.street_id}


def _steps_values() -> str:
    """Each stage with the one recorded before it (registration may be skipped: service counts from acceptance)."""
    return ", ".join(f"('{before}', '{stage}')" for stage, before in PREDECESSOR.items())


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def programme_figures(period: Period = Period()) -> dict:
    """The figures as the API and the staff page give them (stage keys in programme order)."""
    params = period.params()
    by_stage = dict.fromkeys(STAGE_ORDER, 0) | dict(_rows(BY_STAGE, params))
    days = {stage: (median, p90) for stage, median, p90 in _rows(DAYS_BETWEEN.format(steps=_steps_values()), params)}
    return {
        "total": sum(by_stage.values()),
        "in_service": by_stage[ProgrammeStage.IN_SERVICE],
        "under_construction": _rows(UNDER_CONSTRUCTION, params)[0][0],
        "by_stage": by_stage,
        "median_days": {stage: _days(days.get(stage, (None, None))[0]) for stage in STAGE_ORDER[1:]},
        "p90_days": {stage: _days(days.get(stage, (None, None))[1]) for stage in STAGE_ORDER[1:]},
        "cohorts": {str(year): {"total": total, "in_service": in_service}
                    for year, total, in_service in _rows(COHORTS, params)},
        "custody_modes": dict(_rows(CUSTODY_MODES, params)),
    }


def _days(value) -> float | None:
    return None if value is None else round(float(value), 1)
