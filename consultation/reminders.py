"""Overdue resolutions in the daily reminders: each staff member (street office, grid worker,
district administrator) with an e-mail address gets, once a day, the resolutions of their area past
their due date and not executed, most overdue first (``python manage.py send_consultation_reminders``,
daily beside ``send_reminders``). Idempotent: an :class:`OverdueDigestSent` row per person and day,
created before the mail is sent (the unique constraint decides between two runs)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultation.models import OverdueDigestSent
from consultation.queries import overdue_queue
from registry.naming import in_each_language
from registry.staffing import StaffAssignment

logger = logging.getLogger(__name__)
LISTED = 20


def _body(queue, link):
    def render():
        lines = [ngettext("%(count)d resolution is past its due date:",
                          "%(count)d resolutions are past their due date:", len(queue)) % {"count": len(queue)}]
        lines += [_("- %(text)s (%(community)s): due %(due)s, %(days)d days overdue") % {
            "text": item.resolution.text[:60], "community": item.resolution.community.name_zh,
            "due": item.resolution.due_date.isoformat(), "days": item.days} for item in queue[:LISTED]]
        lines.append(link)
        return "\n".join(lines)
    return render


def send_overdue_digests(today: datetime.date | None = None) -> int:
    """Send today's digest to each staff member with overdue resolutions; returns how many were sent now."""
    today = today or timezone.localdate()
    link = settings.SITE_URL.rstrip("/") + reverse("staff-consultation") + "#overdue"
    sent = 0
    for assignment in (StaffAssignment.objects.filter(user__is_active=True).exclude(user__email="")
                       .select_related("user")):
        user = assignment.user
        queue = overdue_queue(user, today=today)
        if not queue:
            continue
        try:
            with transaction.atomic():
                _row, created = OverdueDigestSent.objects.get_or_create(user=user, day=today,
                                                                        defaults={"overdue": len(queue)})
        except IntegrityError:  # another run recorded it at the same moment: that one sends
            continue
        if not created:
            continue
        subject = " / ".join(text for _code, text in in_each_language(lambda: _("Consultation: overdue resolutions")))
        body = "\n\n----\n\n".join(text for _code, text in in_each_language(_body(queue, link)))
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            logger.exception("Could not send the overdue-resolutions digest")
            continue
        sent += 1
    return sent
