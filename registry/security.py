"""Secure-by-default helpers: the basemap hosts the CSP allows, staff idle sessions, login lockout keys.

Settings import this module, so nothing here may import models at module level: the staff check
imports ``registry.access`` when the first request arrives, after the app registry is ready.
"""

import time
from urllib.parse import urlsplit

from django.conf import settings

# Eight hours: a street-office working day. Adopters keep SESSION_COOKIE_AGE (two weeks).
DEFAULT_STAFF_SESSION_IDLE_SECONDS = 8 * 60 * 60
#: The idle clock restarts at most this often (the session is written then, not on every request).
REFRESH_SECONDS = 60
STAFF_SEEN_KEY = "_staff_seen_at"


def basemap_tile_sources(basemaps: list[dict]) -> list[str]:
    """``https://host`` for every host a basemap fetches tiles from, for the CSP's img-src.

    Derived from settings.MAP_BASEMAPS so a new basemap cannot be forgotten here; ``{s}`` in a
    host is expanded with the basemap's ``subdomains`` (explicit hosts, no wildcards).
    """
    sources = []
    for basemap in basemaps:
        for key in ("url", "labels_url"):
            url = basemap.get(key)
            if not url:
                continue
            parts = urlsplit(url)
            subdomains = basemap.get("subdomains", "") if "{s}" in parts.netloc else ""
            hosts = [parts.netloc.replace("{s}", s) for s in subdomains] or [parts.netloc]
            sources += [f"{parts.scheme}://{host}" for host in hosts if f"{parts.scheme}://{host}" not in sources]
    return sources


def lockout_username(request, credentials: dict) -> str | None:
    """The name django-axes counts failures under: a mobile typed any way is the same account.

    Without this, ``138 1234 5678`` and ``+8613812345678`` would be separate counters for one
    adopter, and an attacker could multiply the allowed guesses by reformatting the number.
    """
    from registry.validators import normalize_mobile

    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not username:
        return username
    number = normalize_mobile(username)
    return number if number.isdigit() and len(number) == 11 else username.strip()


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out sign-in: in the user's language, status 429."""
    from django.shortcuts import render

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
            from registry.access import is_staff_member

            now = int(time.time())
            if now - request.session.get(STAFF_SEEN_KEY, 0) >= REFRESH_SECONDS and is_staff_member(user):
                request.session[STAFF_SEEN_KEY] = now
                request.session.set_expiry(
                    getattr(settings, "STAFF_SESSION_IDLE_SECONDS", DEFAULT_STAFF_SESSION_IDLE_SECONDS))
        return self.get_response(request)
