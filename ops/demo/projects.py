"""Demo renovation projects: programmes with their projects, every kind and phase, in many streets.

Each project sits on a demo asset of a fitting kind (the asset it renovates or created) and is
built through :mod:`projects.operations` by the demo's district administrator, so phases,
funding, contractors and milestones are exactly what the pages would have written, with their
audit entries. Milestone photos are generated pictures of the asset's kind: the "before" one a
dull, weathered copy of the "after" one, so the public page shows the same spot side by side.
"""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image, ImageEnhance, ImageOps

from adoption.models import AdopterKind
from ops.demo.people import credit_code
from ops.demo.pictures import picture
from projects import operations
from projects.models import AssetRole, FundingSource, Project, ProjectKind
from projects.phases import ORDER, Phase
from registry.assets import AssetKind

#: (name, kind, asset kind to sit on, street, phase, parent programme's name or "").
PROGRAMMES = [
    ("逢源街社区微改造计划", ProjectKind.OTHER, AssetKind.GARDEN, "逢源街道", Phase.CONSTRUCTION),
    ("昌华街老城更新计划", ProjectKind.OTHER, AssetKind.MURAL, "昌华街道", Phase.DESIGN),
    ("西村街社区更新计划", ProjectKind.OTHER, AssetKind.GARDEN, "西村街道", Phase.ACCEPTANCE),
]
PROJECTS = [
    ("逢源街邻里花园认领绿地改造", ProjectKind.GARDEN, AssetKind.GARDEN, "逢源街道", Phase.IN_USE, 0),
    ("逢源街彩绘电箱", ProjectKind.OTHER, AssetKind.PAINTED_BOX, "逢源街道", Phase.CONSTRUCTION, 0),
    ("逢源街传统建筑修缮", ProjectKind.HERITAGE_REPAIR, AssetKind.HERITAGE, "逢源街道", Phase.APPROVAL, 0),
    ("昌华街醒狮墙绘", ProjectKind.MURAL, AssetKind.MURAL, "昌华街道", Phase.IN_USE, 1),
    ("昌华街浮雕墙", ProjectKind.MURAL, AssetKind.MURAL, "昌华街道", Phase.CONSULTATION, 1),
    ("昌华街非遗工坊进驻老屋", ProjectKind.CULTURAL_INDUSTRY, AssetKind.HERITAGE, "昌华街道", Phase.PROPOSAL, 1),
    ("西村街花园＋便民停车场", ProjectKind.GARDEN_PARKING, AssetKind.GARDEN, "西村街道", Phase.IN_USE, 2),
    ("西村街加装电梯", ProjectKind.ELEVATOR, AssetKind.ELEVATOR, "西村街道", Phase.ACCEPTANCE, 2),
    ("金花街龙舟墙绘", ProjectKind.MURAL, AssetKind.MURAL, "金花街道", Phase.CONSTRUCTION, None),
    ("南源街邻里花园", ProjectKind.GARDEN, AssetKind.GARDEN, "南源街道", Phase.DESIGN, None),
    ("多宝街骑楼修缮", ProjectKind.HERITAGE_REPAIR, AssetKind.HERITAGE, "多宝街道", Phase.CONSTRUCTION, None),
    ("龙津街公建配套完善", ProjectKind.PUBLIC_FACILITY, AssetKind.GREEN_PLOT, "龙津街道", Phase.APPROVAL, None),
    ("华林街玉器文化街区", ProjectKind.CULTURAL_INDUSTRY, AssetKind.HERITAGE, "华林街道", Phase.IN_USE, None),
    ("沙面街历史建筑修缮", ProjectKind.HERITAGE_REPAIR, AssetKind.HERITAGE, "沙面街道", Phase.ACCEPTANCE, None),
    ("白鹤洞街加装电梯", ProjectKind.ELEVATOR, AssetKind.ELEVATOR, "白鹤洞街道", Phase.CONSTRUCTION, None),
    ("花地街社区小游园", ProjectKind.GARDEN, AssetKind.GREEN_PLOT, "花地街道", Phase.CONSULTATION, None),
    ("茶滘街公共设施完善", ProjectKind.PUBLIC_FACILITY, AssetKind.GREEN_PLOT, "茶滘街道", Phase.IN_USE, None),
    ("海龙街口袋公园＋停车位", ProjectKind.GARDEN_PARKING, AssetKind.GREEN_PLOT, "海龙街道", Phase.PROPOSAL, None),
    ("岭南街西关故事墙", ProjectKind.MURAL, AssetKind.MURAL, "岭南街道", Phase.ACCEPTANCE, None),
    ("站前街加装电梯", ProjectKind.ELEVATOR, AssetKind.ELEVATOR, "站前街道", Phase.DESIGN, None),
    ("彩虹街社区治理宣传电箱", ProjectKind.OTHER, AssetKind.PAINTED_BOX, "彩虹街道", Phase.IN_USE, None),
]
CONTRACTORS = [
    ("construction", "广州西关古建修缮工程有限公司"), ("construction", "荔湾园林绿化建设有限公司"),
    ("design", "广州岭南城市更新设计院有限公司"), ("supervision", "广州城建工程监理有限公司"),
    ("maintenance", "荔湾区市政园林养护有限公司"),
]
#: Phases from which a project has started and finished work: dates and photos follow.
STARTED = ORDER.index(Phase.CONSTRUCTION)
IN_USE = ORDER.index(Phase.IN_USE)


def _upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name)


