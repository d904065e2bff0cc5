"""The execution rate of consultation resolutions, computed in SQL: per community, per street and
for the district, over the meetings held in a period.

Which resolutions count: those of meetings dated ``date_from`` to ``date_to`` (both days included;
all time when not given), in the street or community when one is given. ``formed`` counts the
resolutions the meetings adopted (not the rejected ones); ``executed`` those carried out;
``not_feasible`` is shown apart and counts as not executed. The rate is executed ÷ formed, as a
fraction, null when nothing was formed (the district's 2,528 of 2,648 is 0.9547).

One statement over ``consultation_resolution`` alone: each resolution carries its meeting's street,
community and date (kept by ``consultation.operations``), and the index ``resolution_figures``
(meeting_date, community, street, status) answers it with an index-only scan;
bench/consultation_figures.py measures it against counting in Python over the ORM.
"""

import datetime

from django.db import connection
from django.utils import timezone

from consultation.models import FORMED, OPEN, ResolutionStatus

_FORMED = ", ".join(f"'{status}'" for status in FORMED)
_OPEN = ", ".join(f"'{status}'" for status in OPEN)

# GROUPING SETS gives every community's, every street's and the district's counts in one pass; the
# names are joined on the (at most a few hundred) grouped rows, not on the resolutions.
FIGURES = f"""
WITH counts AS (
    SELECT r.street_id, r.community_id, GROUPING(r.street_id, r.community_id) AS level,
           count(*) FILTER (WHERE r.status IN ({_FORMED})) AS formed,
           count(*) FILTER (WHERE r.status = '{ResolutionStatus.EXECUTED}') AS executed,
           count(*) FILTER (WHERE r.status = '{ResolutionStatus.IN_PROGRESS}') AS in_progress,
           count(*) FILTER (WHERE r.status = '{ResolutionStatus.ADOPTED}') AS adopted,
           count(*) FILTER (WHERE r.status = '{ResolutionStatus.NOT_FEASIBLE}') AS not_feasible,
           count(*) FILTER (WHERE r.status = '{ResolutionStatus.REJECTED}') AS rejected,
           count(*) FILTER (WHERE r.status IN ({_OPEN}) AND r.due_date < %(today)s) AS overdue
    FROM consultation_resolution r
    WHERE (%(start)s::date IS NULL OR r.meeting_date >= %(start)s::date)
      AND (%(end)s::date IS NULL OR r.meeting_date <= %(end)s::date)
      AND (%(street)s::bigint IS NULL OR r.street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR r.community_id = %(community)s::bigint)
    GROUP BY GROUPING SETS ((r.street_id, r.community_id), (r.street_id), ())
)
SELECT counts.level, street.code, street.name_zh, community.code, community.name_zh,
       counts.formed, counts.executed, counts.in_progress, counts.adopted, counts.not_feasible,
       counts.rejected, counts.overdue
FROM counts
LEFT JOIN registry_street street ON street.id = counts.street_id
LEFT JOIN registry_community community ON community.id = counts.community_id
ORDER BY counts.level DESC, street.code NULLS FIRST, community.code NULLS FIRST
"""

COUNT_KEYS = ("formed", "executed", "in_progress", "adopted", "not_feasible", "rejected", "overdue")


def execution_rate(executed: int, formed: int) -> float | None:
    """Executed ÷ formed as a fraction rounded to 4 places (0.9547), None when nothing was formed."""
    return None if not formed else round(executed / formed, 4)


def _counts(values) -> dict:
    counts = dict(zip(COUNT_KEYS, values))
    counts["execution_rate"] = execution_rate(counts["executed"], counts["formed"])
    return counts


def consultation_figures(*, street=None, community=None, date_from: datetime.date | None = None,
                         date_to: datetime.date | None = None, today: datetime.date | None = None) -> dict:
    """The figures as ``GET /api/v1/consultation/figures/`` gives them: the totals of the area chosen
    (district, ``street`` or ``community``, model instances), then per street and per community."""
    params = {"start": date_from, "end": date_to, "street": street.pk if street else None,
              "community": community.pk if community else None, "today": today or timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(FIGURES, params)
        rows = cursor.fetchall()
    totals = _counts([0] * len(COUNT_KEYS))
    streets, communities = [], []
    for level, street_code, street_name, community_code, community_name, *values in rows:
        if level == 3:
            totals = _counts(values)
        elif level == 1:
            streets.append({"code": street_code, "name_zh": street_name, **_counts(values)})
        else:
            communities.append({"code": community_code, "name_zh": community_name, "street": street_code,
                                **_counts(values)})
    return {
        **totals,
        "street": street.code if street else None,
        "community": community.code if community else None,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
        "streets": streets,
        "communities": communities,
    }
