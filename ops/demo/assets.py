"""The demo's assets: the named landmarks, then generic assets of every kind in every street.

Demo assets are saved one by one through ``Asset.save()``, so they go through exactly the rules
an editor's save does (geometry checks, representative point, area, street/community/grid).
"""

from ops.demo.catalogue import LANDMARKS, roads_of
from ops.demo.kinds import build_asset
from ops.demo.shapes import PointSampler, point, rectangle, wall_line
from registry.assets import AssetKind, AssetStatus
from registry.geography import Street

#: How many generic assets of each kind the demo adds besides the landmarks.
GENERIC_COUNTS = {
    AssetKind.GARDEN: 28,
    AssetKind.GREEN_PLOT: 60,
    AssetKind.PAINTED_BOX: 40,
    AssetKind.MURAL: 30,
    AssetKind.HERITAGE: 24,
    AssetKind.ELEVATOR: 44,
}
#: The old town north of the river is denser in everything the article describes.
OLD_TOWN_WEIGHT = 2


def _landmark_geometry(spec):
    if spec.get("size"):
        return rectangle(spec["lon"], spec["lat"], *spec["size"], spec.get("angle", 0))
    if spec.get("length"):
        return wall_line(spec["lon"], spec["lat"], spec["length"], spec.get("angle", 0))
    return point(spec["lon"], spec["lat"])


def build_landmark(spec, creator):
    asset = spec["model"](
        name_zh=spec["name_zh"], name_en=spec["name_en"], geometry=_landmark_geometry(spec),
        address=spec["address"], description=spec.get("description", ""), status=AssetStatus.IN_USE,
        created_by=creator, **spec["fields"])
    if "is_adoptable" in spec:
        asset.is_adoptable = spec["is_adoptable"]
    return asset


def street_weights(streets) -> list[int]:
    """Old-town streets (codes 001–012) weigh double."""
    return [OLD_TOWN_WEIGHT if int(street.code[-3:]) <= 12 else 1 for street in streets]


def build_assets(rng, today, creator) -> list:
    """Save the landmarks and the generic assets; return them all (kind instances)."""
    assets = []
    for spec in LANDMARKS:
        asset = build_landmark(spec, creator)
        asset.save()
        assets.append(asset)
    streets = list(Street.objects.order_by("code"))
    samplers = {street.pk: PointSampler(street.boundary) for street in streets}
    weights = street_weights(streets)
    for kind, count in GENERIC_COUNTS.items():
        for _ in range(count):
            street = rng.choices(streets, weights=weights)[0]
            lon, lat = samplers[street.pk].sample(rng)
            asset = build_asset(kind, rng, lon, lat, rng.choice(roads_of(street)), today)
            asset.created_by = creator
            asset.save()
            assets.append(asset)
    return assets
