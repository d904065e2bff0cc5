"""Who may see which rows: the one place that decides it.

Every view, tile, search, export and admin list asks here. Today: residents and adopters see
public assets; staff and administrators see every asset. (Street-scoped staff roles refine
``asset_scope`` when they arrive; callers do not change.)
"""

from django.db.models import Q


def sees_everything(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.is_staff))


def asset_scope(user) -> Q:
    """A filter on Asset for the rows ``user`` may see."""
    if sees_everything(user):
        return Q()
    return Q(is_public=True)
