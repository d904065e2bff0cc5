"""Reads of the core shared by the map, tiles, asset pages, search, the API and exports.

A rule about what is shown (what a user may see, which photos are public) lives here once. What
a domain adds to an asset (its current adopter, its recent upkeep) is read in that domain's
``queries`` module (``adoption.queries``, ``upkeep.queries``).
"""

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from django.contrib.gis.db.models.aggregates import Union

from registry.access import asset_scope, scope_of
from registry.assets import Asset
from registry.geography import Community, District, Grid, Street
from registry.photos import Photo


def visible_assets(user) -> QuerySet[Asset]:
    """Assets ``user`` may see, with their street's and community's names (not boundaries) loaded."""
    return (Asset.objects.filter(asset_scope(user)).select_related("street", "community")
            .defer("street__boundary", "community__boundary"))


#: The longest search text the pages and the API take (names and addresses are shorter).
SEARCH_MAX_LENGTH = 100


def search_assets(user, text: str) -> QuerySet[Asset]:
    """Visible assets whose Chinese or English name or address contains ``text`` (trigram-indexed)."""
    text = (text or "").strip()
    if not text:
        return visible_assets(user).none()
    return visible_assets(user).filter(
        Q(name_zh__icontains=text) | Q(name_en__icontains=text) | Q(address__icontains=text)
    )


def public_photos(asset) -> QuerySet[Photo]:
    """The photos of ``asset`` residents may see, newest first (by when taken, else when uploaded)."""
    return Photo.objects.filter(asset=asset, is_public=True).order_by(
        Coalesce("taken_at", "created_at").desc(), "-pk")


def staff_photos(asset) -> QuerySet[Photo]:
    """Every photo of ``asset``, public or not, newest upload first, with who uploaded it: what the staff
    who look after it check (the page that shows them has already checked that they may)."""
    return Photo.objects.filter(asset=asset).select_related("uploaded_by").order_by("-created_at", "-pk")


#: Tolerance (degrees, about 10 m) to which a staff member's area is simplified for the workbench map.
AREA_OUTLINE_TOLERANCE = 0.0001


def work_area_outline(user) -> str | None:
    """GeoJSON of the area ``user`` works in — their streets, communities and grids, the whole district
    for an administrator — simplified for a small map; None for someone with no area."""
    scope = scope_of(user)
    if scope.everywhere:
        parts = [District.objects.all()]
    else:
        parts = [Street.objects.filter(pk__in=scope.street_ids), Community.objects.filter(pk__in=scope.community_ids),
                 Grid.objects.filter(pk__in=scope.grid_ids)]
    outlines = [part.aggregate(area=Union("boundary"))["area"] for part in parts if part.exists()]
    outlines = [outline for outline in outlines if outline is not None]
    if not outlines:
        return None
    union = outlines[0]
    for outline in outlines[1:]:
        union = union.union(outline)
    return union.simplify(AREA_OUTLINE_TOLERANCE, preserve_topology=True).json
