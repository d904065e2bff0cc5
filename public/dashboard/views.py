"""/dashboard/ (the page: key figures, charts with their data tables, printable), /dashboard.json and
/dashboard.csv, all with the parameters ``street``, ``community``, ``from``, ``to``. Thin: the
figures come from ``public.dashboard.cache``. Bad parameters: the page says what is wrong (400) and
the JSON and CSV answer 400 with the messages; nothing is a 500.
"""

import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from adoption.models import AdopterKind
from elevators.models import STAGE_ORDER, ProgrammeStage
from projects.phases import ORDER as PHASE_ORDER, Phase
from public.dashboard import charts
from public.dashboard.cache import dashboard_figures
from public.dashboard.csv_rows import flatten
from public.dashboard.params import BadParameters, read_params
from registry.assets import AssetKind
from registry.geography import Community, Street


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def build_charts(figures: dict) -> list[charts.Chart]:
    adoption, projects, elevators = figures["adoption"], figures["projects"], figures["elevators"]
    consultation, safety = figures["consultation"], figures["safety"]
    return [
        charts.bars("assets.by_kind", _("Assets by kind"),
                    [(_label(AssetKind, kind), n) for kind, n in figures["assets"]["by_kind"].items()], _("Assets")),
        charts.bars("adoption.active_adopters_by_kind", _("Active adopters by kind"),
                    [(_label(AdopterKind, kind), n) for kind, n in adoption["active_adopters_by_kind"].items()],
                    _("Adopters")),
        charts.trend("upkeep.by_month", _("Upkeep logged per month"),
                     list(figures["upkeep"]["by_month"].items()), _("Upkeep logs")),
        charts.trend("problems.by_month", _("Problems reported per month"),
                     list(figures["problems"]["by_month"].items()), _("Problems")),
        charts.bars("projects.by_phase", _("Renovation projects by phase"),
                    [(_label(Phase, phase), projects["by_phase"].get(phase, 0)) for phase in PHASE_ORDER],
                    _("Projects")),
        charts.bars("consultation", _("Consultation resolutions"),
                    [(_("formed"), consultation["formed"]), (_("executed"), consultation["executed"]),
                     (_("being carried out"), consultation["in_progress"]),
                     (_("not feasible"), consultation["not_feasible"])], _("Resolutions")),
        charts.funnel("elevators.by_stage", _("Elevator retrofits: stages reached"),
                      [(_label(ProgrammeStage, stage), n)
                       for stage, n in charts.reached_at_least(elevators["by_stage"], STAGE_ORDER)],
                      _("Retrofits")),
        charts.bars("safety", _("Safety risks and ambassadors"),
                    [(_("risks found"), safety["risks_found"]["total"]),
                     (_("risks removed"), safety["risks_removed"]["total"]),
                     (_("ambassadors trained"), safety["ambassadors"]["trained"])], _("Count")),
    ]


def _selectors(params) -> dict:
    streets = Street.objects.defer("boundary").order_by("code")
    communities = Community.objects.defer("boundary").order_by("code")
    if params is not None and params.street is not None:
        communities = communities.filter(street=params.street)
    return {"streets": streets, "communities": communities}


@require_safe
def dashboard_page(request):
    try:
        params = read_params(request.GET)
    except BadParameters as bad:
        return render(request, "public/dashboard/page.html",
                      {"errors": bad.errors, "query": request.GET, **_selectors(None)}, status=400)
    figures = dashboard_figures(params)
    return render(request, "public/dashboard/page.html", {
        "params": params, "figures": figures, "charts": build_charts(figures), "query": params.query(),
        "query_string": "&".join(f"{key}={value}" for key, value in params.query().items()),
        **_selectors(params),
    })


@require_safe
def dashboard_json(request):
    try:
        params = read_params(request.GET)
    except BadParameters as bad:
        return JsonResponse({"errors": bad.errors}, status=400)
    return JsonResponse(dashboard_figures(params))


@require_safe
def dashboard_csv(request):
    try:
        params = read_params(request.GET)
    except BadParameters as bad:
        return HttpResponse("\n".join(bad.errors.values()), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dashboard.csv"'
    writer = csv.writer(response)
    writer.writerow(["figure", "value"])
    writer.writerows(flatten(dashboard_figures(params)))
    return response


urlpatterns = [
    path("dashboard/", dashboard_page, name="dashboard"),
    path("dashboard.json", dashboard_json, name="dashboard-json"),
    path("dashboard.csv", dashboard_csv, name="dashboard-csv"),
]
