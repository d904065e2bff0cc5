"""The elevator programme of the demo: each retrofit's stage history since August 2017, consistent
with its stage; building facts and costs; custody contracts in all three modes; some retrofits
waiting past their stage's target so the green channel has a queue."""

import datetime
from decimal import Decimal

from elevators.models import CustodyContract, ProgrammeStage, StageEvent
from elevators.figures import PROGRAMME_START
from ops.demo import names
from retrofits.models import ElevatorRetrofit, RetrofitStage

#: The programme stages a retrofit at each map stage has been through, in order.
PATH = {
    RetrofitStage.APPLICATION: [ProgrammeStage.ACCEPTED, ProgrammeStage.CONSENT],
    RetrofitStage.PLANNING_PERMIT: [ProgrammeStage.ACCEPTED, ProgrammeStage.CONSENT, ProgrammeStage.PLANNING_PERMIT],
    RetrofitStage.UNDER_CONSTRUCTION: [ProgrammeStage.ACCEPTED, ProgrammeStage.CONSENT,
                                       ProgrammeStage.PLANNING_PERMIT, ProgrammeStage.CONSTRUCTION],
    RetrofitStage.IN_SERVICE: [ProgrammeStage.ACCEPTED, ProgrammeStage.CONSENT, ProgrammeStage.PLANNING_PERMIT,
                               ProgrammeStage.CONSTRUCTION, ProgrammeStage.ACCEPTANCE, ProgrammeStage.REGISTRATION,
                               ProgrammeStage.IN_SERVICE],
}
#: Typical days from a stage's predecessor to it (low, high).
GAP_DAYS = {
    ProgrammeStage.CONSENT: (15, 90), ProgrammeStage.PLANNING_PERMIT: (10, 45),
    ProgrammeStage.CONSTRUCTION: (20, 90), ProgrammeStage.ACCEPTANCE: (60, 160),
    ProgrammeStage.REGISTRATION: (5, 20), ProgrammeStage.IN_SERVICE: (3, 15),
}


def _history(rng, stage, today) -> list[tuple[str, datetime.date]]:
    path = PATH[stage]
    if stage == RetrofitStage.APPLICATION and rng.random() < 0.5:
        path = path[:1]  # still collecting the owners' consent
    gaps = [rng.randint(*GAP_DAYS[s]) for s in path[1:]]
    latest_start = today - datetime.timedelta(days=sum(gaps) + 1)
    # Finished ones started any time since 2017-08; open ones mostly lately, a few long ago (overdue).
    earliest = PROGRAMME_START if stage == RetrofitStage.IN_SERVICE or rng.random() < 0.3 else \
        max(PROGRAMME_START, latest_start - datetime.timedelta(days=200))
    on = earliest + datetime.timedelta(days=rng.randint(0, max(0, (latest_start - earliest).days)))
    history = [(path[0], on)]
    for stage_reached, gap in zip(path[1:], gaps):
        on += datetime.timedelta(days=gap)
        history.append((stage_reached, on))
    return history


def build_retrofit_programme(rng, today: datetime.date, admin) -> int:
    """Stage events, facts and custody contracts for every demo retrofit; returns the events written."""
    events, contracts = [], []
    for retrofit in ElevatorRetrofit.objects.order_by("pk").defer("geometry_webmercator", "location_webmercator"):
        history = _history(rng, retrofit.stage, today)
        for stage, on in history:
            share = Decimal(rng.randint(70, 100)) if stage == ProgrammeStage.CONSENT else None
            events.append(StageEvent(
                retrofit=retrofit, stage=stage, happened_on=on, recorded_by=admin, owners_share=share,
                floor_area_share=share, document_number={
                    ProgrammeStage.PLANNING_PERMIT: f"穗规建证〔{on.year}〕{rng.randint(100, 999)}号",
                    ProgrammeStage.REGISTRATION: f"梯登{on.year}{rng.randint(10000, 99999)}"}.get(stage, "")))
        cost = Decimal(rng.randrange(450_000, 900_000, 1000))
        subsidy = (cost * Decimal("0.2")).quantize(Decimal("1"))
        ElevatorRetrofit.objects.filter(pk=retrofit.pk).update(
            floors=rng.randint(6, 9), cost_yuan=cost, subsidy_yuan=subsidy, residents_yuan=cost - subsidy,
            other_yuan=Decimal(0), is_priority=rng.random() < 0.08)
        if retrofit.custody_mode:
            contracts.append(CustodyContract(
                retrofit=retrofit, mode=retrofit.custody_mode, custodian=rng.choice(names.ELEVATOR_CONTRACTORS),
                maintenance_company=retrofit.maintenance_contractor or rng.choice(names.ELEVATOR_CONTRACTORS),
                starts_on=history[-1][1], ends_on=history[-1][1] + datetime.timedelta(days=3 * 365)))
    StageEvent.objects.bulk_create(events, batch_size=1000)
    CustodyContract.objects.bulk_create(contracts, batch_size=1000)
    return len(events)
