"""A year of demo upkeep, ending today, with the actions each kind needs.

Each kind has a schedule of (action, interval in days, chance that a round happens at all).
Elevators in service are maintained at most 15 days apart and inspected once a year (TSG T5002).
Work an adopter would do is logged by the asset's adopter of the day, when it has one, most of
the time; everything else by the street's staff.
"""

import datetime
from collections import defaultdict

from django.db.models import F, Value
from django.db.models.functions import Least
from django.utils import timezone

from gardens.models import WateringNeed
from ops.demo.adoptions import adopter_on
from registry.assets import AssetKind, AssetStatus
from retrofits.models import RetrofitStage
from upkeep.models import UpkeepAction as Action
from upkeep.models import UpkeepLog

WATERING_DAYS = {WateringNeed.HIGH: 3, WateringNeed.MEDIUM: 5, WateringNeed.LOW: 9}
SCHEDULES = {
    AssetKind.GREEN_PLOT: [(Action.WEEDING, 30, 1), (Action.PRUNING, 60, 1), (Action.FERTILISING, 90, 1),
                           (Action.PEST_CONTROL, 180, 0.8), (Action.REPLANTING, 365, 0.5)],
    AssetKind.GARDEN: [(Action.WATERING, 7, 1), (Action.CLEANING, 14, 1), (Action.PRUNING, 30, 1),
                       (Action.WEEDING, 30, 1), (Action.FERTILISING, 90, 1), (Action.PEST_CONTROL, 120, 0.8),
                       (Action.REPLANTING, 365, 0.5)],
    AssetKind.PAINTED_BOX: [(Action.INSPECTION, 60, 1), (Action.CLEANING, 90, 1), (Action.REPAINTING, 365, 0.4)],
    AssetKind.MURAL: [(Action.INSPECTION, 30, 1), (Action.CLEANING, 90, 0.8), (Action.REPAINTING, 365, 0.5)],
    AssetKind.HERITAGE: [(Action.INSPECTION, 30, 1), (Action.CLEANING, 60, 1), (Action.SAFETY_CHECK, 90, 1),
                         (Action.REPAIR, 365, 0.4)],
    AssetKind.ELEVATOR: [(Action.SAFETY_CHECK, 90, 1)],
}
#: Assets being renovated or built only get safety rounds.
UNDER_WORKS = [(Action.SAFETY_CHECK, 30, 1)]
ADOPTER_ACTIONS = {Action.WATERING, Action.WEEDING, Action.PRUNING, Action.CLEANING, Action.FERTILISING,
                   Action.REPLANTING, Action.INSPECTION}
NOTES = {
    Action.WATERING: ["", "", "天气干燥，加浇一次。"], Action.PEST_CONTROL: ["发现蚜虫，已喷洒生物药剂。"],
    Action.REPAINTING: ["褪色部分补色，表面加涂保护漆。"], Action.REPAIR: ["更换破损瓦片，修补灰塑。"],
    Action.ANNUAL_INSPECTION: ["特种设备检验机构年度检验合格。"], Action.SAFETY_CHECK: ["", "检查围蔽与消防通道。"],
    Action.INSPECTION: ["", "", "发现小面积涂鸦，已登记。"],
}
MINUTES = {Action.WATERING: (15, 40), Action.ELEVATOR_MAINTENANCE: (45, 90), Action.ANNUAL_INSPECTION: (90, 180),
           Action.REPAINTING: (120, 300), Action.REPAIR: (120, 480)}


def schedule(asset) -> list[tuple[str, int, float]]:
    if asset.status in (AssetStatus.PLANNED, AssetStatus.RETIRED):
        return []
    if asset.status == AssetStatus.UNDER_RENOVATION:
        return UNDER_WORKS
    rounds = list(SCHEDULES[asset.kind])
    if asset.kind == AssetKind.GREEN_PLOT:
        rounds.append((Action.WATERING, WATERING_DAYS[asset.watering_needs], 1))
    return rounds


def round_days(rng, action, interval, today) -> list[datetime.date]:
    """The days in the past year on which a round of ``action`` every ``interval`` days fell."""
    day = today - datetime.timedelta(days=365 - rng.randrange(interval))
    days = []
    while day <= today:
        days.append(day)
        gap = rng.randint(12, 15) if action == Action.ELEVATOR_MAINTENANCE else round(interval * rng.uniform(0.8, 1.2))
        day += datetime.timedelta(days=max(gap, 1))
    return days


def elevator_days(rng, asset, today) -> list[tuple[str, datetime.date]]:
    """Maintenance at most 15 days apart and last year's annual inspection, for one in service."""
    if asset.status != AssetStatus.IN_USE or asset.stage != RetrofitStage.IN_SERVICE:
        return []
    days = [(Action.ELEVATOR_MAINTENANCE, day) for day in round_days(rng, Action.ELEVATOR_MAINTENANCE, 15, today)]
    if asset.next_inspection_on:
        inspected = asset.next_inspection_on - datetime.timedelta(days=365)
        if today - datetime.timedelta(days=365) <= inspected <= today:
            days.append((Action.ANNUAL_INSPECTION, inspected))
    return days


def performed_at(rng, day, now) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randrange(60))))
    return min(moment, now - datetime.timedelta(minutes=5))


def asset_logs(rng, asset, adoptions, staff, today, now) -> list[UpkeepLog]:
    visits = [(action, day) for action, interval, chance in schedule(asset) if rng.random() < chance
              for day in round_days(rng, action, interval, today)]
    if asset.kind == AssetKind.ELEVATOR:
        visits += elevator_days(rng, asset, today)
    logs = []
    for action, day in sorted(visits, key=lambda visit: visit[1]):
        adopter = adopter_on(adoptions, day) if action in ADOPTER_ACTIONS else None
        if adopter is not None and rng.random() < 0.3:
            adopter = None  # the street's staff still come round now and then
        low, high = MINUTES.get(action, (20, 60))
        notes = rng.choice(NOTES.get(action, [""]))
        if action == Action.ELEVATOR_MAINTENANCE:
            notes = f"{asset.maintenance_contractor or '维保单位'}例行维保，运行正常。"
        logs.append(UpkeepLog(asset=asset, action=action, performed_at=performed_at(rng, day, now), notes=notes,
                              staff=None if adopter else staff, adopter=adopter,
                              duration_minutes=rng.randint(low, high),
                              participants=rng.randint(1, 8) if adopter else rng.randint(1, 2)))
    return logs


def build_upkeep(rng, assets, adoptions, staff_by_street, admin, today) -> list[UpkeepLog]:
    by_asset = defaultdict(list)
    for adoption in adoptions:
        by_asset[adoption.asset_id].append(adoption)
    now = timezone.now()
    logs = []
    for asset in assets:
        staff = staff_by_street.get(asset.street.name_zh, admin)
        logs += asset_logs(rng, asset, by_asset[asset.pk], staff, today, now)
    UpkeepLog.objects.bulk_create(logs, batch_size=2000)
    # "Logged at" is set to now on insert; logs are written up about an hour after the work.
    UpkeepLog.objects.filter(pk__in=[log.pk for log in logs]).update(
        created_at=Least(F("performed_at") + datetime.timedelta(hours=1), Value(now)))
    # Some staff logs were made in alleys with no signal (the offline workbench, docs/offline.md):
    # recorded on the phone when the work was done, received hours later.
    offline = [log.pk for log in logs if log.staff_id and rng.random() < 0.05]
    UpkeepLog.objects.filter(pk__in=offline).update(
        recorded_at=F("performed_at"), created_at=Least(F("performed_at") + datetime.timedelta(hours=3), Value(now)))
    return logs
