"""Upkeep on time, kept ready by PostgreSQL: the roll-up the public dashboard reads (issue 19).

``upkeep.sql.ON_TIME`` answers "how many rounds were done on time, late, and are overdue" from the
logs themselves: one index probe per log of the period for the round before it, one per owed
round for the latest. Over a district of 500,000 assets and 5,000,000 logs that is seconds. The
same answer is kept here, per area and day, by statement-level triggers, so that the dashboard
sums a few thousand rows instead:

* ``upkeep_round`` — every round an asset owes now (in use; an elevator's once in service; the
  kind's default or the asset's own active schedule, ``sql.OWED``'s rule), with its area and the
  day it falls due, in and out of the hot season;
* ``upkeep_logentry`` — every log, in its asset's area and local day, with its volunteer
  person-minutes (an adopter's log: duration × participants) and, for a log of an owed round that
  has a round before it, whether it came within the round's interval (the log's month decides
  which interval);
* ``upkeep_logday`` — their sums per (street, community, day): logs, on time, late, person-minutes
  (the dashboard's upkeep trend and volunteer hours read them too);
* ``upkeep_duecount`` — the owed rounds counted per (street, community, due day out of season,
  due day in season): "overdue today" is a sum over the rows whose due day has passed.

A community of 0 stands for "none" (the sums' keys are NOT NULL). Every write that can change an
answer — a log inserted, moved or deleted, an asset registered, moved, retired or deleted, an
asset's own schedule, an elevator's stage — calls :data:`REFRESH` for the assets it touched: their
old contributions are taken out of the sums, their rounds and verdicts computed again from the
tables as the statement left them, and added back, under one transaction lock (two writers never
count the same asset from different snapshots). ``upkeep_rollup_rebuild()`` recomputes everything
(the migration and a bulk load with triggers off use it). The schedule defaults, the hot-season
months and the time zone are written into the functions by the migration
(``upkeep.schedules``; tests/upkeep/test_rollup.py fails when they drift apart).

The answer equals ``upkeep.queries.on_time_counts`` over all the assets of the streets asked
about (tests/upkeep/test_rollup.py, after every kind of write above).
"""

#: The tables (the migration creates them).
TABLES_SQL = """
CREATE TABLE upkeep_round (
    asset_id bigint NOT NULL,
    action varchar(30) NOT NULL,
    street_id bigint NOT NULL,
    community_id bigint NOT NULL,   -- 0: none
    interval_days integer NOT NULL,
    summer_interval_days integer,
    due_normal date NOT NULL,       -- the day it falls due out of the hot season
    due_summer date NOT NULL,       -- … and in it
    PRIMARY KEY (asset_id, action)
);
CREATE TABLE upkeep_logentry (
    log_id bigint PRIMARY KEY,
    asset_id bigint NOT NULL,
    street_id bigint NOT NULL,
    community_id bigint NOT NULL,
    day date NOT NULL,
    on_time boolean,                -- NULL: not judged (no round owed now, or a first-ever round)
    person_minutes integer NOT NULL -- an adopter's log: duration × participants
);
CREATE INDEX upkeep_logentry_asset ON upkeep_logentry (asset_id);
CREATE TABLE upkeep_logday (
    street_id bigint NOT NULL,
    community_id bigint NOT NULL,
    day date NOT NULL,
    logs integer NOT NULL,
    on_time integer NOT NULL,
    late integer NOT NULL,
    person_minutes bigint NOT NULL,
    PRIMARY KEY (street_id, community_id, day)
);
CREATE TABLE upkeep_duecount (
    street_id bigint NOT NULL,
    community_id bigint NOT NULL,
    due_normal date NOT NULL,
    due_summer date NOT NULL,
    rounds integer NOT NULL,
    PRIMARY KEY (street_id, community_id, due_normal, due_summer)
);
"""

DROP_TABLES_SQL = "DROP TABLE upkeep_round, upkeep_logentry, upkeep_logday, upkeep_duecount"

