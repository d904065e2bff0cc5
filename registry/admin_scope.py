"""Row scope in the Django admin: the same rules as every other page, from ``registry.access``.

A superuser keeps Django's own behaviour (and sees everything). Everyone else is judged by their
staff role, not by Django's model permissions: ``is_staff`` only opens the admin's door.

* lists, change pages, autocomplete and "add" show only the rows of assets the user works on
  (``managed_scope``): another street's row by a typed-in id is "not found";
* foreign-key choices (asset, upkeep log, adopter) are limited the same way, so a tampered id
  in a form is refused as an invalid choice, not saved;
* an asset drawn or moved outside the user's streets is refused with a message;
* changing needs the role's action (``change_action``), deleting a district administrator.
  Rows that have an operation of their own (adoptions, upkeep logs, adopters) stay read-only
  here for non-superusers: decisions, logs and contact details go through their pages, which
  check and audit them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.access import Action, can, is_staff_member, managed_scope, role_allows, scope_of
from registry.assets import Asset
from registry.staffing import StaffAssignment


def _asset_of(obj):
    return obj if isinstance(obj, Asset) else getattr(obj, "asset", None)


def covers(user, obj) -> bool:
    """Is ``obj`` (an asset, or a row with ``.asset``) in the part of the district ``user`` works on?"""
    asset = _asset_of(obj)
    return asset is not None and scope_of(user).covers(asset.street_id, asset.community_id, asset.grid_id)


#: model → ``choices(user)``: the rows a foreign key to that model may point to for a staff
#: member. Assets are the core's own; the domains register theirs (``adoption.admin``: adopters,
#: ``upkeep.admin``: upkeep logs), so the core's admin needs no import of them.
_scoped_choices: dict = {}


def register_scoped_choices(model, choices) -> None:
    _scoped_choices[model] = choices


def scoped_choices(user, model):
    """The rows of ``model`` a foreign key may point to for ``user``, or None for models not scoped."""
    if issubclass(model, Asset):
        return model.objects.filter(managed_scope(user))
    choices = _scoped_choices.get(model)
    return None if choices is None else choices(user)


class ScopedAdminMixin:
    """Put before the ModelAdmin base. ``scope_prefix``: "" for assets, "asset__" for rows of an asset."""

    scope_prefix = ""
    #: What the role must be allowed to add and change rows here; None: read-only for non-superusers.
    change_action: str | None = Action.CHANGE_ASSET

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or scope_of(request.user).everywhere:
            return queryset
        return queryset.filter(managed_scope(request.user, self.scope_prefix))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            choices = scoped_choices(request.user, db_field.related_model)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return super().has_module_permission(request) if request.user.is_superuser else is_staff_member(
            request.user)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return is_staff_member(request.user) and (obj is None or covers(request.user, obj))

    def has_add_permission(self, request, *args):
        if request.user.is_superuser:
            return super().has_add_permission(request, *args)
        return self.change_action is not None and role_allows(request.user, self.change_action)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        if self.change_action is None:
            return False
        return role_allows(request.user, self.change_action) and (obj is None or can(
            request.user, self.change_action, obj))

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return (self.change_action is not None and scope_of(request.user).everywhere
                and (obj is None or covers(request.user, obj)))


class ScopedAssetAdminMixin(ScopedAdminMixin):
    """For an asset admin: also refuse a geometry that puts the asset outside the user's streets."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        user = request.user

        class ScopedAssetForm(form):
            def _post_clean(self):
                super()._post_clean()  # validates the instance, which places it (street, community, grid)
                instance = self.instance
                if not self.errors and instance.street_id and not can(user, Action.CHANGE_ASSET, instance):
                    message = _("This place is outside the streets you look after.")
                    self.add_error("geometry" if "geometry" in self.fields else None, message)

        return ScopedAssetForm


class ReadOnlyForStaffMixin(ScopedAdminMixin):
    """Rows changed only through their own operations: staff read them here, a superuser may edit."""

    change_action = None


class ScopedAssetRowMixin(ScopedAdminMixin):
    """Rows that belong to an asset (photos, schedules): scoped through ``asset``."""

    scope_prefix = "asset__"


class ReadOnlyAssetRowMixin(ScopedAssetRowMixin):
    """Rows of an asset changed only through their operations (adoptions, upkeep logs)."""

    change_action = None


class ReadOnlyGeographyMixin:
    """Streets, communities, grids: every staff member may look them up; only a superuser redraws them."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or is_staff_member(request.user)


class ScopedInlineMixin:
    """Inlines of an asset: shown to staff in scope, read-only unless the user is a superuser."""

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    """Who is staff, with which role and where: superusers only (``create_staff`` does the same)."""

    list_display = ["user", "role", "street_list", "can_reveal_mobile"]
    list_filter = ["role", "streets", "can_reveal_mobile"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["streets", "communities", "grids"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("streets")

    @admin.display(description=_("streets"))
    def street_list(self, assignment):
        return "、".join(street.display_name for street in assignment.streets.all())
