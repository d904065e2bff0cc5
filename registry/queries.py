"""Reads shared by the map, tiles, asset pages, search and (later) the API and exports.

A rule about what is shown (public only, who the current adopter is) lives here once.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry.access import asset_scope
from registry.adoption import Adoption, AdoptionStatus
from registry.assets import Asset
from registry.care import UpkeepLog
from registry.photos import Photo


def visible_assets(user) -> QuerySet[Asset]:
    """Assets ``user`` may see, with their street's and community's names (not boundaries) loaded."""
    return (Asset.objects.filter(asset_scope(user)).select_related("street", "community")
            .defer("street__boundary", "community__boundary"))


def current_adoptions(on=None) -> QuerySet[Adoption]:
    """Approved adoptions whose period contains ``on`` (today by default)."""
    return Adoption.objects.filter(status=AdoptionStatus.APPROVED, period__contains=on or timezone.localdate())


def with_adoption_state(assets: QuerySet[Asset], on=None) -> QuerySet[Asset]:
    """Annotate ``is_adopted``, ``adopter_name``, ``adopter_kind`` (public fields only) and ``is_pending``."""
    current = current_adoptions(on).filter(asset=OuterRef("pk"))
    # The two flags are uncorrelated ``id IN (…)`` tests: PostgreSQL builds each set once and
    # probes it per row, where a correlated EXISTS runs an index scan per asset — the difference
    # shows in a map tile over thousands of assets.
    adopted_ids = current_adoptions(on).values("asset_id")
    pending_ids = Adoption.objects.filter(status=AdoptionStatus.REQUESTED).values("asset_id")
    return assets.annotate(
        is_adopted=ExpressionWrapper(Q(pk__in=adopted_ids), output_field=BooleanField()),
        adopter_name=Subquery(current.values("adopter__display_name")[:1]),
        adopter_kind=Subquery(current.values("adopter__kind")[:1]),
        is_pending=ExpressionWrapper(Q(pk__in=pending_ids), output_field=BooleanField()),
    )


def looking_for_adopter(assets: QuerySet[Asset], on=None) -> QuerySet[Asset]:
    """Adoptable assets with no current adopter."""
    return assets.filter(is_adoptable=True).exclude(Exists(current_adoptions(on).filter(asset=OuterRef("pk"))))


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


def past_adoptions(asset, on=None) -> QuerySet[Adoption]:
    """Granted adoptions of ``asset`` that are over (ended, or approved and expired), latest first.

    Loads only the adopter's public fields: contact details never leave the database here.
    """
    today = on or timezone.localdate()
    over = Q(status=AdoptionStatus.ENDED) | Q(status=AdoptionStatus.APPROVED, period__endswith__lte=today)
    return (Adoption.objects.filter(over, asset=asset).select_related("adopter")
            .only("period", "adopter__display_name", "adopter__kind").order_by("-period"))


def recent_upkeep(asset, limit=10) -> QuerySet[UpkeepLog]:
    """The latest upkeep of ``asset``: when, what, and the adopter's public name (no staff member is loaded)."""
    return (UpkeepLog.objects.filter(asset=asset).select_related("adopter")
            .only("performed_at", "action", "adopter__display_name")[:limit])
