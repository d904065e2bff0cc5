"""The common asset table every kind shares, so that one spatially indexed table serves the map.

Kinds (garden, green plot, painted box, mural, heritage building, elevator retrofit) are
multi-table children of :class:`Asset` living in their own apps; each declares its ``KIND``
and the geometry types it may have, and registers itself in :attr:`Asset.kind_models`.
``asset.specific`` returns the kind's own row, as Wagtail's ``page.specific`` does.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db.models.functions import Upper
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry.naming import BilingualNameMixin
from registry.geography import Community, Grid, Street, assign_geography
from registry.history import track_asset
from registry.spatial_refs import STORAGE_SRID
from registry.geometry import (
    LINEAR, POLYGONAL, PUNCTUAL, area_in_square_metres, representative_point, validate_geometry,
)


class AssetKind(models.TextChoices):
    GARDEN = "garden", _("neighbourhood garden")
    GREEN_PLOT = "green_plot", _("green plot")
    PAINTED_BOX = "painted_box", _("painted electrical box")
    MURAL = "mural", _("mural / relief wall")
    HERITAGE = "heritage", _("heritage building")
    ELEVATOR = "elevator", _("elevator retrofit")


class AssetStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDER_RENOVATION = "under_renovation", _("under renovation")
    IN_USE = "in_use", _("in use")
    RETIRED = "retired", _("retired")


@track_asset
class Asset(BilingualNameMixin, models.Model):
    #: Set by each kind: its AssetKind value and the geometry types it may be drawn as.
    KIND: str | None = None
    GEOMETRY_TYPES: tuple[str, ...] = POLYGONAL + LINEAR + PUNCTUAL
    #: kind value → model class, filled in as kind models are defined.
    kind_models: dict[str, type["Asset"]] = {}

    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, default="", db_default="",
        help_text=_("The id this asset has in the system it was imported from; re-imports update by it."))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices, editable=False)
    geometry = models.GeometryField(_("geometry"), srid=4326)
    location = models.PointField(
        _("representative point"), srid=4326, editable=False,
        help_text=_("A point on the asset, used for the map's markers and street assignment."),
    )
    # Web Mercator copies kept by PostgreSQL itself, so vector tiles never transform per request.
    geometry_webmercator = models.GeneratedField(
        expression=Transform("geometry", 3857), output_field=models.GeometryField(srid=3857, spatial_index=False),
        db_persist=True, verbose_name=_("geometry (Web Mercator)"),
    )
    location_webmercator = models.GeneratedField(
        expression=Transform("location", 3857), output_field=models.PointField(srid=3857, spatial_index=False),
        db_persist=True, verbose_name=_("representative point (Web Mercator)"),
    )
    area_m2 = models.FloatField(_("area (m²)"), null=True, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices,
                              default=AssetStatus.IN_USE)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("public"), default=True,
                                    help_text=_("Shown to residents on the map and asset pages."))
    is_adoptable = models.BooleanField(_("adoptable"), default=False,
                                       help_text=_("Adopters may apply to care for it."))
    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="assets",
                               verbose_name=_("street"), editable=False)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="assets",
                                  verbose_name=_("community"), null=True, blank=True, editable=False)
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="assets",
                             verbose_name=_("grid"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"),
                                   editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("updated by"),
                                   editable=False)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["name_zh"]
        indexes = [
            models.Index(fields=["kind", "status"], name="asset_kind_status"),
            GistIndex(fields=["geometry_webmercator"], name="asset_geometry_3857"),
            GistIndex(fields=["location_webmercator"], name="asset_location_3857"),
            # Trigram indexes for substring search in Chinese and English (`icontains` compares
            # UPPER(column), hence the expression). pg_trgm hashes CJK trigrams under C.UTF-8.
            GinIndex(OpClass(Upper("name_zh"), name="gin_trgm_ops"), name="asset_name_zh_trgm"),
            GinIndex(OpClass(Upper("name_en"), name="gin_trgm_ops"), name="asset_name_en_trgm"),
            GinIndex(OpClass(Upper("address"), name="gin_trgm_ops"), name="asset_address_trgm"),
            # A street's or community's asset ids from the index alone, without visiting the rows
            # (which lie all over the table): the figures that join reports, adoptions or logs to
            # the assets of an area (the dashboard, the staff statistics).
            models.Index(fields=["street", "community", "id"], name="asset_area_ids"),
            # The assets open to adoption per area, counted from the index alone (the dashboard's
            # and the staff statistics' adoption rate; a quarter of the assets, not all of them).
            models.Index(fields=["street", "community", "id"], name="asset_adoptable_area",
                         condition=models.Q(is_adoptable=True) & ~models.Q(status="retired")),
        ]
        constraints = [
            # The database refuses what validate_geometry refuses, whoever writes the row.
            models.CheckConstraint(condition=models.Q(geometry__isvalid=True), name="asset_geometry_valid"),
            models.CheckConstraint(condition=models.Q(area_m2__gte=0) | models.Q(area_m2__isnull=True),
                                   name="asset_area_not_negative"),
            models.UniqueConstraint(fields=["kind", "external_id"], condition=~models.Q(external_id=""),
                                    name="asset_external_id_unique_per_kind"),
        ]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.KIND:
            Asset.kind_models[cls.KIND] = cls

    def __str__(self):
        return self.name_zh

    @property
    def specific(self) -> "Asset":
        """The kind's own row (a NeighbourhoodGarden, a HeritageBuilding, …), or self."""
        model = self.kind_models.get(self.kind)
        if model is None or isinstance(self, model):
            return self
        # The Web Mercator copies are for tiles only; the kind's own fields are what callers want.
        return model.objects.defer("geometry_webmercator", "location_webmercator").get(pk=self.pk)

    def place(self) -> None:
        """Validate the geometry and derive representative point, area, street/community/grid.

        Raises ValidationError (keyed on ``geometry``) for a bad geometry or one outside the
        district. Called by ``clean()`` for forms and by ``save()`` for every other writer.
        """
        self.derive_shape()
        assign_geography(self)

    def derive_shape(self, *, checked: bool = False) -> None:
        """The database-free half of :meth:`place`: kind, validated geometry, point and area.

        ``checked``: the geometry already passed validate_geometry's checks elsewhere (the import runs
        them in SQL, dataio/importing/checks.py); only a missing SRID is still taken as WGS-84."""
        if type(self).KIND:
            self.kind = type(self).KIND
        if checked:
            if self.geometry.srid is None:
                self.geometry = self.geometry.clone()
                self.geometry.srid = STORAGE_SRID
        else:
            try:
                self.geometry = validate_geometry(self.geometry, type(self).GEOMETRY_TYPES)
            except ValidationError as error:
                raise ValidationError({"geometry": error.error_list}) from None
        self.location = representative_point(self.geometry)
        self.area_m2 = area_in_square_metres(self.geometry)

    def clean(self):
        super().clean()
        if not self.kind and not type(self).KIND:
            raise ValidationError(_("Every asset needs a kind."))
        if self.geometry is not None:  # a missing geometry is already reported by clean_fields()
            self.place()

    def save(self, *args, **kwargs):
        self.place()
        super().save(*args, **kwargs)
