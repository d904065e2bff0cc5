"""Reminders and escalation of overdue interventions (``python manage.py send_safety_reminders``,
run hourly: a high-severity risk's deadline is 24 hours).

* **Reminder**: each planned intervention past its deadline is announced once to the street-office
  staff of its street (an e-mail per person listing the newly overdue ones).
* **Escalation**: a high-severity one past its deadline is escalated once to the district
  administrators (superusers and district-administrator assignments), with an audit record.

Idempotent: an intervention is claimed (``reminded_at`` / ``escalated_at`` set) in a transaction
that locks it (``SKIP LOCKED``) before any mail is sent, so two runs never announce it twice.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import audit
from registry.history import operation
from registry.naming import in_each_language
from registry.staffing import Role, StaffAssignment
from safety.models import Intervention, InterventionStatus, Severity

logger = logging.getLogger(__name__)


def _claim(now, field: str, extra: Q = Q()) -> list[Intervention]:
    """Lock the planned, overdue interventions not yet marked ``field`` and mark them: they are this run's."""
    name = "safety.escalate" if field == "escalated_at" else "safety.remind"
    with transaction.atomic(), operation(name):
        rows = list(Intervention.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(extra, status=InterventionStatus.PLANNED, deadline__lt=now, **{f"{field}__isnull": True})
                    .select_related("risk", "risk__street", "risk__community"))
        Intervention.objects.filter(pk__in=[row.pk for row in rows]).update(**{field: now})
        if field == "escalated_at":
            for row in rows:
                audit.record(actor=None, action="safety.escalate", obj=row.risk, asset=row.risk.asset,
                             changes={"intervention": [row.pk, {"escalated_at": now.isoformat()}]})
    return rows


def _lines(rows):
    def render():
        lines = [_("Overdue safety interventions:")]
        lines += [_("- %(risk)s, %(community)s: “%(measure)s” by %(responsible)s, due %(deadline)s") % {
            "risk": row.risk.get_category_display(), "community": row.risk.community or row.risk.street,
            "measure": row.measure[:80], "responsible": row.responsible,
            "deadline": timezone.localtime(row.deadline).strftime("%Y-%m-%d %H:%M")} for row in rows]
        lines.append(settings.SITE_URL.rstrip("/") + reverse("staff-safety-overdue"))
        return "\n".join(lines)
    return render


def _send(subject, rows, recipients) -> int:
    sent = 0
    subject_text = " / ".join(text for _code, text in in_each_language(lambda: subject))
    body = "\n\n----\n\n".join(text for _code, text in in_each_language(_lines(rows)))
    for email in sorted(recipients):
        try:
            send_mail(subject_text, body, None, [email])
        except OSError:
            logger.exception("Could not send a safety reminder")
            continue
        sent += 1
    return sent


def remind_overdue(now: datetime.datetime | None = None) -> int:
    """E-mail each street's office staff its newly overdue interventions; returns the mails sent."""
    rows = _claim(now or timezone.now(), "reminded_at")
    by_street = defaultdict(list)
    for row in rows:
        by_street[row.risk.street_id].append(row)
    sent = 0
    for street_id, street_rows in by_street.items():
        emails = set(StaffAssignment.objects.filter(role=Role.STREET_STAFF, streets=street_id, user__is_active=True)
                     .exclude(user__email="").values_list("user__email", flat=True))
        sent += _send(_("Safety: interventions past their deadline"), street_rows, emails)
    return sent


def district_administrators_emails() -> set[str]:
    users = get_user_model().objects.filter(Q(is_superuser=True) | Q(staff_assignment__role=Role.DISTRICT_ADMIN),
                                            is_active=True).exclude(email="")
    return set(users.values_list("email", flat=True))


def escalate_overdue(now: datetime.datetime | None = None) -> list[Intervention]:
    """Escalate every overdue high-severity intervention (once) to the district administrators."""
    rows = _claim(now or timezone.now(), "escalated_at", Q(risk__severity=Severity.HIGH))
    if rows:
        _send(_("Safety escalation: high-severity risks past their deadline"), rows, district_administrators_emails())
    return rows
