"""The admin of adopters and adoptions: read-only for staff (decisions and contact details go
through the adoption pages, which check and audit them); a superuser may edit."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from adoption.accounts import ensure_profile
from adoption.models import Adopter, Adoption
from registry.access import is_staff_member, managed_scope, scope_of
from registry.admin import register_asset_inline
from registry.admin_scope import (
    ReadOnlyAssetRowMixin,
    ReadOnlyForStaffMixin,
    ScopedInlineMixin,
    register_scoped_choices,
)


def adopters_in_scope(user):
    """Adopters a staff member's foreign keys may point to: those with an adoption in their scope."""
    if scope_of(user).everywhere:
        return Adopter.objects.all()
    return Adopter.objects.filter(managed_scope(user, "adoptions__asset__")).distinct()


register_scoped_choices(Adopter, adopters_in_scope)


class ScopedAdopterAdminMixin(ReadOnlyForStaffMixin):
    """Adopters with an adoption (of any status) of an asset the user works on; the mobile number
    is left out for staff (it is revealed, and audited, only on the adoption pages)."""

    scope_prefix = "adoptions__asset__"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.distinct()

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser or obj is None or scope_of(request.user).everywhere:
            return super().has_view_permission(request, obj)
        return is_staff_member(request.user) and type(obj).objects.filter(
            managed_scope(request.user, self.scope_prefix), pk=obj.pk).exists()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_superuser else [name for name in fields if name != "mobile"]


class AdoptionInline(ScopedInlineMixin, admin.TabularInline):
    model = Adoption
    extra = 0
    fields = ["adopter", "period", "status", "duties"]
    autocomplete_fields = ["adopter"]


register_asset_inline(AdoptionInline)


@admin.register(Adopter)
class AdopterAdmin(ScopedAdopterAdminMixin, admin.ModelAdmin):
    list_display = ["display_name", "kind", "contact_person", "masked_mobile_column", "created_at"]
    list_filter = ["kind"]
    search_fields = ["display_name", "contact_person", "credit_code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ensure_profile(obj)  # every adopter has a profile; /me/ and the reminders read it

    @admin.display(description=_("mobile"))
    def masked_mobile_column(self, adopter):
        return adopter.masked_mobile


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAssetRowMixin, admin.ModelAdmin):
    list_display = ["asset", "adopter", "period", "status", "decided_at"]
    list_filter = ["status", "asset__kind", "asset__street"]
    search_fields = ["asset__name_zh", "adopter__display_name"]
    autocomplete_fields = ["asset", "adopter"]
    list_select_related = ["asset", "adopter"]
    readonly_fields = ["decided_by", "decided_at", "created_at"]
