"""The district's administrative geography: district → street → community → grid.

Every asset belongs to the street, community and grid whose boundary covers the asset's
representative point. :func:`covering` is that rule, written once; :func:`assign_geography`
applies it to one asset before it is saved and :func:`reassign_assets` applies it, set-based
in one UPDATE, to every asset a boundary change may have moved.
"""

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from registry import history
from registry.naming import BilingualNameMixin


class AdministrativeArea(BilingualNameMixin, models.Model):
    """A named area with a boundary. Saving a changed boundary reassigns the assets it touches."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    boundary = models.MultiPolygonField(_("boundary"), srid=4326)

    #: Whether assets are assigned to areas of this level (see LEVELS below).
    assigns_assets = True

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name_zh

    def clean(self):
        super().clean()
        if self.boundary is not None and not self.boundary.valid:
            raise ValidationError({"boundary": ValidationError(
                _("The boundary is not a valid polygon: %(reason)s"), code="boundary_invalid",
                params={"reason": self.boundary.valid_reason})})

    def save(self, *args, **kwargs):
        """Save, then reassign the assets under the old and new boundary (refused if any is stranded).

        To move the line between two neighbours, use :func:`update_boundaries`, which checks
        once both sides are redrawn.
        """
        with transaction.atomic():
            touched = self._save_boundary(*args, **kwargs)
            if touched is not None:
                reassign_assets(Q(location__intersects=touched))

    def _save_boundary(self, *args, **kwargs):
        """Save; return the area whose assets may have moved (None if the boundary did not change)."""
        old_boundary = None
        if self.pk is not None:
            old_boundary = type(self).objects.filter(pk=self.pk).values_list("boundary", flat=True).first()
        super().save(*args, **kwargs)
        if not self.assigns_assets or (old_boundary is not None and old_boundary.equals_exact(self.boundary)):
            return None
        return self.boundary if old_boundary is None else self.boundary.union(old_boundary)


@history.track_changes("DistrictEvent")
class District(AdministrativeArea):
    assigns_assets = False

    class Meta(AdministrativeArea.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


@history.track_changes("StreetEvent")
class Street(AdministrativeArea):
    """街道: a street office's area. Street staff see and change only their street's rows."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets",
                                 verbose_name=_("district"))

    class Meta(AdministrativeArea.Meta):
        verbose_name = _("street")
        verbose_name_plural = _("streets")


@history.track_changes("CommunityEvent")
class Community(AdministrativeArea):
    """社区: a residents' committee area inside one street."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="communities",
                               verbose_name=_("street"))

    class Meta(AdministrativeArea.Meta):
        verbose_name = _("community")
        verbose_name_plural = _("communities")


@history.track_changes("GridEvent")
class Grid(AdministrativeArea):
    """网格: the smallest unit, each with its grid worker."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="grids",
                                  verbose_name=_("community"))

    class Meta(AdministrativeArea.Meta):
        verbose_name = _("grid")
        verbose_name_plural = _("grids")


def update_boundaries(*areas: AdministrativeArea) -> int:
    """Save several redrawn boundaries together, then reassign the assets they touch once.

    All or nothing: if the new boundaries leave an asset outside every street, nothing is saved.
    """
    with transaction.atomic():
        touched = [area for area in (a._save_boundary() for a in areas) if area is not None]
        if not touched:
            return 0
        union = touched[0]
        for area in touched[1:]:
            union = union.union(area)
        return reassign_assets(Q(location__intersects=union))


#: The levels an asset is assigned to, as (asset field, area model).
LEVELS = (("street", Street), ("community", Community), ("grid", Grid))


def covering(area_model, point):
    """Areas of ``area_model`` whose boundary covers ``point`` (a geometry or an OuterRef).

    Boundaries of one level do not overlap; should a drawing error make them, the lowest
    code wins so that the answer is stable.
    """
    return area_model.objects.filter(boundary__covers=point).order_by("code")


def assign_geography(asset) -> None:
    """Set ``asset.street/community/grid`` from its representative point.

    Raises ValidationError when no street covers the point: the asset lies outside the district.
    """
    for field, area_model in LEVELS:
        setattr(asset, field, covering(area_model, asset.location).first())
    if asset.street_id is None:
        raise ValidationError(
            {"geometry": _("This location is outside the district: no street boundary covers it.")},
            code="outside_district",
        )


def reassign_assets(assets_filter: Q = Q()) -> int:
    """Re-derive street, community and grid for the matching assets in one UPDATE.

    Refuses (ValidationError, nothing changed as long as the caller's transaction rolls back)
    when the change would leave an asset outside every street.
    """
    # The asset model through the street's reverse relation: registry.assets imports this module,
    # so this one does not import it back.
    asset_model = Street._meta.get_field("assets").related_model
    assets = asset_model.objects.filter(assets_filter)
    stranded = assets.exclude(Exists(covering(Street, OuterRef("location")))).count()
    if stranded:
        raise ValidationError(
            ngettext_lazy("This boundary change would leave %(count)d asset outside every street.",
                          "This boundary change would leave %(count)d assets outside every street.", "count"),
            code="assets_outside_district",
            params={"count": stranded},
        )
    with history.operation("areas.reassign"):  # the database records each asset's new street, by whom
        return assets.update(**{
            field: Subquery(covering(area_model, OuterRef("location")).values("pk")[:1])
            for field, area_model in LEVELS
        })
