"""State changes of upkeep: record care work on an asset.

Callable the same way from a view, the API, the admin and a command: each checks permission,
runs in one transaction and writes the audit record.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import audit
from registry.access import Action, can
from registry.care.models import UpkeepLog

#: Clocks on phones drift; a log a few minutes "in the future" is not an error.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)


def upkeep_performer(actor, asset):
    """(staff user, adopter) under whose name ``actor`` may log care on ``asset``, or PermissionDenied.

    Staff whose scope covers the asset log as staff; otherwise the asset's current adopter's own
    account logs as that adopter.
    """
    if can(actor, Action.LOG_UPKEEP, asset):
        return actor, None
    from registry.queries import current_adoptions

    adoption = current_adoptions().filter(asset=asset, adopter__user=actor).select_related("adopter").first()
    if actor.is_authenticated and adoption is not None:
        return None, adoption.adopter
    raise PermissionDenied(_("You can log care only on assets you look after or currently adopt."))


def log_upkeep(*, actor, asset, action: str, performed_at: datetime.datetime | None = None, notes: str = "",
               duration_minutes: int | None = None, participants: int = 1, photos=()) -> UpkeepLog:
    """Record care work done on ``asset`` by ``actor`` (staff in scope, or the current adopter).

    ``photos`` are uploaded files, each taken through the photo pipeline and attached to the log.
    Raises PermissionDenied or ValidationError; on either, nothing is written.
    """
    staff, adopter = upkeep_performer(actor, asset)
    performed_at = performed_at or timezone.now()
    if performed_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"performed_at": _("Care work cannot be logged in the future.")})
    log = UpkeepLog(asset=asset, action=action, performed_at=performed_at, notes=notes, staff=staff,
                    adopter=adopter, duration_minutes=duration_minutes, participants=participants)
    log.full_clean()
    with transaction.atomic():
        log.save()
        if photos:
            from registry.photos.pipeline import add_photo

            for upload in photos:
                add_photo(asset=asset, upload=upload, uploaded_by=actor, upkeep_log=log)
        audit.record(actor=actor, action="upkeep.log", obj=log, changes=audit.diff({}, audit.snapshot(log)))
    return log
