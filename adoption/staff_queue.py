"""``/staff/adoptions/``: the street office's queue of adoption applications, and its decisions.

Only applications for assets in the staff member's own street(s) are listed or can be decided:
every lookup goes through ``decidable_adoptions(user)`` (``registry.access.managed_scope``), so an
id from another street, typed into the URL, is a 404 and changes nothing. Mobile numbers are
masked; staff allowed to reveal one press a button, and each reveal is written to the audit log.
"""

import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from adoption.forms import RejectForm
from adoption.models import GRANTED_STATUSES, Adoption
from adoption.operations import approve_adoption, reject_adoption, reveal_mobile
from adoption.queries import decidable_adoptions, decision_queue, may_decide_adoptions
from adoption.views import refused
from registry.access import Action, can
from registry.basemaps import small_map_basemap

PAGE_SIZE = 20


def decider_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_decide_adoptions(request.user):
            return refused(request, _("Only street-office staff and district administrators decide adoptions."))
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _granted_overlaps(adoptions) -> dict[int, list[Adoption]]:
    """adoption id → the granted adoptions of its asset whose period overlaps its own (why approval would
    fail), for a whole page of applications in one query."""
    pks = [adoption.pk for adoption in adoptions]
    if not pks:
        return {}
    others = (Adoption.objects.filter(status__in=GRANTED_STATUSES, asset__adoptions__in=pks,
                                      period__overlap=F("asset__adoptions__period"))
              .exclude(pk__in=pks).annotate(overlapped=F("asset__adoptions__pk"))
              .select_related("adopter").only("period", "adopter__display_name"))
    by_adoption = defaultdict(list)
    for other in others:
        by_adoption[other.overlapped].append(other)
    return by_adoption


def _card(adoption, user, revealed, overlaps):
    return {
        "adoption": adoption,
        "geometry": json.loads(adoption.asset.geometry.json),
        "geometry_id": f"asset-geometry-{adoption.pk}",
        "overlaps": overlaps.get(adoption.pk, []),
        "mobile": revealed.get(adoption.pk) or adoption.adopter.masked_mobile,
        "can_reveal": adoption.pk not in revealed and can(user, Action.REVEAL_MOBILE, adoption),
        "reject_form": RejectForm(auto_id=f"reject-{adoption.pk}-%s"),
    }


def _render_queue(request, revealed=None):
    page = Paginator(decision_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    overlaps = _granted_overlaps(page.object_list)
    cards = [_card(adoption, request.user, revealed or {}, overlaps) for adoption in page]
    return render(request, "adoption/staff_queue.html", {"page": page, "cards": cards, "basemap": small_map_basemap()})


@require_safe
@decider_required
def queue(request):
    """Applications waiting for a decision in the staff member's street(s), oldest first."""
    return _render_queue(request)


def _decidable(request, pk):
    return get_object_or_404(decidable_adoptions(request.user), pk=pk)


@require_POST
@decider_required
def approve(request, pk):
    adoption = _decidable(request, pk)
    try:
        approve_adoption(actor=request.user, adoption=adoption)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Approved: %(adopter)s adopts %(asset)s. They have been notified.")
                         % {"adopter": adoption.adopter.display_name, "asset": adoption.asset.display_name})
    return redirect("staff-adoption-queue")


@require_POST
@decider_required
def reject(request, pk):
    adoption = _decidable(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("staff-adoption-queue")
    try:
        reject_adoption(actor=request.user, adoption=adoption, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Rejected the application of %(adopter)s for %(asset)s. They have been "
                                    "notified.") % {"adopter": adoption.adopter.display_name,
                                                    "asset": adoption.asset.display_name})
    return redirect("staff-adoption-queue")


@require_POST
@decider_required
def reveal(request, pk):
    """Show one applicant's full mobile number on the queue (recorded); no redirect, so it is not kept."""
    adoption = _decidable(request, pk)
    try:
        number = reveal_mobile(actor=request.user, adoption=adoption)
    except PermissionDenied as error:
        return refused(request, str(error))
    return _render_queue(request, revealed={adoption.pk: number})
