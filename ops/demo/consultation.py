"""Demo consultation: in eight communities, a community, a grid and a building meeting each, with
resolutions in every status; the executed ones carried out by the demo's projects, upkeep logs and
adoptions of the same community (or street). Built through :mod:`consultation.operations` by the
demo's district administrator, so statuses, audit entries and history are what the pages write."""

import datetime

from consultation import operations
from consultation.models import ConvenerRole, MeetingLevel, VenueKind
from consultation.operations import ResolutionInput

COMMUNITIES = 8
#: (level, venue, convener, topic, resolutions' texts).
MEETINGS = [
    (MeetingLevel.COMMUNITY, VenueKind.LIVING_ROOM, ConvenerRole.RESIDENTS_COMMITTEE, "社区微改造项目议事",
     ["同意将闲置地块改造为邻里花园", "设置社区公共晾晒区", "增设无障碍坡道"]),
    (MeetingLevel.GRID, VenueKind.LIVING_ROOM, ConvenerRole.PARTY_BRANCH, "网格环境整治议事",
     ["清理巷道杂物，恢复消防通道", "认领绿地由志愿者定期养护"]),
    (MeetingLevel.BUILDING, VenueKind.ONLINE_GROUP, ConvenerRole.BUILDING_LEADER, "楼道改造议事（网上家园）",
     ["楼道加装扶手", "粉刷楼道墙面", "增设电动自行车集中充电点"]),
]
#: The status of each resolution in turn: every status appears, most are carried out.
STATUSES = ["executed", "executed", "in_progress", "executed", "not_feasible", "adopted", "executed", "rejected"]


def build_consultation(rng, admin, assets, projects, logs, adoptions, today) -> int:
    """Meetings and resolutions in the first communities (by code) that hold demo assets; returns how many meetings."""
    by_community = {}
    for asset in assets:
        by_community.setdefault(asset.community_id, []).append(asset)
    logs_by_community, adoptions_by_community, projects_by_street = {}, {}, {}
    assets_by_id = {asset.pk: asset for asset in assets}
    for log in logs:
        community = assets_by_id[log.asset_id].community_id if log.asset_id in assets_by_id else None
        logs_by_community.setdefault(community, []).append(log)
    for adoption in adoptions:
        if adoption.asset_id in assets_by_id:
            adoptions_by_community.setdefault(assets_by_id[adoption.asset_id].community_id, []).append(adoption)
    for project in projects:
        projects_by_street.setdefault(project.street_id, []).append(project)
    # Communities with adoptions and logs first, so every kind of evidence appears.
    chosen = sorted(by_community, key=lambda pk: (pk not in adoptions_by_community, pk not in logs_by_community,
                                                  by_community[pk][0].community.code, pk))[:COMMUNITIES]
    count, turn = 0, 0
    for index, community_pk in enumerate(chosen):
        community_assets = by_community[community_pk]
        community = community_assets[0].community
        evidence = {"project": list(projects_by_street.get(community.street_id, [])),
                    "upkeep_log": [log for log in logs_by_community.get(community_pk, [])
                                   if log.performed_at.date() <= today][-5:],
                    "adoption": list(adoptions_by_community.get(community_pk, []))}
        for number, (level, venue, convener, topic, texts) in enumerate(MEETINGS):
            date = today - datetime.timedelta(days=300 - 40 * number - 7 * index)
            asset = community_assets[number % len(community_assets)]
            participants = rng.randint(25, 60)
            inputs = [ResolutionInput(
                text=text, votes_for=participants - 6, votes_against=rng.randint(0, 3), votes_abstain=rng.randint(0, 3),
                adopted=STATUSES[(turn + offset) % len(STATUSES)] != "rejected",
                responsible=("居委会", "业委会", "物业服务企业")[offset % 3],
                due_date=date + datetime.timedelta(days=rng.choice((30, 60, 90))))
                for offset, text in enumerate(texts)]
            meeting = operations.record_meeting(
                actor=admin, community=community, level=level, date=date, topic=topic, venue_kind=venue,
                convener_role=convener, participants=participants, households_present=participants - 5,
                grid=asset.grid if level != MeetingLevel.COMMUNITY else None,
                building_address=(asset.address or asset.name_zh) if level == MeetingLevel.BUILDING else "",
                minutes="会议由居民代表充分讨论后逐项表决。", assets=[asset], resolutions=inputs,
                projects=evidence["project"][:1] if level == MeetingLevel.COMMUNITY else [])
            for offset, resolution in enumerate(meeting.resolutions.order_by("id")):
                status = STATUSES[(turn + offset) % len(STATUSES)]
                _carry(admin, resolution, status, date, today, evidence, turn + offset)
            turn += len(texts)
            count += 1
    return count


def _carry(admin, resolution, status, date, today, evidence, turn) -> None:
    if status in ("in_progress", "executed"):
        operations.start_resolution(actor=admin, resolution=resolution)
    if status == "executed":
        link = {}
        for step in range(3):  # the kind of evidence in turn, else the next one the community has
            kind = ("adoption", "upkeep_log", "project")[(turn + step) % 3]
            found = [row for row in evidence[kind] if kind != "upkeep_log" or row.performed_at.date() >= date]
            if found:
                link = {kind: found[0]}
                break
        operations.execute_resolution(actor=admin, resolution=resolution,
                                      executed_on=min(today, date + datetime.timedelta(days=20)), **link)
    elif status == "not_feasible":
        operations.declare_not_feasible(actor=admin, resolution=resolution,
                                        reason="涉及房屋产权分散，经征询无法取得全部业主同意，暂缓实施。")
