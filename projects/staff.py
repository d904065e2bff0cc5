"""Staff pages to create and run projects in one's own street, made for phones: /staff/projects/.

Each form calls one operation (:mod:`projects.operations`); another street's project looks like
no project (404), and the operations check permission again.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import operations, queries
from projects.forms import ContractorForm, FundingForm, LinkAssetForm, MilestoneForm, PhaseForm, ProjectForm
from projects.views import timeline
from registry.access import Action
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.queries import visible_assets

PAGE_SIZE = 50


def _managed_or_404(request, pk):
    return get_object_or_404(queries.managed_projects(request.user).select_related("street", "community"), pk=pk)


@require_safe
@staff_required(action=Action.CHANGE_PROJECT)
def staff_project_list(request):
    text = request.GET.get("q", "").strip()[:100]
    projects = queries.list_page(queries.search(queries.managed_projects(request.user), text))
    page = Paginator(projects.order_by("-updated_at", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/staff_list.html", {"page": page, "q": text})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required(action=Action.CHANGE_PROJECT)
def staff_project_create(request):
    form = ProjectForm(request.POST or None, parents=queries.managed_projects(request.user).order_by("name_zh"))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                project = operations.create_project(actor=request.user, **form.operation_kwargs())
            except ValidationError as error:
                add_operation_errors(form, error)
            except PermissionDenied:
                form.add_error(None, _("This site is outside your street: you can create projects only there."))
                status = 403
            else:
                messages.success(request, _("Project created."))
                return redirect("staff-project", pk=project.pk)
    return render(request, "projects/staff_form.html", {"form": form}, status=status)


def _page(request, project, *, forms=None, status=200):
    forms = forms or {}
    project = queries.project_detail(request.user, project.pk)
    today = timezone.localdate()
    return render(request, "projects/staff_detail.html", {
        "project": project, "timeline": timeline(project),
        "funding_lines": project.funding_lines.all(), "contractors": project.contractors.all(),
        "milestones": project.milestones.all(), "asset_links": queries.project_assets(request.user, project),
        # Each form has its action as prefix: one page, several forms, no two fields with one id.
        "phase_form": forms.get("phase") or PhaseForm(initial={"date": today}, prefix="phase"),
        "funding_form": forms.get("funding") or FundingForm(initial={"date": today}, prefix="funding"),
        "contractor_form": forms.get("contractor") or ContractorForm(prefix="contractor"),
        "milestone_form": forms.get("milestone") or MilestoneForm(initial={"date": today}, prefix="milestone"),
        "asset_form": forms.get("asset") or LinkAssetForm(prefix="asset"),
        "create_asset_form": forms.get("create_asset"),
        "may_create_asset": project.kind in operations.CREATES_KIND and not any(
            link.role == "creates" for link in project.asset_links.all()),
    }, status=status)


@require_safe
@staff_required(action=Action.CHANGE_PROJECT)
def staff_project(request, pk):
    return _page(request, _managed_or_404(request, pk))


def _phase(request, project, form):
    data = form.cleaned_data
    operations.change_phase(actor=request.user, project=project, phase=data["phase"], date=data["date"],
                            note=data["note"], document_number=data["document_number"])
    return [_("Phase changed.")]


def _funding(request, project, form):
    added = operations.add_funding(actor=request.user, project=project, **form.cleaned_data)
    return [_("Funding line added."), *map(str, added.warnings)]


def _contractor(request, project, form):
    operations.add_contractor(actor=request.user, project=project, **form.cleaned_data)
    return [_("Contractor added.")]


def _milestone(request, project, form):
    data = form.cleaned_data
    operations.add_milestone(actor=request.user, project=project, date=data["date"], text=data["text"],
                             progress=data["progress"], photos=form.tagged_photos())
    return [_("Milestone added.")]


def _create_asset(request, project, form):
    operations.create_asset(actor=request.user, project=project)
    return [_("The project's asset was created and linked.")]


def _asset(request, project, form):
    asset = visible_assets(request.user).filter(pk=form.cleaned_data["asset"]).first()
    if asset is None:
        raise ValidationError({"asset": _("There is no asset with this number.")})
    operations.link_asset(actor=request.user, project=project, asset=asset, role=form.cleaned_data["role"])
    return [_("Asset linked.")]


#: The page's actions: (form class, the function calling its operation).
ACTIONS = {
    "phase": (PhaseForm, _phase), "funding": (FundingForm, _funding), "contractor": (ContractorForm, _contractor),
    "milestone": (MilestoneForm, _milestone), "asset": (LinkAssetForm, _asset),
    "create_asset": (Form, _create_asset),  # a button: no fields
}


@require_POST
@staff_required(action=Action.CHANGE_PROJECT)
def staff_project_action(request, pk, action):
    project = _managed_or_404(request, pk)
    if action not in ACTIONS:
        return redirect("staff-project", pk=project.pk)
    form_class, run = ACTIONS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            notes = run(request, project, form)
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, notes[0])
            for warning in notes[1:]:
                messages.warning(request, warning)
            return redirect("staff-project", pk=project.pk)
    return _page(request, project, forms={action: form}, status=400)
