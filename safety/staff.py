"""Staff pages of the SITE loop, made for phones: the risk register and its map layer, a risk and
its interventions, raising a risk from a problem report, rounds on the phone, the overdue queue,
the CSV export and the photos. Each form calls one operation (:mod:`safety.operations`); a row of
another area looks like no row (404), and the operations check permission again.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from problems.models import ProblemReport
from registry.access import Action, managed_scope, role_allows
from registry.basemaps import small_map_basemap
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.photos.storage import photo_storage
from registry.spreadsheets import safe_cell
from safety import operations, queries
from safety.forms import AcceptForm, CloseForm, InterventionForm, PlaceForm, ProblemRiskForm, RiskForm, round_answers
from safety.models import InterventionPhoto, InterventionStatus, RiskPhoto, RiskStatus, RoundAnswer, TrainingPhoto

PAGE_SIZE = 50


# The register and its map layer -------------------------------------------------------------------

@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def register(request):
    status = request.GET.get("status", "open")
    risks = queries.risks_for(request.user).annotate(
        planned=Count("interventions", filter=Q(interventions__status=InterventionStatus.PLANNED)))
    if status == "open":
        risks = risks.filter(status__in=[RiskStatus.FOUND, RiskStatus.INTERVENTION])
    elif status in RiskStatus.values:
        risks = risks.filter(status=status)
    page = Paginator(risks.order_by("-found_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "safety/register.html", {
        "page": page, "status": status, "statuses": RiskStatus.choices,
        "overdue_count": queries.overdue_interventions(request.user).count(),
        "rounds_due": queries.rounds_due(request.user)[:5], "basemap": small_map_basemap(),
        "reports": queries.reports_to_assess(request.user),
        "streets": queries.managed_streets(request.user).select_related("risk_publication")
        if role_allows(request.user, Action.MANAGE_SAFETY) else [],
        "may_manage": role_allows(request.user, Action.MANAGE_SAFETY)})


@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def risk_layer(request):
    """The staff map's risk layer: open risks (``?all=1``: every risk) of the user's area as GeoJSON."""
    risks = queries.risks_for(request.user)
    if request.GET.get("all") != "1":
        risks = risks.filter(status__in=[RiskStatus.FOUND, RiskStatus.INTERVENTION])
    features = [{
        "type": "Feature", "id": risk.pk,
        "geometry": {"type": "Point", "coordinates": [risk.location.x, risk.location.y]},
        "properties": {"category": risk.category, "category_label": risk.get_category_display(),
                       "severity": risk.severity, "severity_label": risk.get_severity_display(),
                       "status": risk.status, "status_label": risk.get_status_display(),
                       "url": reverse("staff-safety-risk", args=[risk.pk])},
    } for risk in risks.order_by("-found_at")[:2000]]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_required(action=Action.MANAGE_SAFETY)
def publication(request):
    """Switch a street's open risks on or off the public map (``street`` code, ``publish`` 1 or 0)."""
    street = queries.managed_streets(request.user).filter(code=request.POST.get("street", "")).first()
    if street is None:
        raise Http404
    row = operations.set_risk_publication(actor=request.user, street=street, publish=request.POST.get("publish") == "1")
    messages.success(request, _("The open risks of %(street)s are now on the public map.") % {"street": street}
                     if row.publish else _("The risks of %(street)s are no longer on the public map.") % {"street": street})
    return redirect("staff-safety")


# Risks ---------------------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.REPORT_RISK)
def risk_new(request):
    form = RiskForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                risk = operations.raise_risk(actor=request.user, location=form.point(), category=data["category"],
                                             severity=data["severity"], description=data["description"],
                                             photos=data["photos"])
            except ValidationError as error:
                add_operation_errors(form, error)
            except PermissionDenied:
                form.add_error(None, _("This place is outside the part of the district you work in."))
                status = 403
            else:
                messages.success(request, _("Risk recorded."))
                return redirect("staff-safety-risk", pk=risk.pk)
    return render(request, "safety/risk_form.html", {"form": form}, status=status)


