"""The execution rate of consultation resolutions, computed in SQL: per community, per street and
for the district, over the meetings held in a period.

Which resolutions count: those of meetings dated ``date_from`` to ``date_to`` (both days included;
all time when not given), in the street or community when one is given. ``formed`` counts the
resolutions the meetings adopted (not the rejected ones); ``executed`` those carried out;
``not_feasible`` is shown apart and counts as not executed. The rate is executed ÷ formed, as a
fraction, null when nothing was formed (the district's 2,528 of 2,648 is 0.9547).

One statement. Each resolution carries its meeting's street, community and date (kept by
``consultation.operations``), and the database keeps a monthly tally per community and status
(``ResolutionTally``, trigger of migration 0002), so a period's figures read the tally's whole months
and only the edge days from the resolutions; bench/consultation_figures.py measures it against
counting in Python over the ORM.
"""

import datetime

from django.db import connection
from django.utils import timezone

from consultation.models import FORMED, OPEN, ResolutionStatus

_FORMED = ", ".join(f"'{status}'" for status in FORMED)
_OPEN = ", ".join(f"'{status}'" for status in OPEN)

# The counts come from the monthly tally for the months wholly inside the period and from the
# resolutions themselves (index range on meeting_date) for the days of the months cut by its ends;
# they are summed per community and status first (a few hundred rows), and only those rows are
# pivoted and rolled up with GROUPING SETS (every community's, every street's and the district's
# counts in one pass). "Overdue" depends on today: counted over the open resolutions only (a
# partial index). For the district and all time PostgreSQL folds the conditions away and reads the
# tally alone.
FIGURES = f"""
WITH counted AS (
    SELECT t.street_id, t.community_id, t.status, sum(t.n)::bigint AS n
    FROM (
        SELECT tally.street_id, tally.community_id, tally.status, tally.n
        FROM consultation_resolutiontally tally
        WHERE tally.month >= %(full_from)s AND tally.month < %(full_to)s
          AND (%(street)s::bigint IS NULL OR tally.street_id = %(street)s::bigint)
          AND (%(community)s::bigint IS NULL OR tally.community_id = %(community)s::bigint)
        UNION ALL
        SELECT r.street_id, r.community_id, r.status, 1
        FROM consultation_resolution r
        WHERE ((r.meeting_date >= %(lo)s AND r.meeting_date < %(first_edge_end)s)
               OR (r.meeting_date >= %(full_to)s AND r.meeting_date <= %(hi)s))
          AND (%(street)s::bigint IS NULL OR r.street_id = %(street)s::bigint)
          AND (%(community)s::bigint IS NULL OR r.community_id = %(community)s::bigint)
    ) t
    GROUP BY t.street_id, t.community_id, t.status
    HAVING sum(t.n) <> 0
), overdue AS (
    SELECT r.street_id, r.community_id, 'overdue' AS status, count(*) AS n
    FROM consultation_resolution r
    WHERE r.status IN ({_OPEN}) AND r.due_date < %(today)s
      AND r.meeting_date BETWEEN %(lo)s AND %(hi)s
      AND (%(street)s::bigint IS NULL OR r.street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR r.community_id = %(community)s::bigint)
    GROUP BY r.street_id, r.community_id
), counts AS (
    SELECT c.street_id, c.community_id, GROUPING(c.street_id, c.community_id) AS level,
           coalesce(sum(c.n) FILTER (WHERE c.status IN ({_FORMED})), 0) AS formed,
           coalesce(sum(c.n) FILTER (WHERE c.status = '{ResolutionStatus.EXECUTED}'), 0) AS executed,
           coalesce(sum(c.n) FILTER (WHERE c.status = '{ResolutionStatus.IN_PROGRESS}'), 0) AS in_progress,
           coalesce(sum(c.n) FILTER (WHERE c.status = '{ResolutionStatus.ADOPTED}'), 0) AS adopted,
           coalesce(sum(c.n) FILTER (WHERE c.status = '{ResolutionStatus.NOT_FEASIBLE}'), 0) AS not_feasible,
           coalesce(sum(c.n) FILTER (WHERE c.status = '{ResolutionStatus.REJECTED}'), 0) AS rejected,
           coalesce(sum(c.n) FILTER (WHERE c.status = 'overdue'), 0) AS overdue
    FROM (SELECT * FROM counted UNION ALL SELECT * FROM overdue) c
    GROUP BY GROUPING SETS ((c.street_id, c.community_id), (c.street_id), ())
)
SELECT counts.level, street.code, street.name_zh, community.code, community.name_zh,
       counts.formed, counts.executed, counts.in_progress, counts.adopted, counts.not_feasible,
       counts.rejected, counts.overdue
FROM counts
LEFT JOIN registry_street street ON street.id = counts.street_id
LEFT JOIN registry_community community ON community.id = counts.community_id
ORDER BY counts.level DESC, street.code NULLS FIRST, community.code NULLS FIRST
"""

#: The period's ends when none is given: before and after any meeting.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(9999, 12, 1)


def period_params(date_from: datetime.date | None, date_to: datetime.date | None) -> dict:
    """The period's days (``lo`` … ``hi``), its whole months (``full_from`` ≤ month < ``full_to``, read
    from the tally) and its edge days (``lo`` ≤ day < ``first_edge_end`` and ``full_to`` ≤ day ≤ ``hi``,
    read from the resolutions)."""
    lo, hi = date_from or FIRST_DAY, min(date_to or LAST_DAY, LAST_DAY)
    full_from = lo if lo.day == 1 else (lo.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    after = hi + datetime.timedelta(days=1)
    full_to = after if after.day == 1 else hi.replace(day=1)
    full_to = max(full_to, full_from)
    first_edge_end = min(full_from, hi + datetime.timedelta(days=1))  # a period inside one month: its days
    return {"lo": lo, "hi": hi, "full_from": full_from, "full_to": full_to, "first_edge_end": first_edge_end}


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
    params = {**period_params(date_from, date_to), "street": street.pk if street else None,
              "community": community.pk if community else None, "today": today or timezone.localdate()}
    with connection.cursor() as cursor:
        cursor.execute(FIGURES, params)
        rows = [(level, *names, *map(int, values)) for level, *names_values in cursor.fetchall()
                for names, values in [(names_values[:4], names_values[4:])]]
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
