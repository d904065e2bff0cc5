"""The rows an export writes: each asset's columns (:mod:`dataio.schema`) and its geometry.

One reader for every format, so a GeoJSON, a GeoPackage, a Shapefile, a CSV and an OSM file of
the same selection hold the same assets and values. Which assets is the caller's decision, made
through ``registry.queries`` / ``registry.access`` (the command: a filter; the web: the map's
filters over ``visible_assets(user)``). Public exports leave out :data:`dataio.schema.PRIVATE_COLUMNS`
and carry an adopter only by public name.
"""

from dataclasses import dataclass
from typing import Iterator

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import F, QuerySet

from adoption.queries import with_adoption_state
from dataio.schema import COMMON_FIELDS, PRIVATE_COLUMNS, kind_fields
from registry.assets import Asset
from registry.moderation import mask_personal_data

CHUNK = 2000
#: Derived columns written after the common fields.
PLACE_COLUMNS = ("street", "community", "grid", "area_m2")


@dataclass
class ExportRow:
    kind: str
    values: dict          # column → Python value (lists, dates, booleans kept)
    geometry: GEOSGeometry


def columns_for(kinds, public: bool) -> list[str]:
    """The export's columns in order: id, kind, the common fields, place, adopter, then each kind's own."""
    columns = ["id", "kind", *COMMON_FIELDS, *PLACE_COLUMNS, "adopter"]
    for kind in kinds:
        columns += [f.name for f in kind_fields(Asset.kind_models[kind]) if f.name not in columns]
    return [c for c in columns if not (public and c in PRIVATE_COLUMNS)]


def kinds_in(assets: QuerySet) -> list[str]:
    """The kinds present in ``assets``, in the registry's order."""
    present = set(assets.order_by().values_list("kind", flat=True).distinct())
    return [kind for kind in Asset.kind_models if kind in present]


def export_rows(assets: QuerySet, *, public: bool) -> tuple[list[str], Iterator[ExportRow]]:
    """(columns, rows) for ``assets`` (an Asset queryset already scoped by the caller), kind by kind, by id."""
    kinds = kinds_in(assets)
    columns = columns_for(kinds, public)
    return columns, _rows(assets, kinds, columns, public)


def _rows(assets: QuerySet, kinds: list[str], columns: list[str], public: bool) -> Iterator[ExportRow]:
    ids = assets.order_by().values("pk")
    for kind in kinds:
        yield from kind_rows(kind, ids, columns, public=public)


def kind_rows(kind: str, ids: QuerySet, columns: list[str], *, public: bool = False) -> Iterator[ExportRow]:
    """The rows of the assets of ``kind`` whose pk is in ``ids`` (a values("pk") queryset, may be sliced), by pk.

    ``public``: for the public, so personal data in the description is masked (registry.moderation).
    """
    model = Asset.kind_models[kind]
    own = [f.name for f in kind_fields(model)]
    queryset = (with_adoption_state(model.objects.filter(pk__in=ids))
                .annotate(street_code=F("street__code"), community_code=F("community__code"),
                          grid_code=F("grid__code"))
                .only("pk", "kind", "geometry", "area_m2", *COMMON_FIELDS, *own)
                .order_by("pk"))
    for asset in queryset.iterator(chunk_size=CHUNK):
        values = _values(asset, columns, own)
        if public and values.get("description"):
            values["description"] = mask_personal_data(values["description"])
        yield ExportRow(kind=kind, values=values, geometry=asset.geometry)


def _values(asset, columns: list[str], own: list[str]) -> dict:
    derived = {"id": asset.pk, "kind": asset.kind, "street": asset.street_code, "community": asset.community_code,
               "grid": asset.grid_code, "area_m2": asset.area_m2, "adopter": asset.adopter_name}
    values = {}
    for column in columns:
        if column in derived:
            values[column] = derived[column]
        elif column in COMMON_FIELDS or column in own:
            values[column] = getattr(asset, column)
        else:
            values[column] = None  # another kind's field
    return values