#: ``upkeep_default_schedules()`` and ``upkeep_in_summer(month)``: the code's rules, as the migration
#: wrote them. Formatted with ``defaults`` (a VALUES list) and ``summer_months`` (an int array literal).
RULES_SQL = """
CREATE OR REPLACE FUNCTION upkeep_default_schedules()
RETURNS TABLE (kind text, action text, interval_days integer, summer_interval_days integer, in_service_only boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ VALUES {defaults} $$;
CREATE OR REPLACE FUNCTION upkeep_in_summer(month integer) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT month = ANY('{summer_months}'::int[]) $$;
"""

#: ``upkeep_rollup_refresh(assets)``: the assets' rounds, verdicts and their sums computed again.
#: Formatted with ``tz`` (the local time zone's name, a SQL literal).
REFRESH = """
CREATE OR REPLACE FUNCTION upkeep_rollup_refresh(assets bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF assets IS NULL OR cardinality(assets) = 0 THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('upkeep_rollup'));

    -- 1. The assets' old contributions out of the sums (in key order: writers never deadlock).
    WITH gone AS (
        DELETE FROM upkeep_logentry WHERE asset_id = ANY(assets)
        RETURNING street_id, community_id, day, on_time, person_minutes
    ), sums AS (
        SELECT street_id, community_id, day, count(*) AS logs, count(*) FILTER (WHERE on_time) AS on_time,
               count(*) FILTER (WHERE NOT on_time) AS late, sum(person_minutes) AS person_minutes
        FROM gone GROUP BY 1, 2, 3
    )
    UPDATE upkeep_logday t SET logs = t.logs - s.logs, on_time = t.on_time - s.on_time, late = t.late - s.late,
                               person_minutes = t.person_minutes - s.person_minutes
    FROM sums s
    WHERE t.street_id = s.street_id AND t.community_id = s.community_id AND t.day = s.day;

    WITH gone AS (
        DELETE FROM upkeep_round WHERE asset_id = ANY(assets)
        RETURNING street_id, community_id, due_normal, due_summer
    ), sums AS (
        SELECT street_id, community_id, due_normal, due_summer, count(*) AS rounds FROM gone GROUP BY 1, 2, 3, 4
    )
    UPDATE upkeep_duecount t SET rounds = t.rounds - s.rounds
    FROM sums s
    WHERE t.street_id = s.street_id AND t.community_id = s.community_id
      AND t.due_normal = s.due_normal AND t.due_summer = s.due_summer;

    -- 2. Their rounds owed now (upkeep.sql.OWED's rule), with the day each falls due.
    INSERT INTO upkeep_round
    SELECT o.asset_id, o.action, o.street_id, o.community_id, o.interval_days, o.summer_interval_days,
           o.since + o.interval_days, o.since + coalesce(o.summer_interval_days, o.interval_days)
    FROM (
        SELECT DISTINCT ON (c.asset_id, c.action) c.*,
               coalesce((latest.performed_at AT TIME ZONE {tz})::date, (c.created_at AT TIME ZONE {tz})::date) AS since
        FROM (
            SELECT a.id AS asset_id, a.street_id, coalesce(a.community_id, 0) AS community_id, a.created_at,
                   d.action, d.interval_days, d.summer_interval_days, TRUE AS active, 1 AS precedence
            FROM registry_asset a
            JOIN upkeep_default_schedules() d ON d.kind = a.kind
            LEFT JOIN retrofits_elevatorretrofit e ON e.asset_ptr_id = a.id
            WHERE a.id = ANY(assets) AND a.status = 'in_use' AND (NOT d.in_service_only OR e.stage = 'in_service')
            UNION ALL
            SELECT a.id, a.street_id, coalesce(a.community_id, 0), a.created_at,
                   s.action, s.interval_days, s.summer_interval_days, s.active, 0
            FROM registry_asset a JOIN registry_upkeepschedule s ON s.asset_id = a.id
            WHERE a.id = ANY(assets) AND a.status = 'in_use'
        ) c
        LEFT JOIN LATERAL (
            SELECT l.performed_at FROM registry_upkeeplog l
            WHERE l.asset_id = c.asset_id AND l.action = c.action
            ORDER BY l.performed_at DESC LIMIT 1
        ) latest ON TRUE
        ORDER BY c.asset_id, c.action, c.precedence
    ) o
    WHERE o.active;

    -- 3. Their logs, in their asset's area and local day; those of an owed round judged against the
    --    round before (strictly earlier; a first-ever round has nothing to be late against): within
    --    the interval of the log's season?
    INSERT INTO upkeep_logentry
    SELECT l.id, l.asset_id, a.street_id, coalesce(a.community_id, 0), l.day,
           CASE WHEN r.asset_id IS NOT NULL AND l.previous_day IS NOT NULL
                THEN l.day - l.previous_day <= CASE WHEN upkeep_in_summer(extract(month FROM l.day)::int)
                                                         AND r.summer_interval_days IS NOT NULL
                                                    THEN r.summer_interval_days ELSE r.interval_days END END,
           CASE WHEN l.adopter_id IS NOT NULL THEN coalesce(l.duration_minutes * l.participants, 0) ELSE 0 END
    FROM (
        SELECT id, asset_id, action, adopter_id, duration_minutes, participants,
               (performed_at AT TIME ZONE {tz})::date AS day,
               (max(performed_at) OVER (PARTITION BY asset_id, action ORDER BY performed_at
                                        RANGE BETWEEN UNBOUNDED PRECEDING AND '1 microsecond' PRECEDING)
                AT TIME ZONE {tz})::date AS previous_day
        FROM registry_upkeeplog WHERE asset_id = ANY(assets)
    ) l
    JOIN registry_asset a ON a.id = l.asset_id
    LEFT JOIN upkeep_round r ON r.asset_id = l.asset_id AND r.action = l.action;

    -- 4. Their new contributions into the sums, and the sums that came to nothing away.
    INSERT INTO upkeep_logday AS t
    SELECT street_id, community_id, day, count(*), count(*) FILTER (WHERE on_time),
           count(*) FILTER (WHERE NOT on_time), sum(person_minutes)
    FROM upkeep_logentry WHERE asset_id = ANY(assets)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (street_id, community_id, day)
    DO UPDATE SET logs = t.logs + excluded.logs, on_time = t.on_time + excluded.on_time,
                  late = t.late + excluded.late, person_minutes = t.person_minutes + excluded.person_minutes;
    DELETE FROM upkeep_logday WHERE logs = 0;

    INSERT INTO upkeep_duecount AS t
    SELECT street_id, community_id, due_normal, due_summer, count(*)
    FROM upkeep_round WHERE asset_id = ANY(assets)
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (street_id, community_id, due_normal, due_summer) DO UPDATE SET rounds = t.rounds + excluded.rounds;
    DELETE FROM upkeep_duecount WHERE rounds = 0;
END
$$;

CREATE OR REPLACE FUNCTION upkeep_rollup_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('upkeep_rollup'));
    TRUNCATE upkeep_round, upkeep_logentry, upkeep_logday, upkeep_duecount;
    PERFORM upkeep_rollup_refresh(array(SELECT id FROM registry_asset ORDER BY id));
END
$$;
"""

