"""A counter PostgreSQL bumps whenever something shown on the map changes.

Statement-level triggers on the asset and adoption tables (migrations 0004 and 0005) increment it, so
bulk updates, imports and raw SQL bump it too. Tile URLs carry it: a changed asset shows on
the next load while unchanged tiles stay cached for as long as browsers and proxies like.
"""

from django.db import models
from django.utils import timezone


class MapVersion(models.Model):
    """One row (id=1); ``version`` only ever grows."""

    version = models.BigIntegerField(default=0)

    class Meta:
        managed = True
        verbose_name = "map version"

    def __str__(self):
        return str(self.version)


def current_map_version() -> str:
    """The version string for tile URLs: the counter and today's date (adoptions start and end by date)."""
    version = MapVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    return f"{version}-{timezone.localdate():%Y%m%d}"
