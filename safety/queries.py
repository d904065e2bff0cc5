"""Reads of the SITE safety loop shared by the staff pages, the API, the exports and the admin."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, When
from django.utils import timezone

from problems.models import ACTIVE_STATUSES, ProblemCategory, ProblemReport
from registry.geography import Community, Street
from registry.access import Action, LimitedRight, managed_scope, role_allows, scope_of
from safety.models import (
    OPEN_RISK_STATUSES, Ambassador, Evaluation, Intervention, InterventionPhoto, InterventionStatus, Risk,
    RiskPhoto, RiskPublication, SafetyRound, Training, TrainingPhoto,
)


@dataclass(frozen=True)
class Place:
    street_id: int | None
    community_id: int | None
    grid_id: int | None


def place_of(row) -> Place:
    """A row's place as ``registry.access.can`` reads it: its street, community and grid ids (a risk's
    own ``asset`` field, which may be empty, must not stand in for it)."""
    return Place(row.street_id, row.community_id, getattr(row, "grid_id", None))


def safety_photo_files():
    """(large, small) names of every risk, intervention and training photo: the core's orphan sweep
    (``registry.photos.storage.register_photo_references``) keeps them."""
    for model in (RiskPhoto, InterventionPhoto, TrainingPhoto):
        yield from model.objects.values_list("large", "small").iterator(chunk_size=5000)


def trained_ambassadors():
    """Active ambassadors who attended at least one training."""
    return Ambassador.objects.filter(is_active=True, trainings__isnull=False).distinct()


def ambassador_role(user) -> LimitedRight | None:
    """The one right of a trained, active ambassador's account: report risks in their community."""
    ambassador = trained_ambassadors().filter(user=user).only("community_id").first()
    if ambassador is None:
        return None
    return LimitedRight(actions=frozenset({Action.REPORT_RISK}), community_ids=frozenset({ambassador.community_id}))


def ambassador_of(user) -> Ambassador | None:
    if user is None or not user.is_authenticated:
        return None
    return trained_ambassadors().filter(user=user).select_related("community").first()


def risks_for(user):
    """The risks of the part of the district ``user`` works in."""
    return Risk.objects.filter(managed_scope(user)).select_related("street", "community", "grid", "asset")


def interventions_for(user):
    return Intervention.objects.filter(managed_scope(user, "risk__")).select_related("risk", "risk__street")


def overdue_interventions(user, now: datetime.datetime | None = None):
    """Planned interventions past their deadline, in ``user``'s part of the district, oldest first."""
    now = now or timezone.now()
    return interventions_for(user).filter(status=InterventionStatus.PLANNED, deadline__lt=now).order_by("deadline")


def open_risks_for(user):
    return risks_for(user).filter(status__in=OPEN_RISK_STATUSES)


def rounds_for(user):
    return SafetyRound.objects.filter(managed_scope(user)).select_related("community", "grid", "checklist")


def rounds_due(user, today: datetime.date | None = None):
    """Rounds not done yet, due within the round interval from ``today`` (or late)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.SAFETY_ROUND_INTERVAL_DAYS)
    return rounds_for(user).filter(done_at__isnull=True, due_on__lte=horizon).order_by("due_on")


def ambassadors_for(user):
    return Ambassador.objects.filter(managed_scope(user)).select_related("community", "grid")


def evaluations_for(user):
    """Evaluations of the streets ``user`` runs (grid workers and ambassadors see none)."""
    if not role_allows(user, Action.MANAGE_SAFETY):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(managed_scope(user)).select_related("community", "street")


def risks_without_open_intervention():
    """Open risks with no planned intervention (for the register's "needs a plan" mark)."""
    planned = Intervention.objects.filter(risk=OuterRef("pk"), status=InterventionStatus.PLANNED)
    return Risk.objects.filter(status__in=OPEN_RISK_STATUSES).exclude(Exists(planned))


def managed_communities(user):
    """The communities of the streets ``user`` runs (street office and administrators only)."""
    if not role_allows(user, Action.MANAGE_SAFETY):
        return Community.objects.none()
    return Community.objects.filter(managed_scope(user)).select_related("street").order_by("code")


def trainings_for(user):
    if not role_allows(user, Action.MANAGE_SAFETY):
        return Training.objects.none()
    return Training.objects.filter(managed_scope(user)).select_related("community").order_by("-date", "-id")


def reports_to_assess(user, limit: int = 10):
    """Residents' active problem reports of ``user``'s area not yet raised as a risk, safety hazards first:
    the register offers to raise a risk from each."""
    reports = (ProblemReport.objects.filter(managed_scope(user, "asset__"), status__in=ACTIVE_STATUSES)
               .exclude(Exists(Risk.objects.filter(problem_report=OuterRef("pk"))))
               .select_related("asset"))
    hazards_first = Case(When(category=ProblemCategory.SAFETY_HAZARD, then=0), default=1)
    return reports.order_by(hazards_first, "-created_at")[:limit]


def published_risks():
    """Open risks of the streets that publish them (``RiskPublication``), for the public map."""
    return (Risk.objects.filter(status__in=OPEN_RISK_STATUSES, street__risk_publication__publish=True)
            .only("id", "category", "severity", "status", "location").order_by("id"))


def publishes(street) -> bool:
    return RiskPublication.objects.filter(street=street, publish=True).exists()


def managed_streets(user):
    """The streets ``user`` runs (street office: theirs; administrators: all)."""
    if not role_allows(user, Action.MANAGE_SAFETY):
        return Street.objects.none()
    scope = scope_of(user)
    streets = Street.objects.defer("boundary").order_by("code")
    return streets if scope.everywhere else streets.filter(pk__in=scope.street_ids)
