"""The staff workbench, phone-first: find an asset (near me, map, search), log upkeep, correct it.

Views are thin. Which assets a staff member may open is ``registry.access.managed_scope``: another
street's asset id in a URL or a form is a 404, and nothing is written. The writes are operations
(``problems.operations.log_work`` → ``log_upkeep`` / ``resolve_problem``; ``correct_upkeep``).
Overdue work and statistics are in ``staff.reports``.
"""

import json
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from problems.operations import log_work
from problems.queries import active_problems
from registry.access import Action, can, managed_scope
from registry.assets import Asset
from registry.basemaps import small_map_basemap
from registry.decorators import staff_required
from registry.forms import add_operation_errors
from registry.queries import search_assets, staff_photos, work_area_outline
from routes.queries import is_check_in_spot
from staff.forms import CorrectUpkeepForm, FindForm, LogUpkeepForm
from upkeep.models import UpkeepLog
from upkeep.operations import AlreadySubmitted, correct_upkeep, correction_deadline, may_correct
from upkeep.queries import nearest_assets, staff_recent_logs, upkeep_rounds

RESULT_LIMIT = 20
PHOTO_LIMIT = 24
ASSET_COLUMNS = ("name_zh", "name_en", "kind", "status", "address", "location", "street", "community", "grid",
                 "is_public")


def managed_asset_or_404(user, pk) -> Asset:
    """The asset ``pk`` if ``user`` works on it; another street's looks like no asset at all."""
    assets = Asset.objects.filter(managed_scope(user)).select_related("street", "community").only(
        *ASSET_COLUMNS, "street__name_zh", "street__name_en", "community__name_zh", "community__name_en")
    return get_object_or_404(assets, pk=pk)


def _markers(assets) -> list[dict]:
    return [{"id": asset.pk, "name": asset.display_name, "lat": asset.location.y, "lon": asset.location.x,
             "url": reverse("staff-asset", args=[asset.pk])} for asset in assets]


def _overdue_counts(assets) -> Counter:
    if not assets:
        return Counter()
    rounds = upkeep_rounds(Asset.objects.filter(pk__in=[asset.pk for asset in assets]), only_overdue=True)
    return Counter(round_.asset_id for round_ in rounds)


@require_safe
@staff_required
def home(request):
    """Near me (``?lat=&lon=``, filled in by the browser's geolocation), the map picker, search (``?q=``)."""
    form = FindForm(request.GET or None)
    results, mode = [], None
    if form.is_valid():
        if form.point is not None:
            results, mode = nearest_assets(request.user, form.point, RESULT_LIMIT), "near"
        elif form.cleaned_data["q"]:
            found = search_assets(request.user, form.cleaned_data["q"]).filter(managed_scope(request.user))
            results, mode = list(found.select_related(None).only(*ASSET_COLUMNS)[:RESULT_LIMIT]), "search"
    overdue = _overdue_counts(results)
    for asset in results:
        asset.overdue_rounds = overdue[asset.pk]
    return render(request, "staff/home.html", {
        "form": form, "results": results, "mode": mode, "markers": _markers(results), "basemap": small_map_basemap(),
        "here": form.point, "area": json.loads(outline) if (outline := work_area_outline(request.user)) else None,
    }, status=200 if form.is_bound is False or form.is_valid() else 400)


def _active_problems(user, asset):
    """Open and in-progress reports on ``asset`` this user may resolve (none for grid workers)."""
    if not can(user, Action.TRIAGE_PROBLEM, asset):
        return []
    return list(active_problems(asset))


@require_safe
@staff_required
def asset_page(request, pk):
    """One asset for the person on site: what is due, recent work (theirs correctable), open problems."""
    asset = managed_asset_or_404(request.user, pk)
    logs = list(staff_recent_logs(asset))
    now = timezone.now()
    for log in logs:
        log.asset = asset  # may_correct checks the asset's scope: not one query per log
        log.correctable = may_correct(request.user, log, now)
    return render(request, "staff/asset.html", {
        "asset": asset, "rounds": upkeep_rounds(Asset.objects.filter(pk=asset.pk)), "logs": logs,
        "problems": _active_problems(request.user, asset),
        "photos": staff_photos(asset)[:PHOTO_LIMIT],
        # None: this role does not mark check-in spots (no button); else whether the asset is one.
        "check_in_spot": is_check_in_spot(asset) if can(request.user, Action.CHANGE_ROUTE, asset) else None,
    })


def _initial_action(request, asset) -> str | None:
    asked = request.GET.get("action")
    if asked in dict(LogUpkeepForm.base_fields["action"].choices):
        return asked
    rounds = upkeep_rounds(Asset.objects.filter(pk=asset.pk))
    return rounds[0].action if rounds else None


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def log_upkeep_page(request, pk):
    """Log work on an asset: action, when, how long, people, before/after photos, position; resolve reports."""
    asset = managed_asset_or_404(request.user, pk)
    if not can(request.user, Action.LOG_UPKEEP, asset):
        raise PermissionDenied
    problems = _active_problems(request.user, asset)
    initial = {"action": _initial_action(request, asset),
               "performed_at": timezone.localtime().replace(second=0, microsecond=0), "participants": 1}
    form = LogUpkeepForm(request.POST or None, request.FILES or None, problems=problems, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            log_work(actor=request.user, asset=asset, position=form.position, resolves=form.resolved_reports,
                     reply=form.cleaned_data.get("reply", ""), submission_key=form.cleaned_data["submission_key"],
                     **form.work())
        except AlreadySubmitted:
            pass  # the same form sent twice: the first time logged the work
        except ValidationError as error:
            add_operation_errors(form, error)
        if not form.errors:
            messages.success(request, _("Upkeep logged. You can correct it for 24 hours."))
            return redirect("staff-asset", pk=asset.pk)
    return render(request, "staff/log_form.html", {
        "asset": asset, "form": form,
    }, status=400 if form.is_bound else 200)


def _own_log_or_404(user, pk) -> UpkeepLog:
    logs = UpkeepLog.objects.filter(managed_scope(user, "asset__"), staff=user).select_related("asset")
    return get_object_or_404(logs, pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def correct_upkeep_page(request, pk):
    """Correct one's own log within 24 hours of logging it; afterwards the page says why not."""
    log = _own_log_or_404(request.user, pk)
    if not may_correct(request.user, log):
        return render(request, "staff/refused.html", {
            "message": _("An upkeep log can be corrected for 24 hours after it was logged."),
            "back_url": reverse("staff-asset", args=[log.asset_id])}, status=403)
    initial = {"action": log.action, "performed_at": timezone.localtime(log.performed_at).replace(second=0),
               "duration_minutes": log.duration_minutes, "participants": log.participants, "notes": log.notes}
    form = CorrectUpkeepForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        work = form.work()
        photos, photos_before = work.pop("photos"), work.pop("photos_before")
        try:
            correct_upkeep(actor=request.user, log=log, photos=photos, photos_before=photos_before, **work)
        except ValidationError as error:
            add_operation_errors(form, error)
        except PermissionDenied as refusal:  # the 24 hours ran out while the form was open
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Upkeep log corrected."))
            return redirect("staff-asset", pk=log.asset_id)
    return render(request, "staff/correct_form.html", {
        "log": log, "asset": log.asset, "form": form, "deadline": correction_deadline(log),
    }, status=400 if form.is_bound else 200)
