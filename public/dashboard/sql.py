"""The dashboard's own SQL: the figures no other page computes (the others are the domains' and the
programmes' shared reads). One statement, one round trip.

Parameters: ``street``/``community`` (ids or NULL for the district), ``everywhere`` (true when both
are NULL: the client-side parameters make it a constant, so PostgreSQL drops the area conditions
for the district and reads the log and report tables without a join), ``since``/``until``
(timestamps, the period's first moment and the moment after its last day), ``first_day``/``last_day``
(the same period in local days), ``today`` (a date, for
"adopted today"), ``tz`` (the months of the trends are local months).
"""

# * ``area_assets``: the area's asset ids (NOT MATERIALIZED: each use is planned with its own filter);
# * ``area_log_days``: the area's upkeep logs and volunteer person-minutes per local day of the period,
#   from the sums ``upkeep.rollup`` keeps (a row per community and day, however many logs);
# * ``by_kind``: public assets that are not retired, per kind, from the per-cell sums the cluster
#   tiles read (``registry.cluster_cells``: a row per cell and combination of kind, status, area);
# * ``adopters``: adopters with an approved adoption running today of an asset of the area, per
#   adopter kind (an adopter of two plots counts once);
# * ``hours``: volunteer person-hours logged by adopters in the period (duration × participants);
# * ``upkeep_months``/``problem_months``: upkeep logs done and problems reported per local month,
#   grouped by date_trunc and only then spelled 'YYYY-MM' (a dozen rows, not millions).
FIGURES = """
WITH area_assets AS NOT MATERIALIZED (
    SELECT id
    FROM registry_asset
    WHERE (%(street)s::bigint IS NULL OR street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR community_id = %(community)s::bigint)
), area_log_days AS NOT MATERIALIZED (
    SELECT day, logs, person_minutes
    FROM upkeep_logday
    WHERE day BETWEEN %(first_day)s AND %(last_day)s
      AND (%(street)s::bigint IS NULL OR street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR community_id = %(community)s::bigint)
)
SELECT
    (SELECT coalesce(json_object_agg(kind, n), '{}')
     FROM (SELECT kind, sum(count) AS n FROM registry_clustercell
           WHERE is_public AND status <> 'retired'
             AND (%(street)s::bigint IS NULL OR street_id = %(street)s::bigint)
             AND (%(community)s::bigint IS NULL OR community_id = %(community)s::bigint)
           GROUP BY 1) kinds),
    (SELECT coalesce(json_object_agg(kind, n), '{}')
     FROM (SELECT adopter.kind, count(DISTINCT adopter.id) AS n
           FROM registry_adoption adoption
           JOIN registry_adopter adopter ON adopter.id = adoption.adopter_id
           WHERE adoption.status = 'approved' AND adoption.period @> %(today)s::date
             AND (%(everywhere)s OR adoption.asset_id IN (SELECT id FROM area_assets))
           GROUP BY 1) adopters),
    (SELECT coalesce(sum(person_minutes), 0) / 60.0 FROM area_log_days),
    (SELECT coalesce(json_object_agg(to_char(month, 'YYYY-MM'), n), '{}')
     FROM (SELECT date_trunc('month', day::timestamp) AS month, sum(logs) AS n FROM area_log_days GROUP BY 1) months),
    (SELECT coalesce(json_object_agg(to_char(month, 'YYYY-MM'), n), '{}')
     FROM (SELECT date_trunc('month', report.created_at AT TIME ZONE %(tz)s) AS month, count(*) AS n
           FROM problems_problemreport report
           WHERE report.created_at >= %(since)s AND report.created_at < %(until)s
             AND (%(everywhere)s OR report.asset_id IN (SELECT id FROM area_assets))
           GROUP BY 1) months)
"""
