"""Secure-by-default helpers: staff idle sessions, login lockout keys (django-axes) and the
per-account back-off.

The basemap hosts the Content-Security-Policy allows are computed with the settings
(``config/csp.py``), so settings do not import this module.
"""

import time
from datetime import timedelta

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from registry.access import is_staff_member
from registry.validators import normalize_mobile

# Eight hours: a street-office working day. Adopters keep SESSION_COOKIE_AGE (two weeks).
DEFAULT_STAFF_SESSION_IDLE_SECONDS = 8 * 60 * 60
#: The idle clock restarts at most this often (the session is written then, not on every request).
REFRESH_SECONDS = 60
STAFF_SEEN_KEY = "_staff_seen_at"


def lockout_username(request, credentials: dict) -> str | None:
    """The name django-axes counts failures under: a mobile typed any way is the same account.

    Without this, ``138 1234 5678`` and ``+8613812345678`` would be separate counters for one
    adopter, and an attacker could multiply the allowed guesses by reformatting the number.
    """
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not username:
        return username
    number = normalize_mobile(username)
    return number if number.isdigit() and len(number) == 11 else username.strip()


#: Failed sign-ins of one account, counted over all addresses within the cool-off, after which
#: each further try must wait. One address locks at AXES_FAILURE_LIMIT, so only many addresses
#: together (a distributed attack) reach it. The wait doubles with each failure past the ceiling.
DEFAULT_ACCOUNT_FAILURE_CEILING = 30
#: The first wait; each failure past the ceiling doubles it, up to the maximum.
BACKOFF_FIRST_SECONDS = 5
DEFAULT_ACCOUNT_BACKOFF_MAX_SECONDS = 300


def account_backoff_seconds(username: str | None) -> int:
    """How long the account ``username`` must wait before its next sign-in attempt (0: it may try now).

    Reads django-axes' own records (one row per username, address and browser, each counting its
    failures since the cool-off began), so no second counter can disagree with the lockout.
    """
    if not username:
        return 0
    ceiling = getattr(settings, "ACCOUNT_FAILURE_CEILING", DEFAULT_ACCOUNT_FAILURE_CEILING)
    recent = AccessAttempt.objects.filter(username=username,
                                          attempt_time__gte=timezone.now() - (get_cool_off() or timedelta(0)))
    totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = totals["failures"] or 0
    if failures < ceiling:
        return 0
    cap = getattr(settings, "ACCOUNT_BACKOFF_MAX_SECONDS", DEFAULT_ACCOUNT_BACKOFF_MAX_SECONDS)
    delay = min(BACKOFF_FIRST_SECONDS * 2 ** min(failures - ceiling, 20), cap)
    remaining = totals["last"] + timedelta(seconds=delay) - timezone.now()
    return max(0, int(remaining.total_seconds() + 0.999))


class AccountBackoffBackend:
    """An authentication backend that logs no one in: it refuses an attempt on an account that must wait.

    Comes after django-axes' backend. A refusal marks the request the way axes marks a lockout, so
    axes does not count it as a failure (the real user waiting does not lengthen the wait) and its
    middleware answers with :func:`locked_out`, which says how many seconds to wait.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        wait = account_backoff_seconds(lockout_username(request, {settings.AXES_USERNAME_FORM_FIELD: username}))
        if wait:
            request.account_backoff_seconds = wait
            request.axes_locked_out = True
            raise PermissionDenied("This account is slowed down after many failed sign-ins.")
        return None  # no ``get_user``: this backend never holds a session (Client.force_login skips it)


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out sign-in: in the user's language, status 429."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registry/locked_out.html", {
        "minutes": minutes, "backoff_seconds": getattr(request, "account_backoff_seconds", 0)}, status=429)


class StaffIdleSessionMiddleware:
    """Staff members' sessions end after STAFF_SESSION_IDLE_SECONDS without a request.

    Staff can reveal adopters' mobiles and change the record, often on shared or lost phones,
    so their sign-in should not outlive a working day of inactivity; adopters keep the default.
    Setting the expiry saves the session, which restarts the idle clock; it is done at most once
    a minute, so a staff member panning the map does not write the session for every tile.
    Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(STAFF_SEEN_KEY, 0) >= REFRESH_SECONDS and is_staff_member(user):
                request.session[STAFF_SEEN_KEY] = now
                request.session.set_expiry(
                    getattr(settings, "STAFF_SESSION_IDLE_SECONDS", DEFAULT_STAFF_SESSION_IDLE_SECONDS))
        return self.get_response(request)
