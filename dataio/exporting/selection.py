"""Which assets an export holds: the map's filters over what the user may see.

The same filter parsing as the vector tiles (:class:`public.tiles.filters.TileFilters`: street,
community, status, kind, looking) over :func:`registry.queries.visible_assets`, so a download of
"the current map" holds exactly the assets the map shows that user, and a filter value the map
would refuse is refused here too.
"""

from django.db.models import QuerySet
from django.http import QueryDict

from public.tiles.filters import TileFilters
from registry.access import is_staff_member


def map_selection(user, query) -> QuerySet:
    """Visible assets passing the filters in ``query`` (a QueryDict); ValidationError for unknown values."""
    return TileFilters.from_query(query).assets(user)


def query_from(**filters) -> QueryDict:
    """A QueryDict of filter name → list of values, for callers that are not requests (the command)."""
    query = QueryDict(mutable=True)
    for name, values in filters.items():
        if values:
            query.setlist(name, list(values))
    return query


def is_public_export(user) -> bool:
    """Anyone but staff gets public columns only (no external ids, no visibility flag)."""
    return not is_staff_member(user)
