"""How the elevators in service are looked after: the 15-day maintenance rule (TSG T5002) and
elevator faults reported by residents, per custodian — the figures a street office holds the
custodians to. SQL over the upkeep logs and the problem reports (the apps below this one).

* **maintained**: in-service elevators whose latest elevator maintenance is at most 15 days before
  the period's end; ``maintenance_compliance`` is their share.
* **faults**: elevator-fault reports filed in the period on elevators in service;
  ``faults_per_100`` per 100 elevators in service; ``median_hours_to_fix`` from filing to resolution
  of those resolved.
"""

from dataclasses import dataclass

from django.db import connection

from elevators.period import Period
from problems.models import ProblemCategory, ProblemReport, ProblemStatus
from upkeep.models import UpkeepAction, UpkeepLog

MAINTENANCE_DAYS = 15

# Set-based: the in-service elevators come from the progress rows (their street copied there by a
# trigger), the custodian from the latest contract per retrofit, the faults grouped from the few
# fault reports of the period, the maintained elevators from the window's maintenance logs (a
# partial index). One look-up per elevator for each of them took 0.7 s over 80,000 elevators in
# service (bench/dashboard.py).
SERVICE = f"""
WITH custody AS (
    SELECT DISTINCT ON (contract.retrofit_id) contract.retrofit_id, contract.custodian
    FROM elevators_custodycontract contract
    WHERE contract.starts_on <= %(end)s
    ORDER BY contract.retrofit_id, contract.starts_on DESC, contract.id DESC
),
faulted AS (
    SELECT report.asset_id, count(*) AS faults
    FROM {ProblemReport._meta.db_table} report
    WHERE report.category = '{ProblemCategory.ELEVATOR_FAULT.value}'
      AND report.created_at >= %(start)s AND report.created_at < %(end)s::date + 1
    GROUP BY report.asset_id
),
maintained AS (  -- the index upkeep_elevator_maintenance: the window's maintenance logs only
    SELECT DISTINCT log.asset_id
    FROM {UpkeepLog._meta.db_table} log
    WHERE log.action = '{UpkeepAction.ELEVATOR_MAINTENANCE.value}'
      AND log.performed_at >= %(end)s::date + 1 - {MAINTENANCE_DAYS} AND log.performed_at < %(end)s::date + 1
),
looked_after AS (
    SELECT progress.retrofit_id AS id,
           coalesce(custody.custodian, nullif(retrofit.maintenance_contractor, ''), '') AS custodian,
           maintained.asset_id IS NOT NULL AS maintained,
           coalesce(faulted.faults, 0) AS faults
    FROM elevators_retrofitprogress progress
    JOIN retrofits_elevatorretrofit retrofit ON retrofit.asset_ptr_id = progress.retrofit_id
    LEFT JOIN custody ON custody.retrofit_id = progress.retrofit_id
    LEFT JOIN faulted ON faulted.asset_id = progress.retrofit_id
    LEFT JOIN maintained ON maintained.asset_id = progress.retrofit_id
    WHERE progress.in_service_on <= %(end)s
      AND (%(street)s::bigint IS NULL OR progress.street_id = %(street)s::bigint)
),
fix_times AS (
    SELECT fixed.custodian, extract(epoch FROM report.resolved_at - report.created_at) AS seconds
    FROM {ProblemReport._meta.db_table} report JOIN looked_after fixed ON fixed.id = report.asset_id
    WHERE report.category = '{ProblemCategory.ELEVATOR_FAULT.value}'
      AND report.status = '{ProblemStatus.RESOLVED.value}'
      AND report.created_at >= %(start)s AND report.created_at < %(end)s::date + 1
),
medians AS (  -- per custodian, and (custodian NULL) for all of them together
    SELECT custodian, percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS seconds_to_fix
    FROM fix_times GROUP BY ROLLUP (custodian)
),
counts AS (
    SELECT custodian, count(*) AS in_service,
           count(*) FILTER (WHERE maintained) AS maintained,
           coalesce(sum(faults), 0)::int AS faults
    FROM looked_after GROUP BY ROLLUP (custodian)
)
SELECT counts.custodian, counts.in_service, counts.maintained, counts.faults, medians.seconds_to_fix
FROM counts LEFT JOIN medians ON medians.custodian IS NOT DISTINCT FROM counts.custodian
ORDER BY counts.custodian NULLS FIRST
"""


@dataclass(frozen=True)
class ServiceRow:
    custodian: str | None  # None: every custodian together
    in_service: int
    maintained: int
    faults: int
    seconds_to_fix: float | None

    @property
    def maintenance_compliance(self) -> float | None:
        return self.maintained / self.in_service if self.in_service else None

    @property
    def faults_per_100(self) -> float | None:
        return round(100 * self.faults / self.in_service, 1) if self.in_service else None

    @property
    def median_hours_to_fix(self) -> float | None:
        return None if self.seconds_to_fix is None else round(self.seconds_to_fix / 3600, 1)


def service_rows(period: Period = Period()) -> list[ServiceRow]:
    """The total first (custodian None), then one row per custodian."""
    with connection.cursor() as cursor:
        cursor.execute(SERVICE, period.params())
        rows = [ServiceRow(*row) for row in cursor.fetchall()]
    total = next((row for row in rows if row.custodian is None), ServiceRow(None, 0, 0, 0, None))
    return [total, *sorted((row for row in rows if row.custodian is not None), key=lambda row: row.custodian)]
