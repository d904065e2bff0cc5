"""The phases of a renovation project, in order, and the progress each stands for by default.

The default progress is what a project shows while no milestone has set one. The database has
its own copy (``projects_phase_progress()`` in migration 0001, used by the roll-up trigger);
``tests/projects/test_rollup.py`` checks that both agree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    PROPOSAL = "proposal", _("proposal")
    CONSULTATION = "consultation", _("consultation")
    DESIGN = "design", _("design")
    APPROVAL = "approval", _("approval")
    CONSTRUCTION = "construction", _("construction")
    ACCEPTANCE = "acceptance", _("acceptance")
    IN_USE = "in_use", _("in use")


#: Phases in their order; a project moves forward freely and back only with a reason.
ORDER = list(Phase.values)

DEFAULT_PROGRESS = {
    Phase.PROPOSAL: 0,
    Phase.CONSULTATION: 10,
    Phase.DESIGN: 20,
    Phase.APPROVAL: 30,
    Phase.CONSTRUCTION: 50,
    Phase.ACCEPTANCE: 90,
    Phase.IN_USE: 100,
}


def rank(phase: str) -> int:
    return ORDER.index(phase)
