"""The renovation programme's figures for the public dashboard and ``GET /api/v1/projects/figures/``:
public projects by the phase they had reached at the period's end, and the money committed
(planned) and spent (received) of their funding lines dated within the period.

Which projects count: public ones in the street (or community) asked for, that had entered a
phase on or before the period's end; each is counted once, at its latest phase change up to that
day (the append-only ``projects_phaseevent`` rows). Money: funding lines dated from ``date_from``
to ``date_to`` (both included) of those projects; undated lines count only when no period start is
given. One statement, commented below; ``projects_figures`` shapes its row.
"""

import json
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from projects.phases import ORDER

# ``reached``: per project, its phase as of the period's end (DISTINCT ON the latest event up to it).
# ``money``: the funding lines in the period of the projects counted. Both filtered by area first.
FIGURES = """
WITH counted AS (
    SELECT id FROM projects_project
    WHERE is_public
      AND (%(street)s::bigint IS NULL OR street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR community_id = %(community)s::bigint)
), reached AS (
    SELECT DISTINCT ON (event.project_id) event.project_id, event.phase
    FROM projects_phaseevent event JOIN counted ON counted.id = event.project_id
    WHERE event.date <= %(end)s
    ORDER BY event.project_id, event.date DESC, event.created_at DESC, event.id DESC
), money AS (
    SELECT coalesce(sum(line.amount_planned), 0) AS committed, coalesce(sum(line.amount_received), 0) AS spent
    FROM projects_fundingline line JOIN reached ON reached.project_id = line.project_id
    WHERE (line.date IS NULL AND %(start)s::date IS NULL)
       OR (line.date <= %(end)s AND (%(start)s::date IS NULL OR line.date >= %(start)s::date))
)
SELECT (SELECT count(*) FROM reached),
       (SELECT coalesce(json_object_agg(phase, n), '{}') FROM (SELECT phase, count(*) AS n FROM reached GROUP BY 1) phases),
       money.committed, money.spent
FROM money
"""


def projects_figures(*, street=None, community=None, date_from=None, date_to=None) -> dict:
    """``{"total", "by_phase": {phase: n, in phase order}, "committed", "spent", "spent_share",
    "street", "community", "from", "to"}``; money in yuan as strings with two decimals."""
    end = date_to or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(FIGURES, {"street": street.pk if street else None,
                                 "community": community.pk if community else None,
                                 "start": date_from, "end": end})
        total, phases, committed, spent = cursor.fetchone()
    phases = phases if isinstance(phases, dict) else json.loads(phases)
    committed, spent = Decimal(committed).quantize(Decimal("0.01")), Decimal(spent).quantize(Decimal("0.01"))
    return {
        "total": total,
        "by_phase": {phase: phases.get(phase, 0) for phase in ORDER},
        "committed": str(committed), "spent": str(spent),
        "spent_share": round(float(spent / committed), 4) if committed else None,
        "street": street.code if street else None, "community": community.code if community else None,
        "from": date_from.isoformat() if date_from else None, "to": end.isoformat(),
    }