def _risk_or_404(request, pk):
    return get_object_or_404(queries.risks_for(request.user).select_related("problem_report", "round_answer"), pk=pk)


def _risk_page(request, risk, *, forms=None, status=200):
    forms = forms or {}
    interventions = risk.interventions.prefetch_related("photos").order_by("deadline", "id")
    return render(request, "safety/risk.html", {
        "risk": risk, "interventions": interventions, "photos": risk.photos.all(), "now": timezone.now(),
        "plan_form": forms.get("plan") or InterventionForm(prefix="plan"),
        "accept_form": forms.get("accept") or AcceptForm(prefix="accept"),
        "close_form": forms.get("close") or CloseForm(prefix="close"),
        "close_errors_for": forms.get("close_for"),
        "default_deadline": operations.default_deadline(risk.severity, risk.found_at),
        "may_manage": role_allows(request.user, Action.MANAGE_SAFETY)}, status=status)


@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def risk_detail(request, pk):
    return _risk_page(request, _risk_or_404(request, pk))


@require_POST
@staff_required(action=Action.HANDLE_SAFETY)
def risk_action(request, pk, action):
    risk = _risk_or_404(request, pk)
    if action == "plan":
        form = InterventionForm(request.POST, prefix="plan")
        run = lambda data: operations.plan_intervention(actor=request.user, risk=risk, **data)  # noqa: E731
        done = _("Intervention planned.")
    elif action == "accept":
        form = AcceptForm(request.POST, prefix="accept")
        run = lambda data: operations.accept_risk(actor=request.user, risk=risk, **data)  # noqa: E731
        done = _("Risk accepted.")
    else:
        raise Http404
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("staff-safety-risk", pk=risk.pk)
    return _risk_page(request, risk, forms={action: form}, status=400)


@require_POST
@staff_required(action=Action.HANDLE_SAFETY)
def intervention_close(request, pk):
    intervention = get_object_or_404(queries.interventions_for(request.user), pk=pk)
    form = CloseForm(request.POST, request.FILES, prefix="close")
    if form.is_valid():
        try:
            operations.close_intervention(actor=request.user, intervention=intervention,
                                          note=form.cleaned_data["note"], photos=form.cleaned_data["photos"])
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, _("Intervention closed."))
            return redirect("staff-safety-risk", pk=intervention.risk_id)
    return _risk_page(request, intervention.risk, forms={"close": form, "close_for": intervention.pk}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.HANDLE_SAFETY)
def risk_from_problem(request, report_pk):
    report = get_object_or_404(ProblemReport.objects.filter(managed_scope(request.user, "asset__"))
                               .select_related("asset"), pk=report_pk)
    existing = report.safety_risks.first()
    if existing is not None:
        messages.info(request, _("A risk has already been raised from this problem report."))
        return redirect("staff-safety-risk", pk=existing.pk)
    form = ProblemRiskForm(request.POST or None, initial={"description": report.description})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                risk = operations.raise_risk_from_problem(actor=request.user, report=report, **form.cleaned_data)
            except ValidationError as error:
                add_operation_errors(form, error)
            else:
                messages.success(request, _("Risk recorded."))
                return redirect("staff-safety-risk", pk=risk.pk)
    return render(request, "safety/from_problem.html", {"form": form, "report": report}, status=status)


# Rounds --------------------------------------------------------------------------------------------

@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def rounds(request):
    done = queries.rounds_for(request.user).filter(done_at__isnull=False).order_by("-done_at")[:20]
    return render(request, "safety/rounds.html", {"due": queries.rounds_due(request.user)[:50], "done": done,
                                                  "today": timezone.localdate(),
                                                  "may_manage": role_allows(request.user, Action.MANAGE_SAFETY)})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.HANDLE_SAFETY)
