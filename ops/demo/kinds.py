"""Builders of plausible, unsaved assets of each kind, shared by the demo and the synthetic generator.

``build_asset(kind, rng, lon, lat, road, today)`` returns an unsaved instance of the kind's
model at (lon, lat) with a name from ``road`` (Chinese, English); every random choice comes
from ``rng``, so a seeded rng gives the same assets.
"""

import datetime

from gardens.models import GreenPlot, NeighbourhoodGarden, PaintedElectricalBox, Vegetation, WateringNeed
from heritage.models import ArchitecturalStyle as Style
from heritage.models import Condition, HeritageBuilding, Motif, Mural, Surface, WallType
from heritage.models import ProtectionLevel as Level
from ops.demo import names
from ops.demo.shapes import point, rectangle, wall_line
from registry.assets import AssetKind, AssetStatus
from retrofits.models import CustodyMode, ElevatorRetrofit, RetrofitStage

STATUS_WEIGHTS = {AssetStatus.IN_USE: 80, AssetStatus.UNDER_RENOVATION: 8, AssetStatus.PLANNED: 7,
                  AssetStatus.RETIRED: 5}
#: Shares from the article: 889 of 1,087 retrofits in service, 198 under construction.
STAGE_WEIGHTS = {RetrofitStage.IN_SERVICE: 72, RetrofitStage.UNDER_CONSTRUCTION: 16,
                 RetrofitStage.PLANNING_PERMIT: 6, RetrofitStage.APPLICATION: 6}
STAGE_STATUS = {RetrofitStage.IN_SERVICE: AssetStatus.IN_USE, RetrofitStage.UNDER_CONSTRUCTION:
                AssetStatus.UNDER_RENOVATION, RetrofitStage.PLANNING_PERMIT: AssetStatus.PLANNED,
                RetrofitStage.APPLICATION: AssetStatus.PLANNED}
LEVEL_WEIGHTS = {Level.DISTRICT: 10, Level.REGISTERED: 25, Level.HISTORIC: 30, Level.TRADITIONAL: 35}
STYLE_WEIGHTS = {Style.XIGUAN_MANSION: 25, Style.ARCADE: 25, Style.BAMBOO_TUBE: 20, Style.ANCESTRAL_HALL: 10,
                 Style.WESTERN: 5, Style.OTHER: 15}
CONDITION_WEIGHTS = {Condition.GOOD: 60, Condition.FAIR: 25, Condition.POOR: 10, Condition.DEFACED: 5}


def weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _common(rng, road, status=None) -> dict:
    """Address, status and visibility every kind shares."""
    return {"address": f"{road[0]}{rng.randint(1, 320)}号", "status": status or weighted(rng, STATUS_WEIGHTS),
            "is_public": rng.random() > 0.06}


def _days_ago(rng, today, low, high) -> datetime.date:
    return today - datetime.timedelta(days=rng.randint(low, high))


def build_garden(rng, lon, lat, road, today):
    theme_zh, theme_en = rng.choice(names.GARDEN_THEMES)
    return NeighbourhoodGarden(
        name_zh=f"{road[0]}{theme_zh}花园", name_en=f"{theme_en} Garden, {road[1]}",
        geometry=rectangle(lon, lat, rng.uniform(15, 40), rng.uniform(10, 28), rng.uniform(-25, 25)),
        theme=theme_zh, plants="、".join(rng.sample(names.PLANTS, 4)), seats=rng.randint(4, 30),
        parking_spaces=rng.choice([0, 0, 0, 6, 12]), facilities=rng.sample(names.FACILITIES, rng.randint(1, 3)),
        is_adoptable=rng.random() < 0.4, **_common(rng, road))


def build_green_plot(rng, lon, lat, road, today):
    common = _common(rng, road)
    return GreenPlot(
        name_zh=f"{common['address']}认领绿地", name_en=f"Green plot, {road[1]}",
        geometry=rectangle(lon, lat, rng.uniform(8, 30), rng.uniform(6, 20), rng.uniform(-30, 30)),
        vegetation=rng.choice(Vegetation.values), watering_needs=rng.choice(WateringNeed.values),
        is_adoptable=rng.random() < 0.92, **common)


