"""The admin of check-in routes: the route's facts, its walking line drawn on a map, and its stops
as a list (one asset id a line, optionally followed by the stop's note).

Every change goes through :mod:`routes.operations` (permission, transaction, audit, history):
the form runs ``check_route`` so a refusal is a message on the form, and saving calls
``save_route``; a drawn line passing far from a stop is saved with a warning message.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from registry.access import Action, role_allows
from registry.admin import MapWidget
from routes import operations
from routes.forms import parse_stops, stops_as_text
from routes.models import CheckInSpot, Route

FIELDS = ["name_zh", "name_en", "theme", "description", "line", "pace", "is_published"]


class RouteForm(forms.ModelForm):
    stops_text = forms.CharField(
        label=_("Stops"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One stop a line, in walking order: the asset's id, then optionally a short note."))

    class Meta:
        model = Route
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stops_text"].initial = stops_as_text(self.instance)

    def _post_clean(self):  # not the model's own validation: the operation's checks
        if self.errors:
            return
        try:
            self.cleaned_data["stops"] = parse_stops(self.cleaned_data["stops_text"])
            operations.check_route(actor=self.actor, values=self.cleaned_data, stops=self.cleaned_data["stops"],
                                   line=self.cleaned_data.get("line"))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else "stops_text", errors)
            else:
                self.add_error("stops_text", error)
        except PermissionDenied as error:
            self.add_error("stops_text", str(error))


@admin.register(Route)
class RouteAdmin(LeafletGeoAdmin):
    widget = MapWidget
    form = RouteForm
    list_display = ["name_zh", "name_en", "theme", "is_published", "updated_at"]
    list_filter = ["theme", "is_published"]
    search_fields = ["name_zh", "name_en"]
    fields = [*FIELDS, "stops_text"]

    def has_module_permission(self, request):
        return request.user.is_superuser or role_allows(request.user, Action.CHANGE_ROUTE)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        saved = operations.save_route(actor=request.user, route=Route.objects.get(pk=obj.pk) if change else None,
                                      values=form.cleaned_data, stops=form.cleaned_data["stops"],
                                      line=form.cleaned_data.get("line"))
        obj.pk = saved.route.pk
        for warning in saved.warnings:
            messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        """The stops were written by save_route."""


@admin.register(CheckInSpot)
class CheckInSpotAdmin(admin.ModelAdmin):
    list_display = ["asset", "marked_at"]
    search_fields = ["asset__name_zh", "asset__name_en"]
    readonly_fields = ["asset", "marked_at"]

    def has_module_permission(self, request):
        return request.user.is_superuser or role_allows(request.user, Action.CHANGE_ROUTE)

    def has_add_permission(self, request):
        return False  # marked with routes.operations.mark_check_in_spot (the API, a command, the staff pages)

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
