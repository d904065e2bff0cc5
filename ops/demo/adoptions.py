"""Demo adoptions: past (ended), current (approved), pending (requested), rejected and withdrawn.

Periods are half-open date ranges [start, end). Per asset, granted periods (approved or ended)
follow one another without overlapping, as the database's exclusion constraint demands.
"""

import datetime

from django.db.models import F
from django.utils import timezone
from django.db.backends.postgresql.psycopg_any import DateRange

from adoption.models import Adoption, AdoptionStatus
from registry.assets import AssetKind, AssetStatus

DUTIES = {
    AssetKind.GREEN_PLOT: ("每周浇水两次，每月除草、修剪一次，发现病虫害及时报告。", 3),
    AssetKind.GARDEN: ("每周浇水、清洁一次，每月修剪，节假日组织居民共建活动。", 7),
    AssetKind.PAINTED_BOX: ("每季度清洁电箱表面，发现涂鸦或褪色及时补色。", 30),
}
REJECTION_REASONS = ["该地块已有认领单位，请选择其他绿地。", "养护计划未写明频次与人员，请补充后重新申请。",
                     "该区域计划于明年微改造，暂不开放认领。"]
DAY = datetime.timedelta(days=1)


def _days(n: int) -> datetime.timedelta:
    return n * DAY


def _decided(adoption: Adoption, staff, on: datetime.date) -> Adoption:
    adoption.decided_by = staff
    adoption.decided_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 30)))
    return adoption


def _history(rng, today) -> list[tuple[str, datetime.date, datetime.date]]:
    """(status, start, end) of one asset's adoptions, oldest first."""
    draw = rng.random()
    if draw < 0.60:  # adopted now, perhaps after an earlier adopter
        start = today - _days(rng.randint(20, 330))
        history = [(AdoptionStatus.APPROVED, start, start + _days(rng.choice([365, 730])))]
        if rng.random() < 0.45:
            previous_end = start - _days(rng.randint(0, 20))
            history.insert(0, (AdoptionStatus.ENDED, previous_end - _days(rng.randint(150, 365)), previous_end))
        return history
    if draw < 0.75:  # adopted in the past, free now
        end = today - _days(rng.randint(10, 120))
        return [(AdoptionStatus.ENDED, end - _days(rng.randint(120, 365)), end)]
    if draw < 0.85:  # an application waiting for a decision
        start = today + _days(rng.randint(3, 30))
        return [(AdoptionStatus.REQUESTED, start, start + _days(365))]
    if draw < 0.93:  # an application turned down
        start = today - _days(rng.randint(15, 200))
        return [(AdoptionStatus.REJECTED, start, start + _days(365))]
    if draw < 0.95:  # an application its applicant took back
        start = today + _days(14)
        return [(AdoptionStatus.WITHDRAWN, start, start + _days(365))]
    return []


def build_adoptions(rng, assets, adopters, staff_by_street, admin, today) -> list[Adoption]:
    """Create the adoptions of adoptable assets in use; return them."""
    adoptions = []
    for asset in assets:
        if not asset.is_adoptable or asset.status != AssetStatus.IN_USE:
            continue
        duties, interval = DUTIES.get(asset.kind, ("定期巡查、清洁，发现问题及时报告。", 14))
        staff = staff_by_street.get(asset.street.name_zh, admin)
        for adopter, (status, start, end) in zip(rng.sample(adopters, 2), _history(rng, today)):
            adoption = Adoption(adopter=adopter, asset=asset, period=DateRange(start, end), status=status,
                                duties=duties, care_interval_days=interval, people=rng.randint(1, 12))
            if status not in (AdoptionStatus.REQUESTED, AdoptionStatus.WITHDRAWN):
                _decided(adoption, staff, start - _days(rng.randint(3, 10)))
            if status == AdoptionStatus.REJECTED:
                adoption.decision_reason = rng.choice(REJECTION_REASONS)
            adoptions.append(adoption)
    Adoption.objects.bulk_create(adoptions)
    # "Applied at" is set to now on insert: date each application a week before its decision,
    # and the pending ones two days ago.
    created = Adoption.objects.filter(pk__in=[adoption.pk for adoption in adoptions])
    created.filter(decided_at__isnull=False).update(created_at=F("decided_at") - datetime.timedelta(days=7))
    created.filter(decided_at__isnull=True).update(created_at=timezone.now() - datetime.timedelta(days=2))
    return adoptions


def adopter_on(adoptions_of_asset, day: datetime.date):
    """The adopter holding a granted adoption of the asset on ``day``, or None."""
    for adoption in adoptions_of_asset:
        if adoption.status in (AdoptionStatus.APPROVED, AdoptionStatus.ENDED) \
                and adoption.period.lower <= day < adoption.period.upper:
            return adoption.adopter
    return None
