"""The staff navigation: every staff page shows it, whichever app the page belongs to.

It reaches the pages through the context processor below (``config/settings.py``), so the
problem, adoption and import pages — which live in other apps and cannot import this one —
show the same navigation by extending ``staff/base.html``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from registry.access import Action, is_staff_member, role_allows


def nav_links(user) -> list[tuple[str, str]]:
    """The staff pages this user may open: the workbench's and the other apps'."""
    links = [(_("Workbench"), reverse("staff-home")), (_("Overdue work"), reverse("staff-overdue")),
             (_("Offline logging"), reverse("staff-offline"))]
    if role_allows(user, Action.READ_STATISTICS):
        links.append((_("Statistics"), reverse("staff-statistics")))
    if role_allows(user, Action.TRIAGE_PROBLEM):
        links.append((_("Problem reports"), reverse("staff-problems")))
    if role_allows(user, Action.DECIDE_ADOPTION):
        links.append((_("Adoption applications"), reverse("staff-adoption-queue")))
    if role_allows(user, Action.CHANGE_PROJECT):
        links.append((_("Renovation projects"), reverse("staff-projects")))
        links.append((_("Import the project ledger"), reverse("staff-import-projects")))
    if role_allows(user, Action.IMPORT_ASSETS):
        links.append((_("Import"), reverse("staff-import")))
    if role_allows(user, Action.RECORD_RETROFIT_STAGE):
        links.append((_("Elevator programme"), reverse("staff-elevators")))
    if role_allows(user, Action.RECORD_MEETING):
        links.append((_("Consultation"), reverse("staff-consultation")))
        if role_allows(user, Action.IMPORT_ASSETS):
            links.append((_("Import resolutions"), reverse("staff-import-resolutions")))
    if role_allows(user, Action.CHANGE_ROUTE):
        links.append((_("Check-in routes"), reverse("staff-routes")))
    if role_allows(user, Action.HANDLE_SAFETY):
        links.append((_("Safety (SITE)"), reverse("staff-safety")))
    return links


def navigation(request) -> dict:
    """Context processor: ``staff_nav``, the links of ``staff/base.html``; worked out only when a page
    of the staff layout reads it (templates call a callable), and only for staff members."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and is_staff_member(user)):
        return {"staff_nav": []}
    return {"staff_nav": lambda: nav_links(user)}