def build_painted_box(rng, lon, lat, road, today):
    theme_zh, theme_en = rng.choice(names.BOX_THEMES)
    common = _common(rng, road, status=weighted(rng, {AssetStatus.IN_USE: 92, AssetStatus.RETIRED: 8}))
    return PaintedElectricalBox(
        name_zh=f"{common['address']}彩绘电箱（{theme_zh}）", name_en=f"Painted box: {theme_en}, {road[1]}",
        geometry=point(lon, lat), artwork_theme=theme_zh, painter=rng.choice(names.PAINTERS),
        painted_on=_days_ago(rng, today, 60, 5 * 365), **common)


def build_mural(rng, lon, lat, road, today):
    motifs = rng.sample(list(Motif.values), rng.randint(1, 3))
    wall = WallType.RELIEF if rng.random() < 0.25 else WallType.MURAL
    motif_zh, motif_en = names.MOTIF_NAMES[motifs[0]]
    noun_zh, noun_en = ("浮雕墙", "Relief Wall") if wall == WallType.RELIEF else ("墙绘", "Mural")
    geometry = point(lon, lat) if rng.random() < 0.6 else wall_line(lon, lat, rng.uniform(8, 30), rng.uniform(0, 180))
    return Mural(
        name_zh=f"{road[0]}{motif_zh}{noun_zh}", name_en=f"{motif_en} {noun_en}, {road[1]}", geometry=geometry,
        wall_type=wall, motif_tags=motifs, artist=rng.choice(names.PAINTERS),
        surface=rng.choice([Surface.BRICK, Surface.PLASTER, Surface.CONCRETE] if wall == WallType.MURAL
                           else [Surface.STONE, Surface.BRICK, Surface.CONCRETE]),
        painted_on=_days_ago(rng, today, 30, 6 * 365), condition=weighted(rng, CONDITION_WEIGHTS),
        **_common(rng, road))


def build_heritage(rng, lon, lat, road, today):
    style = weighted(rng, STYLE_WEIGHTS)
    common = _common(rng, road, status=weighted(rng, {AssetStatus.IN_USE: 85, AssetStatus.UNDER_RENOVATION: 15}))
    noun_zh, noun_en = names.STYLE_NOUNS[style]
    name_zh = f"{road[0]}{rng.choice(names.SURNAMES)}氏宗祠" if style == Style.ANCESTRAL_HALL \
        else f"{common['address']}{noun_zh}"
    return HeritageBuilding(
        name_zh=name_zh, name_en=f"{noun_en}, {road[1]}",
        geometry=rectangle(lon, lat, rng.uniform(8, 20), rng.uniform(12, 32), rng.uniform(-15, 15)),
        protection_level=weighted(rng, LEVEL_WEIGHTS), style=style, era=rng.choice(names.ERAS),
        renovation_history=rng.choice(names.RENOVATIONS), **common)


def build_elevator(rng, lon, lat, road, today):
    stage = weighted(rng, STAGE_WEIGHTS)
    common = _common(rng, road, status=STAGE_STATUS[stage])
    in_service = stage == RetrofitStage.IN_SERVICE
    custody = rng.choice(CustodyMode.values) if in_service or rng.random() < 0.6 else ""
    return ElevatorRetrofit(
        name_zh=f"{common['address']}加装电梯", name_en=f"Elevator retrofit, {road[1]}", geometry=point(lon, lat),
        stage=stage, custody_mode=custody,
        maintenance_contractor=rng.choice(names.ELEVATOR_CONTRACTORS) if custody else "",
        next_inspection_on=today + datetime.timedelta(days=rng.randint(5, 360)) if in_service else None,
        households=rng.randint(6, 36), **common)


BUILDERS = {
    AssetKind.GARDEN: build_garden,
    AssetKind.GREEN_PLOT: build_green_plot,
    AssetKind.PAINTED_BOX: build_painted_box,
    AssetKind.MURAL: build_mural,
    AssetKind.HERITAGE: build_heritage,
    AssetKind.ELEVATOR: build_elevator,
}


def build_asset(kind, rng, lon, lat, road, today):
    return BUILDERS[kind](rng, lon, lat, road, today)
