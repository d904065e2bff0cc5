"""Problem pages: residents report from an asset's page; staff answer in /staff/problems/.

Views are thin: the operations (problems.operations) decide and write, the queries
(problems.queries) say what each visitor may see. Another street's report looks like no report (404).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from problems import operations
from problems.forms import AnswerForm, PublicTextForm, ReportProblemForm
from problems.models import ACTIVE_STATUSES, ProblemCategory, ProblemStatus
from problems.queries import answered_problems, resolution_candidates, staff_problems
from registry.access import Action, can
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.queries import visible_assets

PAGE_SIZE = 50


def report_rate(group, request) -> str:
    """Reports per IP address; generous, as many phones share one carrier address (CGNAT)."""
    return getattr(settings, "PROBLEM_REPORT_RATE", "20/h")


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=report_rate, method="POST", block=False)
def report_problem(request, pk):
    asset = get_object_or_404(visible_assets(request.user).defer("geometry_webmercator", "location_webmercator"),
                              pk=pk)
    categories = operations.categories_for(asset.kind)
    form = ReportProblemForm(request.POST or None, request.FILES or None, categories=categories)
    status = 200
    if request.method == "POST":
        status = 400
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many reports from your connection. Please try again in an hour."))
            status = 429
        elif form.is_robot():  # pretend it worked: robots learn nothing, nothing is written
            return redirect("report-problem-sent", pk=asset.pk)
        elif form.is_valid():
            try:
                reported = operations.report_problem(
                    actor=request.user, asset=asset, category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"], photos=form.cleaned_data["photos"],
                    contact=form.contact(), language=get_language() or "",
                    submission_key=form.cleaned_data["submission_key"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("report-problem-sent", args=[asset.pk])
                return redirect(f"{url}?joined={reported.report.reports_count}" if reported.joined else url)
    return render(request, "problems/report_form.html", {"asset": asset, "form": form}, status=status)


@require_safe
def report_sent(request, pk):
    asset = get_object_or_404(visible_assets(request.user).select_related(None).only("name_zh", "name_en"), pk=pk)
    joined = request.GET.get("joined", "")
    return render(request, "problems/report_sent.html", {
        "asset": asset, "reports_count": int(joined) if joined.isdigit() else None})


@require_safe
def asset_answered_problems(request, pk):
    """Every problem of the asset the street office answered (resolved or closed), with its reply."""
    asset = get_object_or_404(visible_assets(request.user).select_related(None).only("name_zh", "name_en", "kind"),
                              pk=pk)
    page = Paginator(answered_problems(asset), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/answered.html", {"asset": asset, "page": page})


# Staff -------------------------------------------------------------------------------------------

@require_safe
@staff_required
def staff_problem_list(request):
    reports = staff_problems(request.user)
    status = request.GET.get("status", "active")
    if status == "active":
        reports = reports.filter(status__in=ACTIVE_STATUSES)
    elif status in ProblemStatus.values:
        reports = reports.filter(status=status)
    else:
        status = "all"
    category = request.GET.get("category", "")
    if category in ProblemCategory.values:
        reports = reports.filter(category=category)
    else:
        category = ""
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/staff_list.html", {
        "page": page, "status": status, "category": category,
        "statuses": [("active", _("Open or in progress")), *ProblemStatus.choices, ("all", _("All"))],
        "categories": ProblemCategory.choices,
    })


def _staff_report(request, pk):
    return get_object_or_404(staff_problems(request.user), pk=pk)


def _detail(request, report, *, answer_form=None, public_text_form=None, revealed=None, status=200):
    logs = list(resolution_candidates(report))
    may_triage = can(request.user, Action.TRIAGE_PROBLEM, report.asset)
    revealed = revealed or {}
    joined_reports = list(report.joined_reports.prefetch_related("photos"))
    for joined in joined_reports:
        joined.revealed_mobile = revealed.get(str(joined.pk))
    return render(request, "problems/staff_detail.html", {
        "report": report,
        "joined_reports": joined_reports,
        "photos": report.photos.all(),
        "may_triage": may_triage,
        "may_reveal": may_triage and can(request.user, Action.REVEAL_MOBILE, report.asset),
        "may_read_history": can(request.user, Action.READ_HISTORY, report.asset),
        "revealed_mobile": revealed.get("report"),
        "answer_form": answer_form or AnswerForm(logs=logs, initial={"reply": report.staff_reply}),
        "has_logs": bool(logs),
        "public_text_form": public_text_form or PublicTextForm(
            initial={"public_text": report.public_description}),
    }, status=status)


@require_safe
@staff_required
def staff_problem_detail(request, pk):
    return _detail(request, _staff_report(request, pk))


#: The staff's actions on a report: each calls one operation with the validated form's data. One form
#: (one reply box) sends any of them: each action's button posts it to its own URL (``formaction``).
ACTIONS = {
    "start": lambda user, report, data: operations.start_work(actor=user, report=report, reply=data["reply"]),
    "reply": lambda user, report, data: operations.reply_to_problem(actor=user, report=report, reply=data["reply"]),
    "resolve": lambda user, report, data: operations.resolve_problem(
        actor=user, report=report, reply=data["reply"], upkeep_log=data.get("upkeep_log")),
    "close": lambda user, report, data: operations.close_not_fixed(actor=user, report=report, reply=data["reply"]),
}


@require_POST
@staff_required
def staff_problem_action(request, pk, action):
    report = _staff_report(request, pk)
    if action not in ACTIONS:
        raise Http404
    form = AnswerForm(request.POST, logs=list(resolution_candidates(report)))
    if form.is_valid():
        try:
            ACTIONS[action](request.user, report, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Reporters who left an email address are told."))
            return redirect("staff-problem-detail", pk=report.pk)
    return _detail(request, report, answer_form=form, status=400)


@require_POST
@staff_required
def staff_problem_public_text(request, pk):
    """Staff moderate what the public reads of a report (``operations.moderate_problem_text``)."""
    report = _staff_report(request, pk)
    form = PublicTextForm(request.POST)
    if form.is_valid():
        try:
            operations.moderate_problem_text(actor=request.user, report=report,
                                             public_text=form.cleaned_data["public_text"])
        except ValidationError as error:
            add_operation_errors(form, error)
        else:  # PermissionDenied goes on: a 403, as for the other actions
            messages.success(request, _("The public text is saved."))
            return redirect("staff-problem-detail", pk=report.pk)
    return _detail(request, report, public_text_form=form, status=400)


@require_POST
@staff_required
def staff_problem_reveal(request, pk):
    report = _staff_report(request, pk)
    revealed = operations.reveal_reporter_mobiles(actor=request.user, report=report)
    return _detail(request, report, revealed=revealed)
