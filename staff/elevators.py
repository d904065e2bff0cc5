"""The elevator retrofit programme's staff page ``/staff/elevators/``: the funnel, days between
stages, cohorts, the custody-mode mix (``elevators.figures``) and the green-channel queue
(``elevators.queries``), for the district or one of the user's streets; ``/staff/elevators.csv``
gives the same figures as rows."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from elevators.figures import PROGRAMME_START, Period, programme_figures
from elevators.forms import RecordStageForm
from elevators.models import STAGE_ORDER, ProgrammeStage
from elevators.operations import latest_event, record_retrofit_stage
from elevators.queries import green_channel_queue, stage_history
from elevators.service import service_rows
from registry.access import Action, managed_scope, scope_of
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.spreadsheets import safe_cell
from retrofits.models import CustodyMode, ElevatorRetrofit
from staff.charts import bar_chart
from staff.reports import chosen_street, streets_of

QUEUE_LIMIT = 100


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Applications from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", gettext_lazy("The end of the period is before its start."))
        return cleaned


def _request(request):
    """(form, streets the user may choose, the chosen street or None, the period) from the query string."""
    streets = list(streets_of(request.user))
    street = chosen_street(request, streets)
    if street is None and not scope_of(request.user).everywhere and streets:
        street = streets[0]  # street staff see their own street; only the district sees the district
    form = PeriodForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    period = Period(start=data.get("start") or PROGRAMME_START, end=data.get("end"),
                    street_id=street.pk if street else None)
    return form, valid, streets, street, period


def _funnel(figures):
    total = figures["total"] or None
    reached = []
    for position, stage in enumerate(ProgrammeStage):
        count = sum(figures["by_stage"][later.value] for later in list(ProgrammeStage)[position:])
        reached.append((stage.label, count / total if total else None, str(count)))
    return bar_chart(_("Reached each stage"), reached)


@require_safe
@staff_required(action=Action.RECORD_RETROFIT_STAGE)
def programme(request):
    form, valid, streets, street, period = _request(request)
    figures = programme_figures(period)
    queue = green_channel_queue(request.user, street=street)[:QUEUE_LIMIT]
    stages = [(stage, figures["by_stage"][stage.value], figures["median_days"].get(stage.value),
               figures["p90_days"].get(stage.value)) for stage in ProgrammeStage]
    modes = [(mode.label, figures["custody_modes"].get(mode.value, 0)) for mode in CustodyMode]
    return render(request, "staff/elevators.html", {
        "form": form, "streets": streets, "street": street, "figures": figures, "funnel": _funnel(figures),
        "stages": stages, "modes": modes, "queue": queue, "csv_query": request.GET.urlencode(),
        "service": service_rows(period)
    }, status=200 if valid else 400)


CSV_HEADER = ("street", "figure", "stage", "value")


@require_safe
@staff_required(action=Action.RECORD_RETROFIT_STAGE)
def programme_csv(request):
    """The page's figures as UTF-8 CSV rows (street, figure, stage, value), with a byte-order mark."""
    _form, _valid, _streets, street, period = _request(request)
    figures = programme_figures(period)
    code = street.code if street else ""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="elevator-programme.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for name in ("total", "in_service", "under_construction"):
        writer.writerow([safe_cell(code), name, "", figures[name]])
    for name in ("by_stage", "median_days", "p90_days", "custody_modes"):
        for key, value in figures[name].items():
            writer.writerow([safe_cell(code), name, key, value])
    for year, counts in figures["cohorts"].items():
        for key, value in counts.items():
            writer.writerow([safe_cell(code), f"cohort_{year}", key, value])
    total, *custodians = service_rows(period)
    for name in ("maintained", "faults", "faults_per_100", "median_hours_to_fix"):
        writer.writerow([safe_cell(code), name, "", getattr(total, name)])
    for row in custodians:  # the "stage" column holds the custodian's name
        for name in ("in_service", "maintained", "faults", "faults_per_100", "median_hours_to_fix"):
            writer.writerow([safe_cell(code), f"custodian_{name}", safe_cell(row.custodian), getattr(row, name)])
    return response


# --- recording a stage from the phone ---------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@staff_required(action=Action.RECORD_RETROFIT_STAGE)
def record_stage(request, pk):
    """Record a retrofit's next stage (``elevators.operations.record_retrofit_stage``); its history below."""
    retrofit = get_object_or_404(ElevatorRetrofit.objects.filter(managed_scope(request.user)).defer(
        "geometry_webmercator", "location_webmercator"), pk=pk)
    form = RecordStageForm(request.POST or None, initial={"happened_on": timezone.localdate(),
                                                          "stage": _next_stage(retrofit)})
    if request.method == "POST" and form.is_valid():
        try:
            record_retrofit_stage(actor=request.user, retrofit=retrofit, **form.cleaned_data)
        except ValidationError as error:
            add_operation_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Stage recorded."))
            return redirect("elevators-record-stage", pk=retrofit.pk)
    return render(request, "staff/elevator_stage.html", {
        "retrofit": retrofit, "form": form, "history": stage_history(retrofit),
    }, status=400 if form.errors else 200)


def _next_stage(retrofit) -> str:
    latest = latest_event(retrofit)
    if latest is None:
        return STAGE_ORDER[0]
    position = STAGE_ORDER.index(latest.stage)
    return STAGE_ORDER[min(position + 1, len(STAGE_ORDER) - 1)]
