"""The admin of renovation projects: lists, filters, search, a map of the site.

Every change goes through :mod:`projects.operations` (permission, transaction, audit): the admin
creates and edits a project's own facts with ``create_project`` / ``update_project``; phases,
funding, contractors and milestones are shown read-only here and written from the staff pages
(/staff/projects/), the API or the import. Staff see only their own street's projects.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from projects import operations
from projects.models import Contractor, FundingLine, Milestone, PhaseEvent, Project, ProjectAsset
from projects.queries import managed_projects
from registry.access import Action, can, is_staff_member, role_allows
from registry.admin import MapWidget


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or is_staff_member(request.user)


class PhaseEventInline(ReadOnlyInline):
    model = PhaseEvent
    fields = ["date", "previous_phase", "phase", "is_return", "note", "document_number", "actor"]
    readonly_fields = fields


class FundingLineInline(ReadOnlyInline):
    model = FundingLine
    fields = ["source", "sponsor", "sponsor_name", "amount_planned", "amount_received", "date", "note"]
    readonly_fields = fields


class ContractorInline(ReadOnlyInline):
    model = Contractor
    fields = ["role", "name", "credit_code", "contract_start", "contract_end"]
    readonly_fields = fields


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["date", "text", "progress", "created_by"]
    readonly_fields = fields


class ProjectAssetInline(ReadOnlyInline):
    model = ProjectAsset
    fields = ["asset", "role"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(LeafletGeoAdmin):
    widget = MapWidget
    list_display = ["name_zh", "kind", "street", "community", "phase", "rolled_progress", "parent", "is_public"]
    list_filter = ["kind", "phase", "street", "is_public"]
    search_fields = ["name_zh", "name_en", "external_id"]
    list_select_related = ["street", "community", "parent"]
    autocomplete_fields = ["parent"]
    fieldsets = (
        (None, {"fields": ["name_zh", "name_en", "kind", "site", "description", "external_id", "is_public",
                           "parent", "weight"]}),
        (_("Dates"), {"fields": ["planned_start", "planned_end", "actual_start", "actual_end"]}),
        (_("Placement and progress (derived)"), {"fields": ["street", "community", "grid", "phase", "progress",
                                                             "rolled_progress"]}),
    )
    readonly_fields = ["street", "community", "grid", "phase", "progress", "rolled_progress"]
    inlines = [PhaseEventInline, FundingLineInline, ContractorInline, MilestoneInline, ProjectAssetInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("street__boundary", "community__boundary")
        return queryset if request.user.is_superuser else queryset.filter(pk__in=managed_projects(request.user))

    def has_module_permission(self, request):
        return request.user.is_superuser or role_allows(request.user, Action.CHANGE_PROJECT)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or request.user.is_superuser
                                                        or can(request.user, Action.CHANGE_PROJECT, obj))

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        """The operations' checks on the form, so a refusal is a message on the field, not an error page."""
        form = super().get_form(request, obj, **kwargs)
        user = request.user

        class CheckedProjectForm(form):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    operations.check_project(actor=user, project=self.instance,
                                             parent_changed="parent" in self.changed_data)
                except ValidationError as error:
                    self._update_errors(error)
                except PermissionDenied:
                    self.add_error("site", _("This place is outside the streets you look after."))

        return CheckedProjectForm

    def save_model(self, request, obj, form, change):
        """Through the operations, so the admin's changes are in the history like any other."""
        values = {name: form.cleaned_data[name] for name in operations.EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            saved = operations.update_project(actor=request.user, project=Project.objects.get(pk=obj.pk),
                                              **{name: value for name, value in values.items()
                                                 if name in form.changed_data})
        else:
            saved = operations.create_project(actor=request.user, **values)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The inlines are read-only; the asset links and the rest are written by their operations."""
