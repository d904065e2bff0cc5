"""Demo upkeep schedules: each green plot waters as its stated watering needs say.

The kinds' defaults (``upkeep.schedules``) need no rows. A plot whose watering needs are
low is watered weekly all year, one whose needs are high every 2 days in summer and every
3 days otherwise; medium plots keep the default (every 3 days in summer, weekly otherwise).
"""

from gardens.models import WateringNeed
from registry.assets import AssetKind
from upkeep.models import UpkeepAction, UpkeepSchedule

#: watering needs → (interval in days, interval from May to October or None)
WATERING = {WateringNeed.LOW: (7, None), WateringNeed.HIGH: (3, 2)}


def build_schedules(assets) -> list[UpkeepSchedule]:
    schedules = [UpkeepSchedule(asset=asset, action=UpkeepAction.WATERING, interval_days=WATERING[need][0],
                                summer_interval_days=WATERING[need][1])
                 for asset in assets if asset.kind == AssetKind.GREEN_PLOT
                 for need in [asset.watering_needs] if need in WATERING]
    return UpkeepSchedule.objects.bulk_create(schedules)
