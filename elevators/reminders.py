"""The green channel in the daily reminders: each street-office staff member and district
administrator with an e-mail address gets, once a day, the retrofits of their streets waiting past
their stage's target (``python manage.py send_green_channel_reminders``, daily beside
``send_reminders``). Idempotent: a :class:`GreenChannelDigestSent` row per person and day, created
before the mail is sent (the unique constraint decides between two runs)."""

import logging
import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from elevators.models import GreenChannelDigestSent
from elevators.queries import green_channel_queue
from registry.naming import in_each_language
from registry.staffing import Role, StaffAssignment

logger = logging.getLogger(__name__)
LISTED = 20


def _body(queue, link):
    def render():
        lines = [ngettext("%(count)d retrofit is waiting past its stage's target:",
                          "%(count)d retrofits are waiting past their stage's target:", len(queue))
                 % {"count": len(queue)}]
        lines += [_("- %(name)s: at “%(stage)s” since %(since)s, %(days)d days past the target") % {
            "name": waiting.retrofit.display_name, "stage": waiting.stage_label, "since": waiting.since.isoformat(),
            "days": waiting.overdue_days} for waiting in queue[:LISTED]]
        lines.append(link)
        return "\n".join(lines)
    return render


def send_green_channel_digests(today: datetime.date | None = None) -> int:
    """Send today's digest to each office member with a queue; returns how many were sent now."""
    today = today or timezone.localdate()
    link = settings.SITE_URL.rstrip("/") + reverse("staff-elevators") + "#green-channel"
    sent = 0
    assignments = StaffAssignment.objects.filter(role__in=[Role.STREET_STAFF, Role.DISTRICT_ADMIN],
                                                 user__is_active=True).exclude(user__email="").select_related("user")
    for assignment in assignments:
        user = assignment.user
        queue = green_channel_queue(user, today=today)
        if not queue:
            continue
        try:
            with transaction.atomic():
                _row, created = GreenChannelDigestSent.objects.get_or_create(
                    user=user, day=today, defaults={"waiting": len(queue)})
        except IntegrityError:  # another run recorded it at the same moment: that one sends
            continue
        if not created:
            continue
        subject = " / ".join(text for _code, text in in_each_language(lambda: _("Green channel: retrofits waiting")))
        body = "\n\n----\n\n".join(text for _code, text in in_each_language(_body(queue, link)))
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            logger.exception("Could not send the green-channel digest")
            continue
        sent += 1
    return sent
