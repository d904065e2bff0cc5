"""Telling an adopter what happened: a notice on their dashboard, and an e-mail if they confirmed one.

Operations call :func:`notify` inside their transaction. The notice row commits or rolls back
with the change it reports; the e-mail is sent only once the transaction has committed, so a
rolled-back approval never mails "approved". E-mails go through Django's e-mail API (the console
backend by default, SMTP from settings) and are written in Chinese, then English: we do not know
which the adopter reads, and both fit in one message.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from adoption.models import Notice, NoticeKind
from registry.naming import in_each_language

logger = logging.getLogger(__name__)


def _day(value: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT") if value else ""


def notice_text(notice: Notice) -> str:
    """The notice in the active language (asset names too)."""
    params = notice.params
    asset = notice.adoption.asset.display_name if notice.adoption_id else ""
    values = {"asset": asset, "first": _day(params.get("first_day")), "last": _day(params.get("last_day")),
              "reason": params.get("reason", ""), "days": params.get("days", 0),
              "interval": params.get("interval", 0)}
    if notice.kind == NoticeKind.APPROVED:
        text = gettext("Your application to adopt %(asset)s from %(first)s to %(last)s was approved.") % values
        return f"{text} {values['reason']}".strip()
    if notice.kind == NoticeKind.REJECTED:
        return gettext("Your application to adopt %(asset)s was not approved. Reason: %(reason)s") % values
    if notice.kind == NoticeKind.ENDING_SOON:
        return gettext("Your adoption of %(asset)s ends on %(last)s. You can ask to renew it on your "
                       "dashboard.") % values
    return gettext("No care has been logged on %(asset)s for %(days)d days; you pledged to look after it "
                   "every %(interval)d days.") % values


def _subject(kind: str) -> str:
    return {
        NoticeKind.APPROVED: gettext("Your adoption application was approved"),
        NoticeKind.REJECTED: gettext("Your adoption application was not approved"),
        NoticeKind.ENDING_SOON: gettext("Your adoption ends soon"),
        NoticeKind.CARE_OVERDUE: gettext("Time to look after your adopted asset"),
    }[kind]


def absolute_url(path: str) -> str:
    """``path`` on this site, for e-mails written where there is no request (commands, operations)."""
    return settings.SITE_URL.rstrip("/") + path


def email_address(adopter) -> str:
    """Where e-mail to ``adopter`` may go: their address once they have confirmed it, else nowhere."""
    profile = getattr(adopter, "profile", None)
    return adopter.email if profile is not None and profile.email_is_confirmed else ""


def send_bilingual_mail(*, to: str, subject, body) -> None:
    """Send ``subject()`` / ``body()`` rendered in each site language (Chinese first) to ``to``."""
    subject_text = " / ".join(text for _code, text in in_each_language(subject))
    body_text = "\n\n----\n\n".join(text for _code, text in in_each_language(body))
    try:
        send_mail(subject_text, body_text, None, [to])
    except OSError:  # a mail server that is down must not turn a committed decision into an error page
        logger.exception("Could not send e-mail to adopter")


def notify(*, adopter, kind: str, adoption=None, **params) -> Notice:
    """Leave a notice on ``adopter``'s dashboard and, after commit, e-mail it to a confirmed address."""
    notice = Notice.objects.create(adopter=adopter, adoption=adoption, kind=kind, params=params)
    to = email_address(adopter)
    if to:
        dashboard = absolute_url(reverse("adopter-dashboard"))

        def body():
            return f"{notice_text(notice)}\n\n{gettext('Your dashboard:')} {dashboard}"

        transaction.on_commit(lambda: send_bilingual_mail(to=to, subject=lambda: _subject(kind), body=body))
    return notice