def round_detail(request, pk):
    safety_round = get_object_or_404(queries.rounds_for(request.user), pk=pk)
    items = list(safety_round.checklist.items.all())
    error, status = None, 200
    if request.method == "POST":
        try:
            answers = round_answers(request.POST, items)
            operations.record_round(actor=request.user, safety_round=safety_round, answers=answers)
        except ValidationError as problem:
            error, status = problem, 400
        else:
            messages.success(request, _("Round recorded."))
            return redirect("staff-safety-round", pk=safety_round.pk)
    answers = (safety_round.answers.select_related("item", "risk").order_by("item__position", "id")
               if safety_round.is_done else [])
    return render(request, "safety/round.html", {
        "round": safety_round, "items": items, "answers": answers, "posted": request.POST,
        "errors": error.messages if error else []}, status=status)


@require_POST
@staff_required(action=Action.HANDLE_SAFETY)
def answer_risk(request, pk):
    """The one tap on a failed item: a risk where the phone is (or in the round's area)."""
    answer = get_object_or_404(RoundAnswer.objects.filter(round__in=queries.rounds_for(request.user))
                               .select_related("round", "item"), pk=pk)
    place = PlaceForm(request.POST)
    point = place.point() if place.is_valid() else None
    try:
        risk = operations.raise_risk_from_answer(actor=request.user, answer=answer, location=point)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("staff-safety-round", pk=answer.round_id)
    messages.success(request, _("Risk recorded."))
    return redirect("staff-safety-risk", pk=risk.pk)


# The overdue queue and the CSV ------------------------------------------------------------------

@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def overdue(request):
    rows = queries.overdue_interventions(request.user).select_related("risk__community")
    return render(request, "safety/overdue.html", {"rows": rows[:200], "now": timezone.now(),
                                                   "may_manage": role_allows(request.user, Action.MANAGE_SAFETY)})


CSV_COLUMNS = ["id", "category", "severity", "source", "status", "street", "community", "grid", "lon", "lat",
               "found_at", "removed_at", "description", "asset_id", "problem_report_id", "interventions",
               "overdue_interventions"]


@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def risks_csv(request):
    """Every risk of the user's area, one row each (columns: CSV_COLUMNS, documented in docs/safety.md)."""
    now = timezone.now()
    risks = queries.risks_for(request.user).annotate(
        n_interventions=Count("interventions"),
        n_overdue=Count("interventions", filter=Q(interventions__status=InterventionStatus.PLANNED,
                                                  interventions__deadline__lt=now))).order_by("found_at", "id")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safety-risks.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with its byte-order mark
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for risk in risks.iterator(chunk_size=500):
        writer.writerow([
            risk.pk, risk.category, risk.severity, risk.source, risk.status, risk.street.code,
            risk.community.code if risk.community else "", risk.grid.code if risk.grid else "",
            f"{risk.location.x:.6f}", f"{risk.location.y:.6f}", timezone.localtime(risk.found_at).isoformat(),
            timezone.localtime(risk.removed_at).isoformat() if risk.removed_at else "",
            safe_cell(risk.description), risk.asset_id or "", risk.problem_report_id or "",
            risk.n_interventions, risk.n_overdue])
    return response


# Photos --------------------------------------------------------------------------------------------

PHOTO_MODELS = {"risk": (RiskPhoto, "risk__"), "intervention": (InterventionPhoto, "intervention__risk__"),
                "training": (TrainingPhoto, "training__")}


@require_safe
@staff_required(action=Action.HANDLE_SAFETY)
def photo(request, kind, pk, size):
    """A safety photo's file, to staff whose area it is in (never public; ``private, no-store``)."""
    if kind not in PHOTO_MODELS or size not in ("large", "small"):
        raise Http404
    model, prefix = PHOTO_MODELS[kind]
    if kind == "training" and not role_allows(request.user, Action.MANAGE_SAFETY):
        raise Http404  # trainings are the street office's (a grid worker's scope has no training rows)
    rows = model.objects.filter(managed_scope(request.user, prefix))
    row = get_object_or_404(rows, pk=pk)
    name = getattr(row, size).name
    storage = photo_storage()
    if not name or not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
