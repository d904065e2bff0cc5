"""Staff pages of consultation, made for phones: /staff/consultation/.

The list of the area's meetings with the overdue queue per street (most overdue first), the form
to record a meeting with its resolutions, a meeting's page with each resolution's status forms,
and the CSV export. Each form calls one operation (:mod:`consultation.operations`); a meeting of
another area looks like no meeting (404), and the operations check permission again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from adoption.models import Adoption
from consultation import operations, queries
from consultation.exporting import resolutions_csv
from consultation.forms import ExecuteForm, MeetingForm, NotFeasibleForm
from consultation.models import OPEN, ResolutionStatus
from problems.models import ProblemReport
from projects.models import Project
from registry.access import Action, scope_of
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.geography import Community, Grid, Street
from upkeep.models import UpkeepLog

PAGE_SIZE = 30


def _areas(user):
    """(streets, communities, grids) the user works in, for the forms' choices and the queue's filter."""
    scope = scope_of(user)
    if scope.everywhere:
        communities, grids = Community.objects.all(), Grid.objects.all()
    else:
        communities = Community.objects.filter(
            Q(street__in=scope.street_ids) | Q(pk__in=scope.community_ids) | Q(grids__in=scope.grid_ids)).distinct()
        grids = Grid.objects.filter(Q(community__street__in=scope.street_ids) | Q(community__in=scope.community_ids)
                                    | Q(pk__in=scope.grid_ids)).distinct()
    streets = Street.objects.filter(pk__in=communities.values("street")) if not scope.everywhere else Street.objects
    return (streets.defer("boundary").order_by("code"), communities.defer("boundary").order_by("code"),
            grids.defer("boundary").order_by("code"))


def _street(request, streets):
    code = request.GET.get("street", "")
    return streets.filter(code=code).first() if code else None


@require_safe
@staff_required(action=Action.RECORD_MEETING)
def staff_consultation(request):
    streets, _communities, _grids = _areas(request.user)
    street = _street(request, streets)
    if request.GET.get("street") and street is None:
        raise PermissionDenied
    meetings = queries.managed_meetings(request.user).select_related("community", "grid")
    if street is not None:
        meetings = meetings.filter(street=street)
    page = Paginator(meetings.order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = queries.overdue_queue(request.user, street=street)
    return render(request, "consultation/staff_list.html", {
        "page": page, "overdue": overdue, "streets": streets, "street": street})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.RECORD_MEETING)
def staff_meeting_create(request):
    _streets, communities, grids = _areas(request.user)
    form = MeetingForm(request.POST or None, request.FILES or None, communities=communities, grids=grids,
                       initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                meeting = operations.record_meeting(actor=request.user, **form.operation_kwargs())
            except ValidationError as error:
                add_operation_errors(form, error)
            except PermissionDenied:
                form.add_error(None, _("You may record consultation meetings only in your own area."))
                status = 403
            else:
                messages.success(request, _("Meeting recorded."))
                return redirect("staff-consultation-meeting", pk=meeting.pk)
    return render(request, "consultation/staff_form.html", {"form": form}, status=status)


def _meeting_page(request, meeting, *, forms=None, status=200):
    forms = forms or {}
    resolutions = []
    for resolution in meeting.resolutions.select_related(
            "carried_by_project", "carried_by_upkeep", "carried_by_problem", "carried_by_adoption").order_by("id"):
        is_open = resolution.status in OPEN
        failed = forms.get(resolution.pk, {})
        resolutions.append({
            "row": resolution, "open": is_open, "can_start": resolution.status == ResolutionStatus.ADOPTED,
            "execute_form": failed.get("execute") or ExecuteForm(
                prefix=f"execute-{resolution.pk}", initial={"executed_on": timezone.localdate()}),
            "not_feasible_form": failed.get("not_feasible") or NotFeasibleForm(prefix=f"not_feasible-{resolution.pk}"),
        })
    return render(request, "consultation/staff_meeting.html", {"meeting": meeting, "resolutions": resolutions},
                  status=status)


@require_safe
@staff_required(action=Action.RECORD_MEETING)
def staff_meeting(request, pk):
    meeting = get_object_or_404(queries.managed_meetings(request.user).select_related("community", "grid", "street"),
                                pk=pk)
    return _meeting_page(request, meeting)


def _link(model, number, name, message):
    if not number:
        return None
    row = model.objects.filter(pk=number).first()
    if row is None:
        raise ValidationError({name: message})
    return row


def _execute(request, resolution, form):
    data = form.cleaned_data
    links = {
        "upkeep_log": _link(UpkeepLog, data["upkeep_log"], "upkeep_log", _("There is no upkeep log with this number.")),
        "project": _link(Project, data["project"], "project", _("There is no project with this number.")),
        "problem": _link(ProblemReport, data["problem"], "problem",
                         _("There is no problem report with this number.")),
        "adoption": _link(Adoption, data["adoption"], "adoption", _("There is no adoption with this number.")),
    }
    operations.execute_resolution(actor=request.user, resolution=resolution, executed_on=data["executed_on"],
                                  photos=data["photos"], **links)
    return _("The resolution is recorded as executed.")


def _not_feasible(request, resolution, form):
    operations.declare_not_feasible(actor=request.user, resolution=resolution, reason=form.cleaned_data["reason"])
    return _("The resolution is recorded as not feasible.")


def _start(request, resolution, form):
    operations.start_resolution(actor=request.user, resolution=resolution)
    return _("The resolution is being carried out.")


ACTIONS = {"start": (None, _start), "execute": (ExecuteForm, _execute), "not_feasible": (NotFeasibleForm, _not_feasible)}


@require_POST
@staff_required(action=Action.RECORD_MEETING)
def staff_resolution_action(request, pk, action):
    resolution = get_object_or_404(queries.managed_resolutions(request.user).select_related("meeting"), pk=pk)
    meeting = resolution.meeting
    if action not in ACTIONS:
        return redirect("staff-consultation-meeting", pk=meeting.pk)
    form_class, run = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=f"{action}-{resolution.pk}") if form_class else None
    if form is None or form.is_valid():
        try:
            note = run(request, resolution, form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("staff-consultation-meeting", pk=meeting.pk)
            add_operation_errors(form, error)
        else:
            messages.success(request, note)
            return redirect("staff-consultation-meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, forms={resolution.pk: {action: form}}, status=400)


@require_safe
@staff_required(action=Action.RECORD_MEETING)
def staff_consultation_csv(request):
    """The resolutions of the user's area (a street's with ?street=) as CSV."""
    streets, _communities, _grids = _areas(request.user)
    street = _street(request, streets)
    if request.GET.get("street") and street is None:
        raise PermissionDenied
    rows = queries.managed_resolutions(request.user)
    if street is not None:
        rows = rows.filter(street=street)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resolutions.csv"'
    resolutions_csv(rows, response)
    return response