#: What each watched table's statement trigger hands to ``upkeep_rollup_refresh``: (table, the
#: column naming the asset, the row's key, the columns whose change matters, what a TRUNCATE does).
#: An UPDATE refreshes only the assets of rows whose columns changed (before and after: a log moved
#: to another asset changes both); a TRUNCATE of the logs or schedules rebuilds, of the assets empties.
WATCHED = [
    ("registry_upkeeplog", "asset_id", "id",
     ("asset_id", "action", "performed_at", "adopter_id", "duration_minutes", "participants"), "rebuild"),
    ("registry_asset", "id", "id", ("kind", "status", "street_id", "community_id", "created_at"), "empty"),
    ("registry_upkeepschedule", "asset_id", "id",
     ("asset_id", "action", "interval_days", "summer_interval_days", "active"), "rebuild"),
    ("retrofits_elevatorretrofit", "asset_ptr_id", "asset_ptr_id", ("stage",), None),
]

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_upkeep_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        {on_truncate}
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM upkeep_rollup_refresh(array(SELECT DISTINCT {asset} FROM new_rows ORDER BY 1));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM upkeep_rollup_refresh(array(SELECT DISTINCT {asset} FROM old_rows ORDER BY 1));
    ELSE
        PERFORM upkeep_rollup_refresh(array(
            SELECT DISTINCT touched.asset_id
            FROM old_rows o JOIN new_rows n ON n.{key} = o.{key},
                 LATERAL (VALUES (o.{asset}), (n.{asset})) AS touched (asset_id)
            WHERE ({old_columns}) IS DISTINCT FROM ({new_columns})
            ORDER BY 1));
    END IF;
    RETURN NULL;
