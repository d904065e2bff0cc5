"""Telling reporters what became of their report, by email, in the language they wrote in.

Only reporters who left an email address and agreed to be contacted are written to, and only
when staff act (start work, reply, resolve, close): a resident's report itself sends nothing, so
the form cannot be used to send mail to strangers. Mobile numbers are for staff to call; there
is no SMS gateway. Mail goes through Django's email API (the console backend unless
``EMAIL_BACKEND`` says otherwise); a failing mail server is logged, never an error for staff.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from problems.models import ProblemReport

logger = logging.getLogger(__name__)


def recipients(report) -> list[tuple[str, str]]:
    """(email, language) of everyone who reported this problem and may be written to, no repeats."""
    entries = [report, *report.joined_reports.filter(contact_consent=True).exclude(reporter_email="")]
    seen, found = set(), []
    for entry in entries:
        email = entry.reporter_email.strip().lower()
        if entry.contact_consent and email and email not in seen:
            seen.add(email)
            found.append((entry.reporter_email, entry.language or settings.LANGUAGE_CODE))
    return found


def notify_reporters(report_pk: int) -> int:
    """Email each consenting reporter the report's status and public reply; returns how many were sent."""
    report = ProblemReport.objects.select_related("asset").filter(pk=report_pk).first()
    if report is None:
        return 0
    sent = 0
    for email, language in recipients(report):
        with translation.override(language):
            context = {"report": report, "asset": report.asset, "page_url": _page_url(report)}
            subject = " ".join(render_to_string("problems/email/update_subject.txt", context).split())
            body = render_to_string("problems/email/update_body.txt", context)
        try:
            sent += send_mail(subject, body, None, [email])
        except Exception:  # noqa: BLE001 — a mail outage must not undo or block the staff's work
            logger.exception("Could not email reporter of problem report %s", report.pk)
    return sent


def _page_url(report) -> str:
    """The asset page's address, absolute when ``SITE_URL`` is configured."""
    path = reverse("asset-detail", args=[report.asset_id])
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
