"""The public dashboard's data version (public/dashboard/cache.py): a counter PostgreSQL bumps
whenever a table the dashboard counts changes that the map version does not follow (upkeep logs,
elevator stage events and custody contracts, project phase events and funding lines, adopters).
Statement-level triggers (migration 0001) bump it, so bulk inserts, imports and raw SQL do too.
A programme that joins the dashboard adds a trigger on its tables in a migration of its own.
"""

from django.db import models


class DashboardDataVersion(models.Model):
    """One row (id=1); ``version`` only ever grows."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "dashboard data version"

    def __str__(self):
        return str(self.version)
