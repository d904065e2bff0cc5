"""The SITE loop's evaluation indicators, computed in one SQL statement.

``safety_figures(street=…, community=…, date_from=…, date_to=…)`` returns exactly the JSON of the
API's ``/api/v1/safety/figures/`` (and of the public dashboard's safety part): for the risks found
in the period (local days, both included; open-ended when a date is not given) in the street or
community (the district when neither):

* ``risks_found`` / ``risks_removed`` — counts by severity and in total (removed: removed within the
  period, whenever found);
* ``median_hours_to_remove`` — by severity, over the risks removed within the period (null when none);
* ``open_risks`` — found by the period's end and neither removed nor accepted by then;
* ``overdue_interventions`` — interventions due within the period not done by their deadline (closed
  late, or still planned past it; cancelled ones do not count);
* ``rounds`` — inspection rounds due within the period: ``due``, ``done`` and ``on_time`` (done on or
  before the due day);
* ``ambassadors`` — ``trained``: active ambassadors with a training by the period's end; ``active``:
  those of them who reported a risk or attended a training within the period.

The days are the district's (``TIME_ZONE``), not UTC's.
"""

import datetime
import json

from django.conf import settings
from django.db import connection
from django.utils import timezone

SEVERITIES = ("high", "medium", "low")

# Each part reads one table, filtered by the same area and period conditions. ``area`` is written
# once and formatted into each part with the table's alias; NULL parameters switch a condition off.
AREA = ("(%(street)s::bigint IS NULL OR {t}.street_id = %(street)s::bigint) "
        "AND (%(community)s::bigint IS NULL OR {t}.community_id = %(community)s::bigint)")

FIGURES = """
WITH risk AS (
    SELECT r.severity,
           (r.found_at AT TIME ZONE %(tz)s)::date AS found_on,
           (r.removed_at AT TIME ZONE %(tz)s)::date AS removed_on,
           extract(epoch FROM r.removed_at - r.found_at) / 3600.0 AS hours_to_remove,
           r.status
    FROM safety_risk r
    WHERE {risk_area}
)
SELECT json_build_object(
    -- Risks found within the period, by severity.
    'found', (SELECT json_build_object('high', count(*) FILTER (WHERE severity = 'high'),
                                       'medium', count(*) FILTER (WHERE severity = 'medium'),
                                       'low', count(*) FILTER (WHERE severity = 'low'),
                                       'total', count(*))
              FROM risk WHERE found_on BETWEEN %(start)s AND %(end)s),
    -- Risks removed within the period (whenever found), and the median hours it took, by severity.
    'removed', (SELECT json_build_object('high', count(*) FILTER (WHERE severity = 'high'),
                                         'medium', count(*) FILTER (WHERE severity = 'medium'),
                                         'low', count(*) FILTER (WHERE severity = 'low'),
                                         'total', count(*),
                                         'median_high', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_to_remove)
                                                        FILTER (WHERE severity = 'high'),
                                         'median_medium', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_to_remove)
                                                          FILTER (WHERE severity = 'medium'),
                                         'median_low', percentile_cont(0.5) WITHIN GROUP (ORDER BY hours_to_remove)
                                                       FILTER (WHERE severity = 'low'))
                FROM risk WHERE removed_on BETWEEN %(start)s AND %(end)s),
    -- Still open at the period's end: found by then, not removed by then, not accepted.
    'open', (SELECT count(*) FROM risk
             WHERE found_on <= %(end)s AND status <> 'accepted'
               AND (removed_on IS NULL OR removed_on > %(end)s)),
    -- Interventions due within the period that missed their deadline (closed late, or still open
    -- past it as of now); cancelled ones do not count.
    'overdue', (SELECT count(*) FROM safety_intervention i JOIN safety_risk r ON r.id = i.risk_id
                WHERE {risk_area}
                  AND (i.deadline AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s
                  AND ((i.status = 'planned' AND i.deadline < now())
                       OR (i.status = 'done' AND i.closed_at > i.deadline))),
    -- Rounds due within the period: done at all, and done on or before their due day.
    'rounds', (SELECT json_build_object(
                   'due', count(*),
                   'done', count(*) FILTER (WHERE s.done_at IS NOT NULL),
                   'on_time', count(*) FILTER (WHERE (s.done_at AT TIME ZONE %(tz)s)::date <= s.due_on))
               FROM safety_safetyround s
               WHERE {round_area} AND s.due_on BETWEEN %(start)s AND %(end)s),
    -- Ambassadors: trained by the period's end; active = reported a risk or attended a training in it.
    'ambassadors', (SELECT json_build_object('trained', count(*), 'active', count(*) FILTER (WHERE active))
                    FROM (SELECT a.id,
                                 EXISTS (SELECT 1 FROM safety_risk r
                                         WHERE r.ambassador_id = a.id
                                           AND (r.found_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s)
                                 OR bool_or(t.date >= %(start)s) AS active
                          FROM safety_ambassador a
                          JOIN safety_training_attendees ta ON ta.ambassador_id = a.id
                          JOIN safety_training t ON t.id = ta.training_id AND t.date <= %(end)s
                          WHERE a.is_active AND {ambassador_area}
                          GROUP BY a.id) trained)
)
""".format(risk_area=AREA.format(t="r"), round_area=AREA.format(t="s"), ambassador_area=AREA.format(t="a"))

#: The open ends of a period when no date is given.
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(9999, 12, 31)


def safety_figures(*, street=None, community=None, date_from: datetime.date | None = None,
                   date_to: datetime.date | None = None) -> dict:
    """The SITE indicators of the street or community (the district when neither) over the period."""
    params = {"street": getattr(street, "pk", None), "community": getattr(community, "pk", None),
              "start": date_from or EARLIEST, "end": date_to or LATEST, "tz": settings.TIME_ZONE}
    with connection.cursor() as cursor:
        cursor.execute(FIGURES, params)
        (row,) = cursor.fetchone()
    row = row if isinstance(row, dict) else json.loads(row)
    removed, rounds = row["removed"], row["rounds"]
    return {
        "period": {"from": date_from.isoformat() if date_from else None,
                   "to": date_to.isoformat() if date_to else None},
        "street": getattr(street, "code", None),
        "community": getattr(community, "code", None),
        "risks_found": row["found"],
        "risks_removed": {key: removed[key] for key in (*SEVERITIES, "total")},
        "median_hours_to_remove": {severity: _hours(removed[f"median_{severity}"]) for severity in SEVERITIES},
        "open_risks": row["open"],
        "overdue_interventions": row["overdue"],
        "rounds": {**rounds, "on_time_share": round(rounds["on_time"] / rounds["due"], 3) if rounds["due"] else None},
        "ambassadors": row["ambassadors"],
        "as_of": timezone.localdate().isoformat(),
    }


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 1)
