"""The assets summed per small square of the map, for the low-zoom cluster tiles.

A cluster tile below ``public.tiles.sql.DETAIL_MIN_ZOOM`` draws, per kind and cell of a 16 × 16 grid
aligned with the tile, one point at the mean of its members' representative points with their count
and lowest id. Computed from the assets, its cost grows with the assets under the tile (a z12 tile over
the old town covers most of the district). ``registry_clustercell`` holds the same sums per **zoom-17
cell** (``CELL_ZOOM``: a zoom-17 tile, about 280 m across in Guangzhou) and per combination of the
columns the cluster tiles filter on (kind, status, public, street, community, grid): a cluster cell of a
tile of zoom z ≤ 13 is exactly 2^(13 - z) × 2^(13 - z) of them, so a cluster tile sums at most a few
rows per cell of its area, however many assets the district holds.

Kept by PostgreSQL (registry migration 0019): statement-level triggers with transition tables on
``registry_asset`` recompute the cells under the old and the new representative point of the rows a
statement wrote, in one set-based aggregate per statement (an import of 100,000 rows pays one
aggregate, not 100,000 row updates); a TRUNCATE empties it. The visibility rule applies to it as to
the assets (:func:`registry.access.asset_scope` names only columns it has).
"""

from django.db import models

from registry.geography import Community, Grid, Street

#: The zoom of the summary's cells, and the last cluster zoom they compose into (16 cells per tile side).
CELL_ZOOM = 17
LAST_SUMMED_ZOOM = 13


class ClusterCell(models.Model):
    """The visible-to-whom, filterable sums of one zoom-17 cell; written by triggers only."""

    cell_x = models.IntegerField()
    cell_y = models.IntegerField()
    kind = models.CharField(max_length=20)  # AssetKind
    status = models.CharField(max_length=20)  # AssetStatus
    is_public = models.BooleanField()
    street = models.ForeignKey(Street, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.DO_NOTHING, db_constraint=False, null=True,
                                  related_name="+")
    grid = models.ForeignKey(Grid, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+")
    count = models.IntegerField()
    sum_x = models.FloatField()  # of the members' representative points, EPSG:3857
    sum_y = models.FloatField()
    min_id = models.BigIntegerField()  # the lowest asset id: a cluster's stable key

    class Meta:
        verbose_name = "cluster cell"
        indexes = [models.Index(fields=["cell_x", "cell_y"], name="clustercell_cell")]

    def __str__(self):
        return f"{self.cell_x}/{self.cell_y} {self.kind}: {self.count}"
