"""Heritage buildings and painted murals / relief walls."""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

from registry.assets import Asset, AssetKind
from registry.geometry import LINEAR, POLYGONAL, PUNCTUAL
from registry.history import track_changes


class ProtectionLevel(models.TextChoices):
    """Protection levels, most protected first (shared/domain.md)."""

    NATIONAL = "national", _("national key cultural relic protection unit")
    PROVINCIAL = "provincial", _("provincial cultural relic protection unit")
    MUNICIPAL = "municipal", _("municipal cultural relic protection unit")
    DISTRICT = "district", _("district cultural relic protection unit")
    REGISTERED = "registered", _("registered immovable cultural relic")
    HISTORIC = "historic", _("historic building")
    TRADITIONAL = "traditional", _("traditional-style building")


class ArchitecturalStyle(models.TextChoices):
    XIGUAN_MANSION = "xiguan_mansion", _("Xiguan mansion")
    ARCADE = "arcade", _("arcade building (qilou)")
    ANCESTRAL_HALL = "ancestral_hall", _("ancestral hall")
    WESTERN = "western", _("Western / colonial-era building")
    BAMBOO_TUBE = "bamboo_tube", _("bamboo-tube house")
    OTHER = "other", _("other")


@track_changes("HeritageBuildingEvent")
class HeritageBuilding(Asset):
    """文物/历史建筑/传统风貌建筑, drawn as its footprint."""

    KIND = AssetKind.HERITAGE
    GEOMETRY_TYPES = POLYGONAL

    protection_level = models.CharField(_("protection level"), max_length=20, choices=ProtectionLevel.choices)
    era = models.CharField(_("era"), max_length=50, blank=True, help_text=_("e.g. late Qing, Republican era"))
    style = models.CharField(_("style"), max_length=20, choices=ArchitecturalStyle.choices,
                             default=ArchitecturalStyle.OTHER)
    renovation_history = models.TextField(_("renovation history"), blank=True)

    class Meta:
        verbose_name = _("heritage building")
        verbose_name_plural = _("heritage buildings")


class WallType(models.TextChoices):
    MURAL = "mural", _("painted mural")
    RELIEF = "relief", _("relief wall")


class Motif(models.TextChoices):
    LION_DANCE = "lion_dance", _("lion dance")
    DRAGON_BOAT = "dragon_boat", _("dragon boat")
    OLIVE_SELLER = "olive_seller", _("olive seller")
    XIGUAN_LEGEND = "xiguan_legend", _("Xiguan legend")
    CANTONESE_OPERA = "cantonese_opera", _("Cantonese opera")
    LYCHEE = "lychee", _("lychee")
    STREET_LIFE = "street_life", _("old street life")


class Surface(models.TextChoices):
    BRICK = "brick", _("brick")
    PLASTER = "plaster", _("plaster")
    CONCRETE = "concrete", _("concrete")
    STONE = "stone", _("stone")
    METAL = "metal", _("metal")


class Condition(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    DEFACED = "defaced", _("defaced")


@track_changes("MuralEvent")
class Mural(Asset):
    """墙绘/浮雕墙: a point, or the wall's line."""

    KIND = AssetKind.MURAL
    GEOMETRY_TYPES = PUNCTUAL + LINEAR

    wall_type = models.CharField(_("wall type"), max_length=10, choices=WallType.choices, default=WallType.MURAL)
    motif_tags = ArrayField(models.CharField(max_length=20, choices=Motif.choices), verbose_name=_("motifs"),
                            default=list, blank=True)
    artist = models.CharField(_("artist"), max_length=100, blank=True)
    surface = models.CharField(_("surface"), max_length=10, choices=Surface.choices, default=Surface.PLASTER)
    painted_on = models.DateField(_("date painted"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD)

    class Meta:
        verbose_name = _("mural / relief wall")
        verbose_name_plural = _("murals / relief walls")
