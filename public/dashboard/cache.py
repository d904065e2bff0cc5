"""The dashboard's figures, cached by what they depend on: the map version (assets, adoptions,
problem reports, projects: ``registry.map_version``) and the dashboard's data version (upkeep logs,
adopters, the programmes' tables: ``public.models.DashboardDataVersion``), plus the day (figures
"as of today") and the parameters. A write to any of those tables changes the key, so a cached
answer is never stale; old keys expire by themselves.
"""

from django.core.cache import cache
from django.utils import timezone

from public.dashboard.figures import compute_figures
from public.dashboard.params import DashboardParams
from public.models import DashboardDataVersion
from registry.map_version import current_map_version

#: How long an entry may live; a changed version makes it unreachable well before.
TIMEOUT_SECONDS = 6 * 3600


def data_version() -> int:
    return DashboardDataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def cache_key(params: DashboardParams) -> str:
    parts = [current_map_version(), str(data_version()), f"{timezone.localdate():%Y%m%d}",
             *(f"{key}={value}" for key, value in sorted(params.query().items()))]
    return "dashboard:" + ":".join(parts)


def dashboard_figures(params: DashboardParams) -> dict:
    """The figures for ``params``, from the cache when nothing they count has changed."""
    key = cache_key(params)
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures(params)
        cache.set(key, figures, TIMEOUT_SECONDS)
    return figures