END
$$;
"""

ON_TRUNCATE = {
    "rebuild": "PERFORM upkeep_rollup_rebuild();",
    "empty": "PERFORM pg_advisory_xact_lock(hashtext('upkeep_rollup'));\n"
             "        TRUNCATE upkeep_round, upkeep_logentry, upkeep_logday, upkeep_duecount;",
    None: "NULL;",
}


def trigger_functions_sql() -> str:
    return "".join(TRIGGER_FUNCTION.format(table=table, asset=asset, key=key, on_truncate=ON_TRUNCATE[on_truncate],
                                           old_columns=", ".join(f"o.{column}" for column in columns),
                                           new_columns=", ".join(f"n.{column}" for column in columns))
                   for table, asset, key, columns, on_truncate in WATCHED)


def triggers_sql() -> str:
    statements = []
    for table, _asset, _key, _columns, on_truncate in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE") + (("TRUNCATE",) if on_truncate else ()):
            transition = {"INSERT": "REFERENCING NEW TABLE AS new_rows", "DELETE": "REFERENCING OLD TABLE AS old_rows",
                          "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"}.get(event, "")
            statements.append(f"CREATE TRIGGER {table}_upkeep_rollup_{event.lower()} AFTER {event} ON {table} "
                              f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION {table}_upkeep_rollup();")
    return "\n".join(statements)


def drop_triggers_sql() -> str:
    return "\n".join(f"DROP TRIGGER IF EXISTS {table}_upkeep_rollup_{event.lower()} ON {table};"
                     for table, *_rest in WATCHED for event in ("INSERT", "UPDATE", "DELETE", "TRUNCATE"))


def rules_sql(defaults, summer_months, tz: str) -> str:
    """The functions with the rules written in: ``defaults`` as (kind, action, interval, summer
    interval or None, in service only) tuples, ``summer_months`` ints, ``tz`` a time zone name."""
    def literal(value):
        if value is None:
            return "NULL::integer"
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int):
            return str(value)
        return "'" + str(value).replace("'", "''") + "'"

    values = ", ".join("(" + ", ".join([literal(kind), literal(action), literal(interval), literal(summer),
                                        literal(in_service_only)]) + ")"
                       for kind, action, interval, summer, in_service_only in defaults)
    months = "{" + ",".join(str(month) for month in sorted(summer_months)) + "}"
    return (RULES_SQL.format(defaults=values, summer_months=months)
            + REFRESH.format(tz=literal(tz)) + trigger_functions_sql())


#: The on-time counts of ``upkeep.sql.ON_TIME`` from the sums. Parameters: street ids, since (a date),
#: street ids, in the hot season today, today. ``{area}``: ``street_id`` or ``community_id``.
ON_TIME_SUMS = """
WITH done AS (
    SELECT {area} AS area_id, sum(on_time) AS on_time, sum(late) AS late
    FROM upkeep_logday WHERE street_id = ANY(%s) AND day >= %s
    GROUP BY 1
), overdue AS (
    SELECT {area} AS area_id, sum(rounds) AS overdue
    FROM upkeep_duecount
    WHERE street_id = ANY(%s) AND CASE WHEN %s THEN due_summer ELSE due_normal END < %s
    GROUP BY 1
)
SELECT coalesce(d.area_id, v.area_id), coalesce(d.on_time, 0), coalesce(d.late, 0), coalesce(v.overdue, 0)
FROM done d FULL JOIN overdue v ON v.area_id = d.area_id
"""
