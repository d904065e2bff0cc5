"""The SQL of schedules: rounds due and overdue, and on-time counts. All of it, in one place.

Both statements start from the same two steps:

* ``chosen`` — the assets asked about. ``{assets}`` is the caller's queryset compiled by Django
  (``SELECT id, kind, created_at, street_id FROM registry_asset WHERE <scope> AND <street …>
  AND status = 'in_use'``), so the access rule of ``registry.access.managed_scope`` is used as
  written there. Only assets **in use** owe rounds; an elevator's rounds are owed only once its
  stage is **in service**.
* ``owed`` — every (asset, action) owed: the kind's defaults (``{defaults}``, a ``VALUES`` list
  built from ``upkeep.schedules.DEFAULT_SCHEDULES``) and the asset's own
  ``registry_upkeepschedule`` rows; ``DISTINCT ON`` keeps the asset's own row when there is one
  (precedence 0), which may also switch the round off (``active``).

"When was this last done?" is one probe of the index ``upkeep_asset_action_recent``
(asset_id, action, performed_at DESC) per (asset, action): a ``LATERAL`` subquery ordered by
``performed_at DESC LIMIT 1``. Its cost grows with the street's assets, not with the logs.

Days are local days (``AT TIME ZONE`` settings.TIME_ZONE): work done at 07:00 in Guangzhou is
done "that day". A round is due ``interval_days`` after the day it was last done (or, never done,
after the day the asset was registered); it is overdue from the day after.
Parameters are positional (``%s``): the compiled queryset brings its own.
"""

OWED = """
defaults (kind, action, interval_days, summer_interval_days, in_service_only) AS ({defaults}),
chosen AS (
    SELECT a.id, a.kind, a.created_at, a.area_id, e.stage
    FROM ({assets}) AS a (id, kind, created_at, area_id)
    LEFT JOIN retrofits_elevatorretrofit e ON e.asset_ptr_id = a.id
),
candidates AS (
    SELECT c.id AS asset_id, c.area_id, c.created_at, d.action, d.interval_days, d.summer_interval_days,
           TRUE AS active, 1 AS precedence
    FROM chosen c JOIN defaults d ON d.kind = c.kind
    WHERE NOT d.in_service_only OR c.stage = 'in_service'
    UNION ALL
    SELECT c.id, c.area_id, c.created_at, s.action, s.interval_days, s.summer_interval_days, s.active, 0
    FROM chosen c JOIN registry_upkeepschedule s ON s.asset_id = c.id
),
owed AS (
    SELECT DISTINCT ON (asset_id, action) *
    FROM candidates
    ORDER BY asset_id, action, precedence
)"""

#: Latest round of the owed (asset, action) ``o``: one index probe.
LATEST = """LEFT JOIN LATERAL (
    SELECT l.performed_at FROM registry_upkeeplog l
    WHERE l.asset_id = o.asset_id AND l.action = o.action
    ORDER BY l.performed_at DESC
    LIMIT 1
) latest ON TRUE"""

#: Today's interval of ``o``: its summer one in the hot season (%s: is today in summer?).
CURRENT_INTERVAL = ("CASE WHEN %s AND o.summer_interval_days IS NOT NULL "
                    "THEN o.summer_interval_days ELSE o.interval_days END")

#: The day ``o`` falls due (%s, %s: the time zone, twice).
DUE_ON = ("COALESCE((latest.performed_at AT TIME ZONE %s)::date, (o.created_at AT TIME ZONE %s)::date) "
          "+ {interval}").format(interval=CURRENT_INTERVAL)

# Parameters: defaults…, assets…, in summer, tz, tz, in summer, today, [today], [limit].
UPKEEP_ROUNDS = "WITH " + OWED + """,
rounds AS (
    SELECT o.asset_id, o.action, """ + CURRENT_INTERVAL + """ AS interval_days,
           latest.performed_at AS last_done_at, """ + DUE_ON + """ AS due_on
    FROM owed o
    """ + LATEST + """
    WHERE o.active
)
SELECT r.asset_id, r.action, r.interval_days, r.last_done_at, r.due_on, %s::date - r.due_on AS days_overdue
FROM rounds r
WHERE TRUE {overdue_only}
ORDER BY days_overdue DESC, r.asset_id, r.action
{limit}"""

# Parameters: defaults…, assets…, tz, tz, tz, summer months, since (timestamptz), tz, tz, in summer, today.
ON_TIME = "WITH " + OWED + """,
-- Each round logged since the period began, with the round before it (one index probe each).
-- A first-ever round has nothing to be late against and is left out (CROSS JOIN).
logged AS (
    SELECT o.area_id,
           (l.performed_at AT TIME ZONE %s)::date - (previous.performed_at AT TIME ZONE %s)::date AS gap_days,
           CASE WHEN EXTRACT(MONTH FROM l.performed_at AT TIME ZONE %s)::int = ANY(%s)
                     AND o.summer_interval_days IS NOT NULL
                THEN o.summer_interval_days ELSE o.interval_days END AS allowed_days
    FROM owed o
    JOIN registry_upkeeplog l ON l.asset_id = o.asset_id AND l.action = o.action AND l.performed_at >= %s
    CROSS JOIN LATERAL (
        SELECT p.performed_at FROM registry_upkeeplog p
        WHERE p.asset_id = l.asset_id AND p.action = l.action AND p.performed_at < l.performed_at
        ORDER BY p.performed_at DESC
        LIMIT 1
    ) previous
    WHERE o.active
),
done AS (
    SELECT area_id, COUNT(*) FILTER (WHERE gap_days <= allowed_days) AS on_time,
           COUNT(*) FILTER (WHERE gap_days > allowed_days) AS late
    FROM logged GROUP BY area_id
),
-- Rounds owed today whose due day has passed: missed, so they count against the rate.
overdue AS (
    SELECT o.area_id, COUNT(*) AS overdue
    FROM owed o
    """ + LATEST + """
    WHERE o.active AND """ + DUE_ON + """ < %s
    GROUP BY o.area_id
)
SELECT COALESCE(d.area_id, v.area_id), COALESCE(d.on_time, 0), COALESCE(d.late, 0), COALESCE(v.overdue, 0)
FROM done d FULL JOIN overdue v ON v.area_id = d.area_id"""