def _before(after: bytes) -> bytes:
    """The same picture, weathered: greyed, darker, low contrast."""
    image = ImageOps.grayscale(Image.open(io.BytesIO(after))).convert("RGB")
    image = ImageEnhance.Contrast(ImageEnhance.Brightness(image).enhance(0.75)).enhance(0.6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    return buffer.getvalue()


def _site_asset(assets_by_street_kind, street, kind, used):
    for asset in assets_by_street_kind.get((street, kind), []) + assets_by_street_kind.get((street, None), []):
        if asset.pk not in used:
            used.add(asset.pk)
            return asset
    return None


def _sponsors(adopters):
    enterprises = [a for a in adopters if a.kind == AdopterKind.ENTERPRISE]
    units = [a for a in adopters if a.kind == AdopterKind.PARTY_UNIT]
    return enterprises, units


def _fund(rng, admin, project, index, sponsors, today):
    enterprises, units = sponsors
    base = rng.randint(8, 60) * 10000
    done = ORDER.index(project.phase) >= STARTED
    lines = [(FundingSource.DISTRICT_BUDGET, base, None), (FundingSource.STREET_BUDGET, base // 4, None)]
    if index % 2 == 0 and enterprises:
        lines.append((FundingSource.ENTERPRISE, rng.randint(2, 10) * 5000, enterprises[index % len(enterprises)]))
    if index % 3 == 0 and units:
        lines.append((FundingSource.PARTY_UNIT, rng.randint(1, 5) * 5000, units[index % len(units)]))
    if index % 4 == 1:
        lines.append((FundingSource.RESIDENTS, rng.randint(20, 80) * 100, None))
    if index % 5 == 2:
        lines.append((FundingSource.DONATION, rng.randint(5, 30) * 1000, None))
    for source, planned, sponsor in lines:
        received = planned if done else planned * rng.randint(0, 6) // 10
        operations.add_funding(actor=admin, project=project, source=source, amount_planned=planned,
                               amount_received=received, sponsor=sponsor,
                               sponsor_name="荔湾区慈善会" if source == FundingSource.DONATION else "",
                               date=today - datetime.timedelta(days=rng.randint(30, 300)))


def _build_one(rng, admin, spec, asset, parent, index, sponsors, today):
    name, kind, asset_kind, _street, phase = spec[:5]
    rank = ORDER.index(phase)
    start = today - datetime.timedelta(days=40 * (rank + 2) + rng.randint(0, 30))
    project = operations.create_project(
        actor=admin, name_zh=name, kind=kind, site=asset.geometry if asset.geometry.geom_type != "LineString" else
        asset.location, description=f"{name}：{asset.name_zh}的微改造。", parent=parent,
        weight=rng.randint(1, 3), planned_start=start, planned_end=start + datetime.timedelta(days=300),
        actual_start=start + datetime.timedelta(days=60) if rank >= STARTED else None,
        actual_end=start + datetime.timedelta(days=240) if rank >= IN_USE else None,
        external_id=f"LW-DEMO-{index:03d}", date=start)
    operations.link_asset(actor=admin, project=project, asset=asset,
                          role=AssetRole.CREATES if rank >= IN_USE and index % 2 else AssetRole.RENOVATES)
    for step, step_phase in enumerate(ORDER[1:rank + 1], start=1):
        operations.change_phase(actor=admin, project=project, phase=step_phase,
                                date=start + datetime.timedelta(days=35 * step),
                                document_number=f"荔府微改〔{today.year}〕{index * 10 + step}号"
                                if step_phase == Phase.APPROVAL else "")
    if parent is None or rank >= STARTED:
        _fund(rng, admin, project, index, sponsors, today)
    if rank >= STARTED:
        role, contractor = CONTRACTORS[index % len(CONTRACTORS)]
        operations.add_contractor(actor=admin, project=project, role=role, name=contractor,
                                  credit_code=credit_code(rng, "91440103"),
                                  contract_start=start + datetime.timedelta(days=50),
                                  contract_end=start + datetime.timedelta(days=400))
        after = picture(asset.kind, rng)
        operations.add_milestone(actor=admin, project=project, date=start + datetime.timedelta(days=60),
                                 text="开工前现场记录", photos=[operations.TaggedPhoto(
                                     _upload(_before(after), "before.jpg"), "before", asset.name_zh)])
        if rank >= ORDER.index(Phase.ACCEPTANCE):
            operations.add_milestone(actor=admin, project=project, date=start + datetime.timedelta(days=230),
                                     text="完工", progress=100 if rank >= IN_USE else 95,
                                     photos=[operations.TaggedPhoto(_upload(after, "after.jpg"), "after",
                                                                    asset.name_zh)])
    return project


def build_projects(rng, assets, adopters, admin, today) -> list[Project]:
    """The demo programmes and projects (see PROGRAMMES, PROJECTS); projects without a fitting asset are left out."""
    by_street_kind = {}
    for asset in assets:
        by_street_kind.setdefault((asset.street.name_zh, asset.kind), []).append(asset)
        by_street_kind.setdefault((asset.street.name_zh, None), []).append(asset)
    sponsors, used, built = _sponsors(adopters), set(), []
    parents = []
    for index, spec in enumerate(PROGRAMMES, start=1):
        asset = _site_asset(by_street_kind, spec[3], spec[2], used)
        parents.append(asset and _build_one(rng, admin, spec, asset, None, index, sponsors, today))
    built += [parent for parent in parents if parent is not None]
    for index, spec in enumerate(PROJECTS, start=len(PROGRAMMES) + 1):
        asset = _site_asset(by_street_kind, spec[3], spec[2], used)
        parent = parents[spec[5]] if spec[5] is not None else None
        if asset is not None:
            built.append(_build_one(rng, admin, spec, asset, parent, index, sponsors, today))
    return built
