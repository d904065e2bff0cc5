"""The dashboard's own SQL: the figures no other page computes (the others are the domains' and the
programmes' shared reads). One statement, one round trip; every part is filtered by area first so
that PostgreSQL reads one street's rows through the ``street_id`` indexes.

Parameters: ``street``/``community`` (ids or NULL for the district), ``since``/``until``
(timestamps, the period's first moment and the moment after its last day), ``today`` (a date, for
"adopted today"), ``tz`` (the months of the trend are local months).
"""

# * ``by_kind``: public assets that are not retired, per kind;
# * ``adopters``: adopters with an approved adoption running today of an asset of the area, per
#   adopter kind (an adopter of two plots counts once);
# * ``hours``: volunteer person-hours logged by adopters in the period (duration × participants);
# * ``upkeep_months``/``problem_months``: upkeep logs done and problems reported per local month.
FIGURES = """
WITH area_assets AS (
    SELECT id, kind, status, is_public
    FROM registry_asset
    WHERE (%(street)s::bigint IS NULL OR street_id = %(street)s::bigint)
      AND (%(community)s::bigint IS NULL OR community_id = %(community)s::bigint)
)
SELECT
    (SELECT coalesce(json_object_agg(kind, n), '{}')
     FROM (SELECT kind, count(*) AS n FROM area_assets WHERE is_public AND status <> 'retired' GROUP BY 1) kinds),
    (SELECT coalesce(json_object_agg(kind, n), '{}')
     FROM (SELECT adopter.kind, count(DISTINCT adopter.id) AS n
           FROM registry_adoption adoption
           JOIN area_assets ON area_assets.id = adoption.asset_id
           JOIN registry_adopter adopter ON adopter.id = adoption.adopter_id
           WHERE adoption.status = 'approved' AND adoption.period @> %(today)s::date
           GROUP BY 1) adopters),
    (SELECT coalesce(sum(log.duration_minutes * log.participants), 0) / 60.0
     FROM registry_upkeeplog log JOIN area_assets ON area_assets.id = log.asset_id
     WHERE log.adopter_id IS NOT NULL AND log.performed_at >= %(since)s AND log.performed_at < %(until)s),
    (SELECT coalesce(json_object_agg(month, n), '{}')
     FROM (SELECT to_char(log.performed_at AT TIME ZONE %(tz)s, 'YYYY-MM') AS month, count(*) AS n
           FROM registry_upkeeplog log JOIN area_assets ON area_assets.id = log.asset_id
           WHERE log.performed_at >= %(since)s AND log.performed_at < %(until)s GROUP BY 1) months),
    (SELECT coalesce(json_object_agg(month, n), '{}')
     FROM (SELECT to_char(report.created_at AT TIME ZONE %(tz)s, 'YYYY-MM') AS month, count(*) AS n
           FROM problems_problemreport report JOIN area_assets ON area_assets.id = report.asset_id
           WHERE report.created_at >= %(since)s AND report.created_at < %(until)s GROUP BY 1) months)
"""
