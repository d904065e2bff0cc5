"""Content-Security-Policy sources computed from the settings (imported by settings: no models here)."""

from urllib.parse import urlsplit


def basemap_tile_sources(basemaps: list[dict]) -> list[str]:
    """``https://host`` for every host a basemap fetches tiles from, for the CSP's img-src.

    Derived from settings.MAP_BASEMAPS so a new basemap cannot be forgotten here; ``{s}`` in a
    host is expanded with the basemap's ``subdomains`` (explicit hosts, no wildcards).
    """
    sources = []
    for basemap in basemaps:
        for key in ("url", "labels_url"):
            url = basemap.get(key)
            if not url:
                continue
            parts = urlsplit(url)
            subdomains = basemap.get("subdomains", "") if "{s}" in parts.netloc else ""
            hosts = [parts.netloc.replace("{s}", s) for s in subdomains] or [parts.netloc]
            sources += [f"{parts.scheme}://{host}" for host in hosts if f"{parts.scheme}://{host}" not in sources]
    return sources
