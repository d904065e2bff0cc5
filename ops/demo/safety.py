"""Demo of the SITE safety loop: risks of every category and severity in several communities,
interventions in every status (some overdue), a round checklist and two quarters of rounds,
ambassadors with trainings, and two quarters of evaluations (the earlier one signed off).

Everything is written through :mod:`safety.operations` by the demo's district administrator, so
the rows, photos and audit entries are what the pages would have written. Evidence photos are
generated pictures (``ops.demo.pictures``), a few, to keep the load fast.
"""

import datetime
from collections import OrderedDict

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ops.demo.pictures import picture
from registry.geography import Community
from safety import operations
from safety.models import RiskCategory, Severity

CHECKLIST = ("消防与公共安全巡查", [
    ("灭火器在位且在有效期内", RiskCategory.FIRE, Severity.HIGH),
    ("楼道及疏散通道畅通", RiskCategory.FIRE, Severity.HIGH),
    ("电箱、线路完好，无私拉乱接", RiskCategory.ELECTRICAL, Severity.MEDIUM),
    ("外墙、窗台无松脱坠落风险", RiskCategory.FALLING, Severity.HIGH),
    ("排水沟、雨水口通畅", RiskCategory.FLOODING, Severity.LOW),
])
DESCRIPTIONS = {
    RiskCategory.FIRE: "楼道堆放纸箱杂物，堵塞疏散通道",
    RiskCategory.ELECTRICAL: "彩绘电箱门锁损坏，线路外露",
    RiskCategory.FALLING: "骑楼外立面灰塑松动，有坠落风险",
    RiskCategory.STRUCTURE: "老屋木梁开裂，需结构评估",
    RiskCategory.ELEVATOR: "加装电梯井道门闭合异常",
    RiskCategory.FLOODING: "巷口雨水口堵塞，暴雨易水浸",
    RiskCategory.TRAFFIC: "路口视线遮挡，电动车抢行",
    RiskCategory.PUBLIC_ORDER: "夜间街巷照明不足",
}
AMBASSADORS = [("陈阿姨", "resident"), ("李师傅", "shop_owner"), ("黄同学", "volunteer")]
COMMUNITIES = 4


def _photo(rng, name="evidence.jpg"):
    return SimpleUploadedFile(name, picture("garden", rng), content_type="image/jpeg")


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _communities(assets):
    """The first communities (by code) that have demo assets, each with its assets."""
    communities = Community.objects.in_bulk({asset.community_id for asset in assets if asset.community_id})
    by_community = OrderedDict()
    for asset in sorted((asset for asset in assets if asset.community_id),
                        key=lambda a: (communities[a.community_id].code, a.pk)):
        by_community.setdefault(communities[asset.community_id], []).append(asset)
    return list(by_community.items())[:COMMUNITIES]


def build_safety(rng, assets, admin, today: datetime.date) -> None:
    places = _communities(assets)
    if not places:
        return
    checklist = operations.create_checklist(actor=admin, name_zh=CHECKLIST[0], items=CHECKLIST[1],
                                            name_en="Fire and public safety round")
    this_quarter = operations.quarter_of(today)
    last_quarter = operations.quarter_of(this_quarter[0] - datetime.timedelta(days=1))
    span = (today - last_quarter[0]).days
    categories, severities = list(RiskCategory.values), list(Severity.values)
    for index, (community, community_assets) in enumerate(places):
        _rounds(rng, admin, community, checklist, last_quarter[0], today)
        # Risks of every category and severity, spread over the communities and the two quarters.
        for number in range(6):
            category = categories[(index * 6 + number) % len(categories)]
            severity = severities[(index + number) % len(severities)]
            asset = community_assets[number % len(community_assets)]
            found = _at(last_quarter[0] + datetime.timedelta(days=rng.randrange(max(span - 3, 1))), 9 + number)
            risk = operations.raise_risk(actor=admin, location=asset.location, asset=asset, category=category,
                                         severity=severity, description=DESCRIPTIONS[category], found_at=found,
                                         source=rng.choice(["round", "resident", "consultation"]))
            _intervene(rng, admin, risk, number, found)
        _ambassadors(rng, admin, community, last_quarter[0], today)
        _evaluations(admin, community, last_quarter, this_quarter, today, index)


def _intervene(rng, admin, risk, number, found):
    """Interventions in every status: done on time, done late, planned (overdue or not), cancelled."""
    now = timezone.now()
    if number == 5:  # accepted: its planned intervention is cancelled
        operations.plan_intervention(actor=admin, risk=risk, measure="设置警示标识", responsible="社区居委会")
        operations.accept_risk(actor=admin, risk=risk, reason="业主已知悉，纳入明年改造计划")
        return
    deadline = operations.default_deadline(risk.severity, found)
    if number == 4:  # found, nothing planned yet
        return
    intervention = operations.plan_intervention(actor=admin, risk=risk, measure="清理整改并复查", responsible="物业服务中心",
                                                deadline=deadline if number != 3 else None)
    if number in (0, 1) and deadline < now:
        late = number == 1
        closed = deadline + datetime.timedelta(hours=6) if late else found + (deadline - found) / 2
        operations.close_intervention(actor=admin, intervention=intervention, note="已整改，现场复查合格",
                                      photos=[_photo(rng)], closed_at=min(closed, now))
    # number 2 and 3: still planned — overdue when their deadline has passed


def _rounds(rng, admin, community, checklist, start, today):
    grid = community.grids.order_by("code").first()
    safety_round = operations.schedule_round(actor=admin, community=community, grid=grid, checklist=checklist,
                                             due_on=start + datetime.timedelta(days=rng.randrange(10)))
    items = list(checklist.items.all())
    while safety_round.due_on < today - datetime.timedelta(days=3):
        done_on = min(safety_round.due_on + datetime.timedelta(days=rng.choice([-2, -1, 0, 0, 3])), today)
        failed = rng.choice(items) if rng.random() < 0.4 else None
        answers = {item.pk: (item != failed, "现场发现问题" if item == failed else "") for item in items}
        operations.record_round(actor=admin, safety_round=safety_round, answers=answers, done_at=_at(done_on, 15))
        if failed is not None:
            operations.raise_risk_from_answer(actor=admin, answer=safety_round.answers.get(item=failed))
        safety_round = community.safety_rounds.get(done_at__isnull=True)


def _ambassadors(rng, admin, community, start, today):
    people = [operations.add_ambassador(actor=admin, name=name, kind=kind, community=community)
              for name, kind in AMBASSADORS]
    operations.record_training(actor=admin, community=community, topic="消防器材使用与疏散演练",
                               date=start + datetime.timedelta(days=20), trainer="区消防救援大队",
                               attendees=people[:2], photos=[_photo(rng, "training.jpg")])
    operations.record_training(actor=admin, community=community, topic="用电安全与彩绘电箱巡查",
                               date=min(start + datetime.timedelta(days=110), today), trainer="供电所",
                               attendees=people[1:])


def _evaluations(admin, community, last_quarter, this_quarter, today, index):
    earlier = operations.open_evaluation(actor=admin, community=community, period_start=last_quarter[0],
                                         period_end=last_quarter[1], checklist_score=72 + 5 * index,
                                         conclusion="隐患发现及时，高风险隐患处置基本在期限内完成；需加强疏散通道日常巡查。")
    operations.sign_off_evaluation(actor=admin, evaluation=earlier)
    operations.open_evaluation(actor=admin, community=community, period_start=this_quarter[0],
                               period_end=this_quarter[1], checklist_score=80 + 3 * index,
                               conclusion="本季度评估进行中。")
