"""Photos of assets, optionally attached to the upkeep log they document."""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


def photo_path(photo: "Photo", filename: str) -> str:
    return f"photos/{photo.asset_id}/{filename}"


class Photo(models.Model):
    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("asset"))
    upkeep_log = models.ForeignKey("registry.UpkeepLog", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="photos", verbose_name=_("upkeep log"))
    image = models.ImageField(_("image"), upload_to=photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width (px)"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height (px)"), editable=False, null=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    credit = models.CharField(_("credit"), max_length=100, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("uploaded by"))
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-taken_at", "-created_at"]

    def __str__(self):
        return self.caption or self.image.name
