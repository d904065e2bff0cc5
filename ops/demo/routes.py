"""The demo's check-in routes: a murals walk along the district's murals (west to east) and a
heritage-and-gardens walk in the street with the most of them; the murals are marked check-in
spots. Written through routes.operations, like any route."""

from routes.operations import StopInput, mark_check_in_spot, save_route

MAX_STOPS = 8


def _walk(assets) -> list:
    """Assets in walking order: west to east (a route's line follows the stops)."""
    return sorted(assets, key=lambda asset: (asset.location.x, asset.location.y))[:MAX_STOPS]


def build_routes(assets, admin) -> list:
    murals = [asset for asset in assets if asset.kind == "mural" and asset.is_public]
    built = []
    if len(murals) >= 2:
        built.append(save_route(actor=admin, values={
            "name_zh": "西关墙绘打卡路线", "name_en": "Xiguan murals walk", "theme": "murals", "is_published": True,
            "description": "沿途的西关民俗墙绘，一站一景。"},
            stops=[StopInput(asset.pk) for asset in _walk(murals)]).route)
        for asset in murals[:MAX_STOPS]:
            mark_check_in_spot(actor=admin, asset=asset)
    by_street = {}
    for asset in assets:
        if asset.kind in ("heritage", "garden") and asset.is_public:
            by_street.setdefault(asset.street_id, []).append(asset)
    if by_street:
        stops = _walk(max(by_street.values(), key=len))
        if len(stops) >= 2:
            built.append(save_route(actor=admin, values={
                "name_zh": "老建筑与口袋花园", "name_en": "Old buildings and pocket gardens", "theme": "mixed",
                "is_published": True}, stops=[StopInput(asset.pk) for asset in stops]).route)
    return built
