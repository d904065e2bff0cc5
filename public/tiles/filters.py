"""The map's filters, read from a tile request's query string.

``street``, ``community``, ``status`` and ``kind`` take one value or several, comma-separated
(``?status=in_use,planned``); ``looking=1`` keeps adoptable assets with no current adopter;
``checkin=1`` keeps the check-in spots (``routes.queries.check_in_spot_ids``).
Unknown values are refused with a message (the view answers 400). Parameters not named here
are ignored, so cache-busters and ``v`` do not split the cache.

:meth:`TileFilters.assets` turns them into a queryset starting from
:func:`registry.queries.visible_assets`, so who sees what is decided in one place only.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from adoption.queries import looking_for_adopter
from problems.queries import with_open_problems
from registry.access import asset_scope
from registry.assets import Asset, AssetKind, AssetStatus
from registry.cluster_cells import ClusterCell
from registry.geography import Community, Street
from registry.queries import visible_assets
from routes.queries import check_in_spot_ids

#: More values than this in one parameter is not a map filter; refuse it before asking the database.
MAX_VALUES = 50
TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"", "0", "false", "no", "off"}


def _split(query, name: str) -> tuple[str, ...]:
    """Every comma-separated value of ``name`` (repeating the parameter works too), sorted, unique."""
    values = {value.strip() for raw in query.getlist(name) for value in raw.split(",")}
    values.discard("")
    if any("\x00" in value for value in values):  # PostgreSQL cannot compare text holding NUL
        raise ValidationError(_("“%(name)s” contains a character that is not allowed (NUL)."),
                              code="nul_character", params={"name": name})
    if len(values) > MAX_VALUES:
        raise ValidationError(_("Too many values for “%(name)s” (at most %(max)s)."),
                              code="too_many_values", params={"name": name, "max": MAX_VALUES})
    return tuple(sorted(values))


def _refuse_unknown(name: str, values, known) -> None:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValidationError(
            _("Unknown value for “%(name)s”: %(values)s. Known values: %(known)s."), code="unknown_value",
            params={"name": name, "values": ", ".join(unknown), "known": ", ".join(known)})


@dataclass(frozen=True)
class TileFilters:
    streets: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    looking: bool = False
    checkin: bool = False

    @classmethod
    def from_query(cls, query) -> "TileFilters":
        """Read and check the filters that need no database; raise ValidationError otherwise."""
        statuses, kinds = _split(query, "status"), _split(query, "kind")
        _refuse_unknown("status", statuses, AssetStatus.values)
        _refuse_unknown("kind", kinds, AssetKind.values)
        looking = query.get("looking", "").strip().lower()
        if looking not in TRUE_VALUES | FALSE_VALUES:
            raise ValidationError(_("“looking” must be 1 or 0."), code="bad_looking")
        checkin = query.get("checkin", "").strip().lower()
        if checkin not in TRUE_VALUES | FALSE_VALUES:
            raise ValidationError(_("“checkin” must be 1 or 0."), code="bad_checkin")
        return cls(streets=_split(query, "street"), communities=_split(query, "community"),
                   statuses=statuses, kinds=kinds, looking=looking in TRUE_VALUES, checkin=checkin in TRUE_VALUES)

    def cache_part(self) -> str:
        """A canonical, unambiguous spelling: the same filters give the same string, in any order."""
        return repr((self.streets, self.communities, self.statuses, self.kinds, self.looking, self.checkin))

    def assets(self, user) -> QuerySet[Asset]:
        """The assets ``user`` may see that pass these filters (street/community codes checked here)."""
        assets = self._narrow(with_open_problems(visible_assets(user).order_by()))  # ``open_problems``
        if self.looking:
            assets = looking_for_adopter(assets)
        if self.checkin:
            assets = assets.filter(pk__in=check_in_spot_ids())
        return assets

    def cells(self, user) -> QuerySet[ClusterCell] | None:
        """The same assets' rows of the cluster summary (registry.cluster_cells), or None when the
        filters need more than its columns (``looking``, ``checkin``: adoptions and routes)."""
        if self.looking or self.checkin:
            return None
        return self._narrow(ClusterCell.objects.filter(asset_scope(user)).order_by())

    def _narrow(self, assets: QuerySet) -> QuerySet:
        """Kind, status, street and community, on assets or on summary rows (the same column names)."""
        if self.kinds:
            assets = assets.filter(kind__in=self.kinds)
        if self.statuses:
            assets = assets.filter(status__in=self.statuses)
        if self.streets:
            street_ids = _area_ids(Street, self.streets, _("Unknown street code: %(values)s."))
            assets = assets.filter(street_id__in=street_ids)
        if self.communities:
            community_ids = _area_ids(Community, self.communities, _("Unknown community code: %(values)s."))
            assets = assets.filter(community_id__in=community_ids)
        return assets


def _area_ids(model, codes: tuple[str, ...], message) -> list[int]:
    ids = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = sorted(set(codes) - set(ids))
    if unknown:
        raise ValidationError(message, code="unknown_area", params={"values": ", ".join(unknown)})
    return list(ids.values())
