"""The admin of upkeep: logs are read-only for staff (they change through the care operations,
which check and audit them); an asset's own schedules are saved through those operations too."""

from django.contrib import admin

from registry.access import managed_scope
from registry.admin_scope import ReadOnlyAssetRowMixin, ScopedAssetRowMixin, register_scoped_choices
from upkeep.models import UpkeepLog, UpkeepSchedule
from upkeep.operations import remove_upkeep_schedule, set_upkeep_schedule

register_scoped_choices(UpkeepLog, lambda user: UpkeepLog.objects.filter(managed_scope(user, "asset__")))


@admin.register(UpkeepLog)
class UpkeepLogAdmin(ReadOnlyAssetRowMixin, admin.ModelAdmin):
    list_display = ["asset", "action", "performed_at", "staff", "adopter", "duration_minutes", "participants"]
    list_filter = ["action", "asset__kind", "asset__street"]
    search_fields = ["asset__name_zh", "notes"]
    date_hierarchy = "performed_at"
    autocomplete_fields = ["asset", "adopter"]
    list_select_related = ["asset", "staff", "adopter"]


@admin.register(UpkeepSchedule)
class UpkeepScheduleAdmin(ScopedAssetRowMixin, admin.ModelAdmin):
    """An asset's own interval for an action; saved and removed through the care operations (audited)."""

    list_display = ["asset", "action", "interval_days", "summer_interval_days", "active"]
    list_filter = ["action", "active", "asset__kind", "asset__street"]
    search_fields = ["asset__name_zh", "asset__name_en"]
    autocomplete_fields = ["asset"]
    list_select_related = ["asset"]

    def get_readonly_fields(self, request, obj=None):
        # Which asset and action a schedule is for never changes: remove it and add another.
        return ["asset", "action"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # Dropping an asset's own schedule only returns it to its kind's default: whoever may change it.
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = set_upkeep_schedule(actor=request.user, asset=obj.asset, action=obj.action,
                                    interval_days=obj.interval_days,
                                    summer_interval_days=obj.summer_interval_days, active=obj.active)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        remove_upkeep_schedule(actor=request.user, schedule=obj)

    def delete_queryset(self, request, queryset):
        for schedule in queryset.select_related("asset"):
            remove_upkeep_schedule(actor=request.user, schedule=schedule)
