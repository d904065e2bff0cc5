"""The admin of the SITE loop: lists, filters and search, read-only.

Every change goes through :mod:`safety.operations` (permission, transaction, audit) from the staff
pages (/staff/safety/), the API or the demo loader; here the rows are looked at, within the
viewer's area (``registry.access.managed_scope``; grid workers see risks, interventions and rounds
of their grids, the street office everything of its streets). Checklists (configuration) are
created with ``create_checklist`` (the demo loader, or the shell) and shown here with their items.
"""

from django.contrib import admin

from registry.access import Action, is_staff_member, managed_scope, role_allows
from safety.models import (
    Ambassador, Checklist, ChecklistItem, Evaluation, Intervention, Risk, RoundAnswer, SafetyRound, Training,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to staff within their area; written only by the operations."""

    #: The role action needed to see the rows at all.
    action = Action.HANDLE_SAFETY
    #: The scope prefix to the row's street/community/grid columns (None: no scope, e.g. checklists).
    scope_prefix: str | None = ""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or (is_staff_member(request.user) and role_allows(request.user, self.action))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.scope_prefix is None or request.user.is_superuser:
            return rows
        return rows.filter(managed_scope(request.user, self.scope_prefix))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InterventionInline(ReadOnlyInline):
    model = Intervention
    fields = ["measure", "responsible", "deadline", "status", "closed_at", "escalated_at"]
    readonly_fields = fields


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = ["id", "category", "severity", "status", "street", "community", "found_at", "removed_at"]
    list_filter = ["status", "severity", "category", "source", "street"]
    search_fields = ["description"]
    date_hierarchy = "found_at"
    inlines = [InterventionInline]
    list_select_related = ["street", "community"]


@admin.register(Intervention)
class InterventionAdmin(ReadOnlyAdmin):
    scope_prefix = "risk__"
    list_display = ["id", "risk", "responsible", "deadline", "status", "closed_at", "escalated_at"]
    list_filter = ["status", "risk__severity"]
    search_fields = ["measure", "responsible"]
    list_select_related = ["risk"]


class ChecklistItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["position", "text_zh", "text_en", "category", "severity"]
    readonly_fields = fields


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    scope_prefix = None
    list_display = ["name_zh", "name_en", "is_active"]
    inlines = [ChecklistItemInline]


class RoundAnswerInline(ReadOnlyInline):
    model = RoundAnswer
    fields = ["item", "passed", "note"]
    readonly_fields = fields


@admin.register(SafetyRound)
class SafetyRoundAdmin(ReadOnlyAdmin):
    list_display = ["id", "community", "grid", "checklist", "due_on", "done_at"]
    list_filter = ["street", "checklist"]
    inlines = [RoundAnswerInline]
    list_select_related = ["community", "grid", "checklist"]


@admin.register(Ambassador)
class AmbassadorAdmin(ReadOnlyAdmin):
    action = Action.MANAGE_SAFETY
    list_display = ["name", "kind", "community", "is_active", "user"]
    list_filter = ["kind", "is_active", "street"]
    search_fields = ["name"]
    exclude = ["mobile"]  # private like an adopter's: shown masked on the staff page only


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    action = Action.MANAGE_SAFETY
    list_display = ["date", "topic", "trainer", "community"]
    list_filter = ["street"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    action = Action.MANAGE_SAFETY
    list_display = ["community", "period_start", "period_end", "checklist_score", "signed_off_at"]
    list_filter = ["street", "signed_off_at"]
