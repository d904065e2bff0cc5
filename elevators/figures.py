"""The programme's figures, computed in SQL: the funnel, in service, under construction, cohorts by
year of application, days between stages (median and 90th percentile), the custody-mode mix.

Which retrofits count: those whose application was accepted within the period (``start`` to
``end``, both days included; from the programme's start when not given), in the street when one
is given. Each is counted at the furthest stage it had reached by the period's end. "Under
construction" is the district's own figure: a planning permit and not yet in service. The days
to a stage are counted from its predecessor (registration may be skipped: service counts from
acceptance).

One statement over ``elevators_retrofitprogress`` (a row of stage dates per retrofit, kept by
a trigger on the stage events), not over every event: bench/retrofit_figures.py measures it.
"""

import json

from django.db import connection
from django.utils import timezone

from elevators.models import PREDECESSOR, STAGE_ORDER
from elevators.period import PROGRAMME_START, Period  # noqa: F401 (also imported from here)
from elevators.service import service_rows

# ``counted`` is inlined into each of the three parts (NOT MATERIALIZED): three scans of the narrow
# progress rows cost less than writing 100,000 rows to a temporary store and reading them back.
# The custody mode and the street are copied into the progress rows by triggers (migrations 0005
# and 0006), so neither the retrofit nor the (wide) asset rows are read; for the district (street
# NULL) PostgreSQL folds the street condition away.
FIGURES = """
WITH counted AS NOT MATERIALIZED (
    SELECT progress.*,
           CASE WHEN in_service_on <= %(end)s THEN 'in_service'
                WHEN registration_on <= %(end)s THEN 'registration'
                WHEN acceptance_on <= %(end)s THEN 'acceptance'
                WHEN construction_on <= %(end)s THEN 'construction'
                WHEN planning_permit_on <= %(end)s THEN 'planning_permit'
                WHEN consent_on <= %(end)s THEN 'consent'
                ELSE 'accepted' END AS stage_now
    FROM elevators_retrofitprogress progress
    WHERE progress.accepted_on BETWEEN %(start)s AND %(end)s
      AND (%(street)s::bigint IS NULL OR progress.street_id = %(street)s::bigint)
)
SELECT
    (SELECT row_to_json(totals) FROM (
        SELECT count(*) AS total,
               count(*) FILTER (WHERE planning_permit_on <= %(end)s
                                AND NOT coalesce(in_service_on <= %(end)s, false)) AS under_construction,
{by_stage},
{days}
        FROM counted) totals),
    (SELECT coalesce(json_object_agg(year, json_build_object('total', total, 'in_service', in_service)
                                     ORDER BY year), '{{}}')
     FROM (SELECT extract(year FROM accepted_on)::int AS year, count(*) AS total,
                  count(*) FILTER (WHERE stage_now = 'in_service') AS in_service
           FROM counted GROUP BY 1) cohorts),
    (SELECT coalesce(json_object_agg(custody_mode, n), '{{}}')
     FROM (SELECT custody_mode, count(*) AS n FROM counted WHERE custody_mode <> '' GROUP BY 1) modes)
""".format(
    by_stage=",\n".join(f"               count(*) FILTER (WHERE stage_now = '{stage}') AS at_{stage}"
                        for stage in STAGE_ORDER),
    days=",\n".join(f"               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {stage}_on - {before}_on)\n"
                    f"                   FILTER (WHERE {stage}_on <= %(end)s AND {before}_on IS NOT NULL) AS days_{stage}"
                    for stage, before in PREDECESSOR.items()),
)


def programme_figures(period: Period = Period()) -> dict:
    """The figures as the API and the staff page give them (stage keys in programme order)."""
    with connection.cursor() as cursor:
        cursor.execute(FIGURES, period.params())
        totals, cohorts, modes = cursor.fetchone()
    totals, cohorts, modes = (value if isinstance(value, dict) else json.loads(value)
                              for value in (totals, cohorts, modes))
    by_stage = {stage: totals[f"at_{stage}"] for stage in STAGE_ORDER}
    days = {stage: totals[f"days_{stage}"] or [None, None] for stage in STAGE_ORDER[1:]}
    return {
        "total": totals["total"],
        "in_service": by_stage["in_service"],
        "under_construction": totals["under_construction"],
        "by_stage": by_stage,
        "median_days": {stage: _days(median) for stage, (median, _p90) in days.items()},
        "p90_days": {stage: _days(p90) for stage, (_median, p90) in days.items()},
        "cohorts": {str(year): counts for year, counts in cohorts.items()},
        "custody_modes": modes,
    }


def _days(value) -> float | None:
    return None if value is None else round(float(value), 1)


def elevators_figures(*, street=None, community=None, date_from=None, date_to=None) -> dict:
    """Exactly the JSON of ``GET /api/v1/retrofits/figures/`` (the programme's figures with the
    maintenance and fault figures of ``elevators.service``), for the API and the public dashboard.

    ``street``: a Street or None (the district). The programme counts by street: ``community`` is
    accepted for the dashboard's common signature and narrows nothing. ``date_from``/``date_to``:
    applications accepted in that period, both days included (from the programme's start, to today).
    """
    start = date_from or PROGRAMME_START
    period = Period(start=start, end=date_to, street_id=street.pk if street else None)
    service = service_rows(period)[0]
    compliance = service.maintenance_compliance
    return {
        **programme_figures(period),
        "maintenance_compliance": None if compliance is None else round(compliance, 4),
        "faults_per_100": service.faults_per_100, "median_hours_to_fix": service.median_hours_to_fix,
        "street": street.code if street else None, "from": start.isoformat(),
        "to": (date_to or timezone.localdate()).isoformat(),
    }
