"""The Django admin for the core: geography, the asset overview, photos, staff assignments.

Kind-specific admins (gardens, heritage, retrofits) extend :class:`KindAdmin`. The domains keep
their own admin modules (``adoption.admin``, ``upkeep.admin``) and add what an asset's page shows
of them with :func:`register_asset_inline`. Staff other than superusers see and change only their
part of the district (``registry.admin_scope``).
"""

from django import forms
from django.contrib import admin
from django.contrib.gis.gdal import GDALException
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletAdminWidget, LeafletGeoAdmin

from registry import admin_audit
from registry.admin_scope import (
    ReadOnlyGeographyMixin,
    ScopedAssetAdminMixin,
    ScopedAssetRowMixin,
    ScopedInlineMixin,
)
from registry.assets import Asset
from registry.geography import Community, District, Grid, Street
from registry.photos import Photo
from registry.photos.actions import PHOTO_ADMIN_ACTIONS
from registry.photos.forms import PhotoField
from registry.photos.pipeline import save_new_photo


class MapWidget(LeafletAdminWidget):
    """The admin's map widget, redrawing a form sent back with unreadable geometry text.

    The form field already reports such text as an error; Django's widget catches GEOS's
    parse errors but not GDAL's (GeoJSON goes through OGR), so without this the page that
    should show the error failed instead. An unreadable value is simply not drawn.
    """

    def deserialize(self, value):
        try:
            return super().deserialize(value)
        except GDALException:
            return None


admin.site.site_header = _("Liwan garden and micro-renovation registry")
admin.site.site_title = _("Registry administration")
admin.site.index_title = _("Registry administration")


class AreaAdmin(ReadOnlyGeographyMixin, LeafletGeoAdmin):
    list_display = ["code", "name_zh", "name_en"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(District)
class DistrictAdmin(AreaAdmin):
    pass


@admin.register(Street)
class StreetAdmin(AreaAdmin):
    list_display = AreaAdmin.list_display + ["district"]
    list_filter = ["district"]


@admin.register(Community)
class CommunityAdmin(AreaAdmin):
    list_display = AreaAdmin.list_display + ["street"]
    list_filter = ["street"]
    list_select_related = ["street"]


@admin.register(Grid)
class GridAdmin(AreaAdmin):
    list_display = AreaAdmin.list_display + ["community"]
    list_filter = ["community__street"]
    list_select_related = ["community"]


def photo_thumbnail(photo):
    """The small rendition, for lists and inlines."""
    if not photo.small:
        return "—"
    return format_html('<img src="{}" alt="{}" style="height:48px">', photo.small.url, photo.caption)


class PhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = Photo
    fk_name = "asset"
    extra = 0
    fields = ["thumbnail", "caption", "credit", "taken_at", "is_public"]
    readonly_fields = ["thumbnail"]

    def has_add_permission(self, request, obj=None):
        return False  # a new photo needs its file through the pipeline: the photo admin's upload

    @admin.display(description=_("image"))
    def thumbnail(self, photo):
        return photo_thumbnail(photo)


#: Inlines every kind's admin page shows after its photos; the domains add theirs
#: (``adoption.admin`` registers the asset's adoptions).
asset_inlines: list = []


def register_asset_inline(inline) -> None:
    if inline not in asset_inlines:
        asset_inlines.append(inline)


class AssetListMixin:
    """List columns, filters and search shared by the overview and every kind's admin."""

    list_display = ["name_zh", "kind", "status", "street", "community", "is_public", "is_adoptable", "updated_at"]
    list_filter = ["kind", "status", "street", "is_public", "is_adoptable"]
    search_fields = ["name_zh", "name_en", "address"]
    list_select_related = ["street", "community"]
    readonly_fields = ["kind", "street", "community", "grid", "area_m2", "location",
                       "created_by", "created_at", "updated_by", "updated_at"]


class KindAdmin(ScopedAssetAdminMixin, AssetListMixin, LeafletGeoAdmin):
    """Base admin for one kind: the map widget, placement read-only, who changed it recorded."""

    widget = MapWidget

    common_fieldsets = (
        (None, {"fields": ["name_zh", "name_en", "geometry", "address", "status", "description",
                           "is_public", "is_adoptable"]}),
        (_("Placement (derived from the geometry)"), {"fields": ["street", "community", "grid", "area_m2"]}),
        (_("History"), {"classes": ["collapse"],
                        "fields": ["created_by", "created_at", "updated_by", "updated_at"]}),
    )
    #: The kind's own fields, shown after the common ones.
    kind_fields: list[str] = []

    def get_inlines(self, request, obj):
        return [PhotoInline, *asset_inlines]

    def get_fieldsets(self, request, obj=None):
        return (self.common_fieldsets[0], (_("Details of this kind"), {"fields": self.kind_fields}),
                *self.common_fieldsets[1:])

    def get_readonly_fields(self, request, obj=None):
        return [f for f in self.readonly_fields if f not in ("kind", "location")]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        before = admin_audit.stored_state(obj, change)  # for the asset's history
        super().save_model(request, obj, form, change)
        admin_audit.record_admin_save(actor=request.user, obj=obj, before=before, change=change)


@admin.register(Asset)
class AssetAdmin(ScopedAssetAdminMixin, AssetListMixin, LeafletGeoAdmin):
    """Every asset of every kind in one list; opening one goes to its kind's own admin page."""

    widget = MapWidget

    def has_add_permission(self, request):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        asset = self.get_object(request, object_id)
        specific = asset.specific if asset is not None else None  # a query: read it once
        if specific is not None and type(specific) is not Asset:
            meta = specific._meta
            return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[specific.pk]))
        return super().change_view(request, object_id, form_url, extra_context)


class PhotoAdminForm(forms.ModelForm):
    """Adding a photo takes a file through the pipeline; the renditions themselves are not editable."""

    upload = PhotoField(required=False, label=_("photo file"))

    class Meta:
        model = Photo
        fields = ["asset", "upkeep_log", "caption", "credit", "taken_at", "is_public"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk is None and not upload:
            raise forms.ValidationError(_("Choose a photo to upload."), code="required")
        return upload


@admin.register(Photo)
class PhotoAdmin(ScopedAssetRowMixin, admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "asset", "caption", "credit", "taken_at", "is_public"]
    list_filter = ["is_public", "asset__kind", "asset__street"]
    search_fields = ["asset__name_zh", "caption", "credit"]
    autocomplete_fields = ["asset", "upkeep_log"]
    list_select_related = ["asset"]
    readonly_fields = ["thumbnail", "width", "height", "uploaded_by", "created_at"]
    actions = PHOTO_ADMIN_ACTIONS  # added to at start-up by apps above the core (registry.photos.actions)

    def get_fields(self, request, obj=None):
        fields = ["asset", "upkeep_log", "caption", "credit", "taken_at", "is_public"]
        return ["upload", *fields] if obj is None else ["thumbnail", *fields, "width", "height", "uploaded_by",
                                                        "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            save_new_photo(obj, upload=form.cleaned_data["upload"], uploaded_by=request.user)

    @admin.display(description=_("image"))
    def thumbnail(self, photo):
        return photo_thumbnail(photo)
