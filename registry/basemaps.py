"""The basemap the small maps share (asset page, staff pages, adoption queue, import preview)."""

from django.conf import settings


def small_map_basemap() -> dict | None:
    """The basemap of the small maps (asset page, staff pages, import preview): the first WGS-84 one
    that needs no key. The main map offers them all (``map_config``)."""
    return next((b for b in settings.MAP_BASEMAPS if b["datum"] == "wgs84" and not b.get("requires_key")), None)
