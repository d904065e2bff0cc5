"""Who may see and change which rows: the one place that decides it.

Every view, tile, search, form, API endpoint, export and admin list asks here:

* :func:`asset_scope` — the assets a user may **see**: public ones for everyone, plus every
  asset in the part of the district a staff member works in (all of it for administrators).
* :func:`managed_scope` — the assets a user may **work on** (log upkeep, decide adoptions,
  answer reports, read history): the streets, communities or grids of their assignment.
* :func:`can` — one question about one object, for views and operations.
* :func:`upkeep_performer` — under whose name a user may tend an asset: staff in scope, or the
  asset's caretaker (its current adopter) found through the lookups the apps above register
  with :func:`register_caretaker_lookup` — the core asks, it does not import them.

Roles come from :class:`registry.staffing.StaffAssignment`; a superuser is a district
administrator. ``is_staff`` alone (admin-site login) grants nothing here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.staffing import Role, StaffAssignment


class Action:
    """What ``can()`` is asked about."""

    CHANGE_ASSET = "asset.change"
    DECIDE_ADOPTION = "adoption.decide"
    LOG_UPKEEP = "upkeep.log"
    TRIAGE_PROBLEM = "problem.triage"
    READ_HISTORY = "asset.history"
    REVEAL_MOBILE = "adopter.reveal_mobile"
    IMPORT_ASSETS = "asset.import"
    READ_STATISTICS = "statistics.read"
    RECORD_RETROFIT_STAGE = "retrofit.stage"
    #: Create and run renovation projects (projects app): phases, funding, contractors, milestones.
    CHANGE_PROJECT = "project.change"
    #: Record consultation meetings and their resolutions, and carry resolutions through their
    #: statuses (consultation app). Grid workers do it in their communities and grids.
    RECORD_MEETING = "consultation.record"
    #: The SITE safety loop (safety app). Report a risk: staff, and a trained safety ambassador in
    #: their own community (the one right of that limited role, see register_limited_role).
    REPORT_RISK = "safety.report_risk"
    #: Do an inspection round, plan and close interventions: staff on the ground too.
    HANDLE_SAFETY = "safety.handle"
    #: Run the loop: accept risks, ambassadors and trainings, evaluations and their sign-off.
    MANAGE_SAFETY = "safety.manage"
    #: Draw, publish and change check-in routes and check-in spots (routes app), through assets in scope.
    CHANGE_ROUTE = "route.change"


#: Which roles may do what, within their managed scope.
ROLE_ACTIONS = {
    Role.DISTRICT_ADMIN: {Action.IMPORT_ASSETS, Action.CHANGE_ASSET, Action.DECIDE_ADOPTION, Action.LOG_UPKEEP,
                          Action.TRIAGE_PROBLEM, Action.READ_HISTORY, Action.READ_STATISTICS,
                          Action.RECORD_RETROFIT_STAGE, Action.CHANGE_PROJECT,
                          Action.RECORD_MEETING, Action.REPORT_RISK, Action.HANDLE_SAFETY, Action.MANAGE_SAFETY,
                          Action.CHANGE_ROUTE},
    Role.STREET_STAFF: {Action.IMPORT_ASSETS, Action.CHANGE_ASSET, Action.DECIDE_ADOPTION, Action.LOG_UPKEEP,
                        Action.TRIAGE_PROBLEM, Action.READ_HISTORY, Action.READ_STATISTICS,
                        Action.RECORD_RETROFIT_STAGE, Action.CHANGE_PROJECT,
                        Action.RECORD_MEETING, Action.REPORT_RISK, Action.HANDLE_SAFETY, Action.MANAGE_SAFETY,
                        Action.CHANGE_ROUTE},
    # Everyone who works in an area records the consultation meetings held there.
    Role.GRID_WORKER: {Action.LOG_UPKEEP, Action.READ_HISTORY, Action.RECORD_MEETING, Action.REPORT_RISK,
                       Action.HANDLE_SAFETY},
}


@dataclass(frozen=True)
class Scope:
    """A user's role and the areas they work in (ids), loaded once per user object."""

    role: str | None
    street_ids: frozenset = frozenset()
    community_ids: frozenset = frozenset()
    grid_ids: frozenset = frozenset()
    can_reveal_mobile: bool = False

    @property
    def everywhere(self) -> bool:
        return self.role == Role.DISTRICT_ADMIN

    def covers(self, street_id, community_id=None, grid_id=None) -> bool:
        if self.everywhere:
            return True
        if self.role == Role.STREET_STAFF:
            return street_id in self.street_ids
        if self.role == Role.GRID_WORKER:
            return community_id in self.community_ids or grid_id in self.grid_ids
        return False


NO_SCOPE = Scope(role=None)


