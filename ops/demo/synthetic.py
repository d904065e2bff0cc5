"""Synthetic assets at scale: N plausible assets of every kind spread over the loaded streets.

Rows are built by the demo's kind builders (:mod:`ops.demo.kinds`) at random points inside
the streets and inserted with :func:`registry.bulk.bulk_create_assets`, a chunk at a time (to
bound memory) inside one transaction. Every random choice comes from ``random.Random(seed)``, and
streets are visited in code order, so a seed always gives the same assets on the same geography.
"""

import random
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from ops.demo.assets import street_weights
from ops.demo.catalogue import roads_of
from ops.demo.kinds import build_asset
from ops.demo.shapes import PointSampler
from registry.assets import AssetKind
from registry.bulk import bulk_create_assets
from registry.geography import District, Street

#: Kinds in roughly the proportions of the district's registers.
KIND_WEIGHTS = {
    AssetKind.GARDEN: 8,
    AssetKind.GREEN_PLOT: 25,
    AssetKind.PAINTED_BOX: 20,
    AssetKind.MURAL: 12,
    AssetKind.HERITAGE: 12,
    AssetKind.ELEVATOR: 23,
}
CHUNK_SIZE = 10_000


class GeographyMissing(Exception):
    """No district with streets is loaded, so there is nowhere to put assets."""


def generate_synthetic(count: int, seed: int, chunk_size: int = CHUNK_SIZE, log=None,
                       kind_weights: dict | None = None) -> list[int]:
    """Insert ``count`` synthetic assets (kinds in ``kind_weights``' proportions, by default the
    registers'); return their ids in creation order."""
    streets = list(Street.objects.order_by("code"))
    if not District.objects.exists() or not streets:
        raise GeographyMissing("No district is loaded: run `python manage.py load_demo` (or "
                               "`load_demo --geography-only`) first; synthetic assets go into its streets.")
    rng = random.Random(seed)
    places = [(PointSampler(street.boundary), roads_of(street)) for street in streets]
    street_cum = list(accumulate(street_weights(streets)))
    weights = kind_weights or KIND_WEIGHTS
    kinds, kind_cum = list(weights), list(accumulate(weights.values()))
    today = timezone.localdate()
    ids = []
    with transaction.atomic():
        while len(ids) < count:
            size = min(chunk_size, count - len(ids))
            chunk = []
            for place, kind in zip(rng.choices(places, cum_weights=street_cum, k=size),
                                   rng.choices(kinds, cum_weights=kind_cum, k=size)):
                sampler, roads = place
                lon, lat = sampler.sample(rng)
                chunk.append(build_asset(kind, rng, lon, lat, rng.choice(roads), today))
            ids += [asset.pk for asset in bulk_create_assets(chunk)]
            if log:
                log(f"  {len(ids):,} / {count:,}")
    return ids
