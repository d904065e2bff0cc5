"""Neighbourhood gardens, adoptable green plots and painted electrical boxes."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

from registry.assets import Asset, AssetKind
from registry.geometry import POLYGONAL, PUNCTUAL
from registry.history import track_changes


@track_changes("NeighbourhoodGardenEvent")
class NeighbourhoodGarden(Asset):
    """邻里花园: a garden with a local character."""

    KIND = AssetKind.GARDEN
    GEOMETRY_TYPES = POLYGONAL

    theme = models.CharField(_("theme"), max_length=100, blank=True)
    plants = models.TextField(_("plants"), blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)
    parking_spaces = models.PositiveSmallIntegerField(_("parking spaces"), default=0)
    facilities = ArrayField(models.CharField(max_length=50), verbose_name=_("other facilities"),
                            default=list, blank=True)

    class Meta:
        verbose_name = _("neighbourhood garden")
        verbose_name_plural = _("neighbourhood gardens")


class Vegetation(models.TextChoices):
    LAWN = "lawn", _("lawn")
    FLOWER_BED = "flower_bed", _("flower bed")
    SHRUBS = "shrubs", _("shrubs")
    TREES = "trees", _("trees")
    VEGETABLES = "vegetables", _("vegetables and herbs")
    MIXED = "mixed", _("mixed planting")


class WateringNeed(models.TextChoices):
    LOW = "low", _("low (weekly)")
    MEDIUM = "medium", _("medium (every 3 days)")
    HIGH = "high", _("high (daily in summer)")


@track_changes("GreenPlotEvent")
class GreenPlot(Asset):
    """绿地/认领绿地: a green plot adopters can apply to care for."""

    KIND = AssetKind.GREEN_PLOT
    GEOMETRY_TYPES = POLYGONAL

    vegetation = models.CharField(_("vegetation"), max_length=20, choices=Vegetation.choices,
                                  default=Vegetation.MIXED)
    watering_needs = models.CharField(_("watering needs"), max_length=10, choices=WateringNeed.choices,
                                      default=WateringNeed.MEDIUM)

    class Meta:
        verbose_name = _("green plot")
        verbose_name_plural = _("green plots")

    def __init__(self, *args, **kwargs):
        # Plots exist to be adopted: a new one is adoptable unless told otherwise. (Rows loaded
        # from the database arrive as positional args and keep their stored value.)
        if not args:
            kwargs.setdefault("is_adoptable", True)
        super().__init__(*args, **kwargs)


@track_changes("PaintedElectricalBoxEvent")
class PaintedElectricalBox(Asset):
    """彩绘电箱: an electrical box painted with an artwork."""

    KIND = AssetKind.PAINTED_BOX
    GEOMETRY_TYPES = PUNCTUAL

    artwork_theme = models.CharField(_("artwork theme"), max_length=100, blank=True)
    painter = models.CharField(_("painter"), max_length=100, blank=True)
    painted_on = models.DateField(_("date painted"), null=True, blank=True)

    class Meta:
        verbose_name = _("painted electrical box")
        verbose_name_plural = _("painted electrical boxes")