def scope_of(user) -> Scope:
    """The user's :class:`Scope`, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_registry_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(role=Role.DISTRICT_ADMIN, can_reveal_mobile=True)
    else:
        assignment = (StaffAssignment.objects.filter(user=user)
                      .prefetch_related("streets", "communities", "grids").first())
        scope = NO_SCOPE if assignment is None else Scope(
            role=assignment.role,
            street_ids=frozenset(s.pk for s in assignment.streets.all()),
            community_ids=frozenset(c.pk for c in assignment.communities.all()),
            grid_ids=frozenset(g.pk for g in assignment.grids.all()),
            can_reveal_mobile=assignment.can_reveal_mobile,
        )
    user._registry_scope = scope
    return scope


def is_staff_member(user) -> bool:
    return scope_of(user).role is not None


def managed_scope(user, prefix: str = "") -> Q:
    """A filter for the assets ``user`` works on; ``prefix`` ("asset__") filters related rows.

    Everywhere is a condition that is always true, not an empty ``Q()``: Django drops an empty
    ``Q`` from ``other | Q()``, so "these rows, or whatever the administrator works on" would
    lose the administrator's part.
    """
    scope = scope_of(user)
    if scope.everywhere:
        return Q(**{f"{prefix}pk__isnull": False})
    if scope.role == Role.STREET_STAFF:
        return Q(**{f"{prefix}street__in": scope.street_ids})
    if scope.role == Role.GRID_WORKER:
        return Q(**{f"{prefix}community__in": scope.community_ids}) | Q(**{f"{prefix}grid__in": scope.grid_ids})
    return Q(**{f"{prefix}pk__in": []})


def manages_whole_streets(user, street_ids) -> bool:
    """Does ``user`` work on every asset of the streets ``street_ids`` (a district administrator, or
    street staff of them all)? Then a figure kept per street and community for everyone (the upkeep
    roll-up) is exactly theirs; a grid worker's is not."""
    scope = scope_of(user)
    return scope.everywhere or (scope.role == Role.STREET_STAFF and set(street_ids) <= scope.street_ids)


def asset_scope(user, prefix: str = "") -> Q:
    """A filter for the assets ``user`` may see."""
    scope = scope_of(user)
    if scope.everywhere:
        return Q()
    public = Q(**{f"{prefix}is_public": True})
    return public | managed_scope(user, prefix) if scope.role else public


def role_allows(user, action: str) -> bool:
    """May ``user``'s role do ``action`` at all (somewhere in their scope)? For pages and lists
    that are not about one asset (the overdue queue, statistics, an admin "add" button)."""
    if action in ROLE_ACTIONS.get(scope_of(user).role, set()):
        return True
    return any(action in right.actions for right in limited_rights_of(user))


def can(user, action: str, asset) -> bool:
    """May ``user`` do ``action`` on ``asset`` (an Asset, anything with ``.asset``, or any row with
    ``street_id``, ``community_id`` and ``grid_id``, such as a renovation project)?"""
    asset = getattr(asset, "asset", asset)
    scope = scope_of(user)
    if action == Action.REVEAL_MOBILE:
        return scope.can_reveal_mobile
    if action not in ROLE_ACTIONS.get(scope.role, set()):
        return any(action in right.actions and asset.community_id in right.community_ids
                   for right in limited_rights_of(user))
    return scope.covers(asset.street_id, asset.community_id, asset.grid_id)


#: ``lookup(user, asset)`` → the record under which ``user`` looks after ``asset`` (an adopter), or
#: None. The apps above the core register theirs at start-up (``adoption`` registers "the asset's
#: current adopter"), so the core needs no import of them.
_caretaker_lookups: list[Callable] = []


def register_caretaker_lookup(lookup: Callable) -> None:
    if lookup not in _caretaker_lookups:
        _caretaker_lookups.append(lookup)


def caretaker_of(user, asset):
    """The record under which the signed-in ``user`` looks after ``asset`` (e.g. its adopter), or None."""
    if user is None or not user.is_authenticated:
        return None
    return next((found for lookup in _caretaker_lookups if (found := lookup(user, asset)) is not None), None)


def upkeep_performer(actor, asset):
    """(staff user, caretaker) under whose name ``actor`` may tend ``asset``, or PermissionDenied.

    Staff whose scope covers the asset log as staff; otherwise the asset's caretaker's own account
    (its current adopter's) logs as that caretaker.
    """
    if can(actor, Action.LOG_UPKEEP, asset):
        return actor, None
    caretaker = caretaker_of(actor, asset)
    if caretaker is not None:
        return None, caretaker
    raise PermissionDenied(_("You can log care only on assets you look after or currently adopt."))


@dataclass(frozen=True)
class LimitedRight:
    """A right a person who is no staff member holds in some communities (a safety ambassador may
    report risks in their own community): ``can()`` and ``role_allows()`` grant exactly ``actions``
    there, nothing else; ``is_staff_member()`` stays false (no staff pages, no navigation)."""

    actions: frozenset
    community_ids: frozenset


#: ``lookup(user)`` → a LimitedRight or None. The apps above the core register theirs at start-up
#: (``safety`` registers "a trained, active ambassador's account"), so the core needs no import of them.
_limited_role_lookups: list[Callable] = []


def register_limited_role(lookup: Callable) -> None:
    if lookup not in _limited_role_lookups:
        _limited_role_lookups.append(lookup)


def limited_rights_of(user) -> tuple:
    """The limited rights of ``user`` (none for staff and anonymous users), cached on the user object."""
    if user is None or not user.is_authenticated or scope_of(user).role is not None:
        return ()
    cached = getattr(user, "_registry_limited_rights", None)
    if cached is None:
        cached = tuple(right for lookup in _limited_role_lookups if (right := lookup(user)) is not None)
        user._registry_limited_rights = cached
    return cached


def owner_or_district_admin(user, owner_id) -> bool:
    """Whether ``user`` may see and act on a record that belongs to one person (a background job,
    dataio.models.Job): that person, or a district administrator."""
    if user is None or not user.is_authenticated:
        return False
    return user.pk == owner_id or scope_of(user).everywhere
