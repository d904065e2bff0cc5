"""Reminders to adopters: an adoption ending within 30 days, and care not logged within the pledged interval.

Idempotent by construction: each reminder is a :class:`ReminderSent` row keyed by adoption, kind
and occurrence, created in the same transaction as the notice it announces. Running this twice in
a day (or from two cron hosts at once: the unique constraint decides) sends each reminder once.
Ended adoptions need no work here: an asset whose adoption is over is "looking for an adopter"
again because that is derived from the dates (``adoption.queries.looking_for_adopter``).
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from adoption.models import NoticeKind, ReminderKind, ReminderSent
from adoption.notices import notify
from adoption.queries import current_with_last_care, ending_between

ENDING_SOON_DAYS = 30


@dataclass
class ReminderCounts:
    ending_soon: int = 0
    care_overdue: int = 0


#: The dashboard notice each reminder leaves.
NOTICE_OF = {ReminderKind.ENDING_SOON: NoticeKind.ENDING_SOON, ReminderKind.CARE_OVERDUE: NoticeKind.CARE_OVERDUE}


def _send_once(adoption, kind: str, period_key: str, **params) -> bool:
    """Record and send one reminder unless it was sent already; True if sent now."""
    try:
        with transaction.atomic():
            _row, created = ReminderSent.objects.get_or_create(adoption=adoption, kind=kind, period_key=period_key)
            if created:
                notify(adopter=adoption.adopter, kind=NOTICE_OF[kind], adoption=adoption, **params)
    except IntegrityError:  # another run created the same row at the same moment: it sends
        return False
    return created


def care_overdue(adoption, today: datetime.date) -> tuple[str, int] | None:
    """(which silent stretch, days without care) if care on ``adoption`` is overdue, else None.

    Counted from the adopter's last care log (or the adoption's first day, whichever is later):
    one reminder for each full pledged interval without care.
    """
    since = max(adoption.last_care or adoption.first_day, adoption.first_day)
    silent = (today - since).days
    missed = silent // adoption.care_interval_days
    return (f"{since.isoformat()}/{missed}", silent) if missed >= 1 else None


def send_due_reminders(today: datetime.date | None = None) -> ReminderCounts:
    today = today or timezone.localdate()
    counts = ReminderCounts()
    for adoption in ending_between(today, today + datetime.timedelta(days=ENDING_SOON_DAYS)):
        if _send_once(adoption, ReminderKind.ENDING_SOON, adoption.last_day.isoformat(),
                      last_day=adoption.last_day.isoformat()):
            counts.ending_soon += 1
    for adoption in current_with_last_care(today):
        overdue = care_overdue(adoption, today)
        if overdue and _send_once(adoption, ReminderKind.CARE_OVERDUE, overdue[0], days=overdue[1],
                                  interval=adoption.care_interval_days):
            counts.care_overdue += 1
    return counts
