"""Photos of assets, optionally attached to the upkeep log they document.

A photo is stored only as the two renditions the pipeline (``registry.photos.pipeline``) makes:
``large`` (long side ≤ 1600 px) for viewing and ``small`` (≤ 320 px) for galleries, popups and
lists. The upload itself is never kept: it carries GPS and other metadata the renditions drop.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


def photo_path(photo: "Photo", filename: str) -> str:
    """Where the first schema put uploads; migration 0001 still refers to it."""
    return f"photos/{photo.asset_id}/{filename}"


class PhotoFiles(models.Model):
    """A programme's photo: the pipeline's two renditions and their facts, for the photo models of the
    apps above the core (safety, consultation, projects), which add what the photo belongs to. Their
    files are kept by the orphan sweep through ``register_photo_references``."""

    large = models.FileField(_("photo"), max_length=255, editable=False)
    small = models.FileField(_("thumbnail"), max_length=255, editable=False)
    width = models.PositiveIntegerField(_("width (px)"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height (px)"), editable=False, null=True)
    small_width = models.PositiveIntegerField(_("thumbnail width (px)"), editable=False, null=True)
    small_height = models.PositiveIntegerField(_("thumbnail height (px)"), editable=False, null=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self):
        return self.large.name


class Photo(models.Model):
    asset = models.ForeignKey("registry.Asset", on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("asset"))
    upkeep_log = models.ForeignKey("upkeep.UpkeepLog", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="photos", verbose_name=_("upkeep log"))
    #: Storage names are content-hashed (``photos/ab/cd/<sha256>-1600.jpg``), written by the pipeline.
    #: Indexed: every request for a file under /media/photos/ looks its rows up (registry/photos/serving.py).
    large = models.FileField(_("photo"), max_length=255, editable=False, db_index=True)
    small = models.FileField(_("thumbnail"), max_length=255, editable=False, db_index=True)
    width = models.PositiveIntegerField(_("width (px)"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height (px)"), editable=False, null=True)
    small_width = models.PositiveIntegerField(_("thumbnail width (px)"), editable=False, null=True)
    small_height = models.PositiveIntegerField(_("thumbnail height (px)"), editable=False, null=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False, db_index=True,
                                    help_text=_("SHA-256 of the file as uploaded, to recognise the same file."))
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
        return self.caption or self.large.name
