"""Secure-by-default helpers: staff idle sessions and login lockout keys (django-axes).

The basemap hosts the Content-Security-Policy allows are computed with the settings
(``config/csp.py``), so settings do not import this module.
"""

import time

from django.conf import settings
from django.shortcuts import render

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


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out sign-in: in the user's language, status 429."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registry/locked_out.html", {"minutes": minutes}, status=429)


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
