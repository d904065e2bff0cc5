"""Staff pages of the street office's half of the loop: ambassadors and their trainings, accounts
and printable certificates (T); evaluations, their trend and printable report (E). Each form calls
one operation (:mod:`safety.operations`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registry.access import Action
from registry.decorators import staff_required
from safety import operations, queries
from safety.charts import trend_chart, values_of
from safety.forms import AccountForm, AmbassadorForm, EvaluationForm, NewEvaluationForm, TrainingForm
from registry.forms import add_operation_errors


def _indicator_labels():
    return {"risks_found": _("risks found"), "risks_removed": _("risks removed"),
            "overdue_interventions": _("overdue interventions"), "checklist_score": _("checklist score (0–100)")}


# Ambassadors and trainings ------------------------------------------------------------------------

def _ambassadors_page(request, *, ambassador_form=None, training_form=None, status=200):
    communities = queries.managed_communities(request.user)
    people = queries.ambassadors_for(request.user)
    ambassadors = (people.annotate(n_trainings=Count("trainings"), last_training=Max("trainings__date"))
                   .order_by("community__code", "name"))
    return render(request, "safety/ambassadors.html", {
        "ambassadors": ambassadors,
        "trainings": queries.trainings_for(request.user).annotate(n=Count("attendees"))[:30],
        "ambassador_form": ambassador_form or AmbassadorForm(communities=communities, prefix="ambassador"),
        "training_form": training_form or TrainingForm(communities=communities, ambassadors=people,
                                                       initial={"date": timezone.localdate()}, prefix="training"),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.MANAGE_SAFETY)
def ambassadors(request):
    if request.method != "POST":
        return _ambassadors_page(request)
    form = AmbassadorForm(request.POST, communities=queries.managed_communities(request.user), prefix="ambassador")
    if form.is_valid():
        try:
            person = operations.add_ambassador(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, _("Ambassador added."))
            return redirect("staff-safety-ambassador", pk=person.pk)
    return _ambassadors_page(request, ambassador_form=form, status=400)


@require_POST
@staff_required(action=Action.MANAGE_SAFETY)
def training_new(request):
    form = TrainingForm(request.POST, request.FILES, communities=queries.managed_communities(request.user),
                        ambassadors=queries.ambassadors_for(request.user), prefix="training")
    if form.is_valid():
        try:
            operations.record_training(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("staff-safety-ambassadors")
    return _ambassadors_page(request, training_form=form, status=400)


def _ambassador_or_404(request, pk):
    return get_object_or_404(queries.ambassadors_for(request.user).select_related("community__street", "user"), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.MANAGE_SAFETY)
def ambassador_detail(request, pk):
    person = _ambassador_or_404(request, pk)
    form, status = AccountForm(request.POST or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                operations.create_ambassador_account(actor=request.user, ambassador=person, **form.cleaned_data)
            except ValidationError as error:
                add_operation_errors(form, error)
            else:
                messages.success(request, _("The ambassador's account was created: it may report risks in its "
                                            "community, nothing else."))
                return redirect("staff-safety-ambassador", pk=person.pk)
    return render(request, "safety/ambassador.html", {
        "person": person, "trainings": person.trainings.order_by("-date"), "account_form": form,
        "risks": person.risks.order_by("-found_at")[:20]}, status=status)


@require_safe
@staff_required(action=Action.MANAGE_SAFETY)
def certificate(request, pk):
    """The printable certificate of a trained ambassador (print stylesheet: one A4 page)."""
    person = _ambassador_or_404(request, pk)
    trainings = list(person.trainings.order_by("date"))
    if not trainings:
        messages.error(request, _("A certificate is printed once the ambassador has been trained."))
        return redirect("staff-safety-ambassador", pk=person.pk)
    return render(request, "safety/certificate.html", {"person": person, "trainings": trainings,
                                                       "today": timezone.localdate()})


# Evaluations ---------------------------------------------------------------------------------------

def _trend(evaluations):
    rows = [(f"{evaluation.period_start:%Y-%m}", values_of(evaluation, operations.evaluation_indicators(evaluation)))
            for evaluation in sorted(evaluations, key=lambda row: row.period_start)]
    return rows, trend_chart(rows, _indicator_labels())


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.MANAGE_SAFETY)
def evaluations(request):
    communities = queries.managed_communities(request.user)
    form, status = NewEvaluationForm(request.POST or None, communities=communities), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                evaluation = operations.open_evaluation(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_operation_errors(form, error)
            else:
                return redirect("staff-safety-evaluation", pk=evaluation.pk)
    rows = queries.evaluations_for(request.user).order_by("community__code", "-period_start")
    community = communities.filter(code=request.GET.get("community", "")).first()
    trend_rows, chart = _trend(list(rows.filter(community=community))) if community else ([], None)
    return render(request, "safety/evaluations.html", {
        "rows": rows[:200], "form": form, "communities": communities, "community": community,
        "trend_rows": trend_rows, "chart": chart, "labels": _indicator_labels()}, status=status)


def _evaluation_or_404(request, pk):
    return get_object_or_404(queries.evaluations_for(request.user).select_related("signed_off_by", "evaluator"), pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.MANAGE_SAFETY)
def evaluation_detail(request, pk):
    evaluation = _evaluation_or_404(request, pk)
    form = EvaluationForm(request.POST or None, initial={"checklist_score": evaluation.checklist_score,
                                                        "conclusion": evaluation.conclusion})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                operations.update_evaluation(actor=request.user, evaluation=evaluation, **form.cleaned_data)
                if request.POST.get("sign_off"):
                    operations.sign_off_evaluation(actor=request.user, evaluation=evaluation)
            except ValidationError as error:
                add_operation_errors(form, error)
            else:
                messages.success(request, _("Evaluation signed off.") if evaluation.is_signed_off
                                 else _("Evaluation saved."))
                return redirect("staff-safety-evaluation", pk=evaluation.pk)
    return render(request, "safety/evaluation.html", {
        "evaluation": evaluation, "figures": operations.evaluation_indicators(evaluation), "form": form},
        status=status)


@require_safe
@staff_required(action=Action.MANAGE_SAFETY)
def evaluation_report(request, pk):
    """The printable evaluation report: indicators, score, conclusion, sign-off, and the community's trend."""
    evaluation = _evaluation_or_404(request, pk)
    history = queries.evaluations_for(request.user).filter(community=evaluation.community,
                                                           period_start__lte=evaluation.period_start)
    trend_rows, chart = _trend(list(history))
    return render(request, "safety/evaluation_report.html", {
        "evaluation": evaluation, "figures": operations.evaluation_indicators(evaluation),
        "trend_rows": trend_rows, "chart": chart, "labels": _indicator_labels()})
