"""The admin of consultation: meetings and resolutions to find, filter and read.

Every write goes through :mod:`consultation.operations` (permission, transaction, audit): meetings
are recorded and resolutions carried through their statuses from the staff pages
(/staff/consultation/), the API or the ledger import; here they are read-only, so the admin never
writes around the operations. Staff see only their own area's meetings.
"""

from django.contrib import admin

from consultation.models import Meeting, Resolution
from consultation.queries import managed_meetings, managed_resolutions
from registry.access import Action, can, role_allows

RESOLUTION_FIELDS = ["external_id", "text", "votes_for", "votes_against", "votes_abstain", "status", "responsible",
                     "responsible_adopter", "responsible_street_office", "due_date", "executed_on",
                     "not_feasible_reason", "carried_by_project", "carried_by_upkeep", "carried_by_problem",
                     "carried_by_adoption"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser or role_allows(request.user, Action.RECORD_MEETING)

    def has_view_permission(self, request, obj=None):
        meeting = getattr(obj, "meeting", obj)
        return self.has_module_permission(request) and (
            meeting is None or request.user.is_superuser or can(request.user, Action.RECORD_MEETING, meeting))

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResolutionInline(admin.TabularInline):
    model = Resolution
    extra = 0
    can_delete = False
    fields = ["external_id", "text", "votes_for", "votes_against", "votes_abstain", "status", "due_date",
              "executed_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or role_allows(request.user, Action.RECORD_MEETING)


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["date", "level", "topic", "community", "grid", "participants", "is_published"]
    list_filter = ["level", "venue_kind", "convener_role", "street", "is_published"]
    search_fields = ["topic", "building_address", "minutes"]
    list_select_related = ["community", "grid"]
    date_hierarchy = "date"
    readonly_fields = ["level", "street", "community", "grid", "building_address", "building", "venue_kind", "date",
                       "convener_role", "topic", "participants", "households_present", "minutes", "is_published",
                       "assets", "projects", "created_by", "created_at"]
    inlines = [ResolutionInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("community__boundary", "grid__boundary")
        return queryset if request.user.is_superuser else queryset.filter(pk__in=managed_meetings(request.user))


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["text", "status", "meeting_date", "community", "due_date", "executed_on", "external_id"]
    list_filter = ["status", "street"]
    search_fields = ["text", "external_id", "responsible"]
    list_select_related = ["community"]
    readonly_fields = ["meeting", "street", "community", "meeting_date", *RESOLUTION_FIELDS]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).defer("community__boundary")
        return queryset if request.user.is_superuser else queryset.filter(pk__in=managed_resolutions(request.user))
