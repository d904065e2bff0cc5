"""Secure by default: the CSP header, login lockout (django-axes) and staff members' idle sessions."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import F, Sum
from django.test import Client
from django.urls import reverse

from adoption.accounts import register_adopter
from adoption.forms import PRIVACY_NOTICE_VERSION
from adoption.models import AdopterKind
from config.csp import basemap_tile_sources
from registry.security import account_backoff_seconds
from registry.staffing import Role
from tests.factories import make_staff

PASSWORD = "Lychee-Bay-2021!"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def staff_member(username="chen"):
    user = make_staff(Role.DISTRICT_ADMIN, username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def adopter_account(mobile="13812345678"):
    adopter = register_adopter(kind=AdopterKind.VOLUNTEER, display_name="荔湾志愿者", contact_person="陈小明",
                               mobile=mobile, password=PASSWORD, privacy_notice_version=PRIVACY_NOTICE_VERSION)
    return adopter.user


def sign_in(client, username, password=PASSWORD, ip="10.0.0.1", path=LOGIN):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


# --- Content-Security-Policy -------------------------------------------------------------------

def test_basemap_hosts_are_derived_from_map_basemaps_with_subdomains_expanded():
    sources = basemap_tile_sources([
        {"url": "https://tile.example.org/{z}/{x}/{y}.png"},
        {"url": "https://t{s}.example.cn/a?x={x}", "labels_url": "https://t{s}.example.cn/b", "subdomains": "01"},
    ])
    assert sources == ["https://tile.example.org", "https://t0.example.cn", "https://t1.example.cn"]


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_scripts(client):
    policy = directives(client.get("/"))
    assert policy["script-src"] == ["'self'"]  # no nonce was asked for: none is offered
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert policy["img-src"][:2] == ["'self'", "data:"]
    for basemap in django_settings.MAP_BASEMAPS:
        host = basemap["url"].split("/")[2].replace("{s}", basemap.get("subdomains", "x")[:1])
        assert f"https://{host}" in policy["img-src"]


@pytest.mark.django_db
def test_only_the_api_docs_page_allows_inline_styles(client):
    assert directives(client.get(reverse("api-docs")))["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in directives(client.get(reverse("api-docs")))["script-src"]


@pytest.mark.django_db
def test_frames_referrer_and_sniffing_are_denied(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# --- Login lockout -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_account_from_that_address(client, settings):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is compared in English
    staff_member()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "chen", "wrong-password").status_code == 200  # the form, with its error
    locked = sign_in(client, "chen", "wrong-password")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    # Locked: even the right password is refused from here for now…
    assert sign_in(client, "chen").status_code == 429
    assert "_auth_user_id" not in client.session
    # …while the same account from another address, and another account from here, still work.
    assert sign_in(client.__class__(), "chen", ip="10.0.0.2").status_code == 302
    staff_member("wang")
    assert sign_in(client.__class__(), "wang").status_code == 302


@pytest.mark.django_db
def test_a_mobile_number_typed_differently_counts_as_the_same_account(client, settings):
    adopter_account("13812345678")
    spellings = ["13812345678", "138 1234 5678", "+86 138-1234-5678", "008613812345678", "138-1234-5678"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        response = sign_in(client, spelling, "wrong-password")
    assert response.status_code == 429
    assert sign_in(client, "+8613812345678").status_code == 429


@pytest.mark.django_db
def test_the_admin_login_is_locked_out_too(client, settings):
    user = staff_member()
    user.is_staff = True
    user.save()
    path = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "chen", "wrong-password", path=path)
    assert response.status_code == 429
    assert sign_in(client, "chen", path=path).status_code == 429


@pytest.mark.django_db
def test_the_api_token_endpoint_counts_and_honours_the_same_lockout(client, settings):
    """DRF's token view calls authenticate() with the request: failures count, a lockout refuses."""
    staff_member()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(client, "chen", "wrong-password", path="/api/v1/token/").status_code == 400
    locked = sign_in(client, "chen", path="/api/v1/token/")
    assert locked.status_code == 400 and "token" not in locked.json()
    assert sign_in(client, "chen").status_code == 429  # and the sign-in page says why


@pytest.mark.django_db
def test_a_successful_sign_in_resets_the_count(client, settings):
    staff_member()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "chen", "wrong-password")
    assert sign_in(client, "chen").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "chen", "wrong-password").status_code == 200


# --- Staff idle sessions -----------------------------------------------------------------------

@pytest.mark.django_db
def test_staff_sessions_end_after_the_staff_idle_time(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 3600
    staff_member()
    assert sign_in(client, "chen").status_code == 302
    client.get("/staff/")
    assert client.session.get_expiry_age() == 3600
    assert client.cookies["sessionid"]["max-age"] == 3600


@pytest.mark.django_db
def test_adopters_keep_the_default_session_length(client, settings):
    settings.STAFF_SESSION_IDLE_SECONDS = 3600
    adopter_account()
    assert sign_in(client, "13812345678").status_code == 302
    client.get("/me/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_a_staff_session_idle_too_long_is_signed_out(client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff_member()
    sign_in(client, "chen")
    assert client.get("/staff/").status_code == 200
    # The session row's expiry passes (as if the phone lay untouched past the idle time).
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_the_idle_clock_restarts_at_most_once_a_minute(client):
    from django.contrib.sessions.models import Session

    from registry.security import STAFF_SEEN_KEY

    staff_member()
    sign_in(client, "chen")
    client.get("/staff/")
    first = Session.objects.get().expire_date
    client.get("/staff/")
    assert Session.objects.get().expire_date == first  # seconds later: not written again
    seen = client.session[STAFF_SEEN_KEY]
    session = client.session
    session[STAFF_SEEN_KEY] = seen - 61  # as if the last refresh were a minute ago
    session.save()
    client.get("/staff/")
    assert client.session[STAFF_SEEN_KEY] >= seen  # refreshed: written again, the clock restarted
    assert Session.objects.get().expire_date >= first


# --- Through the proxy; the per-account ceiling (issue 14) -------------------------------------

def via_proxy(client, username, password=PASSWORD, forwarded="198.51.100.1", path=LOGIN):
    return client.post(path, {"username": username, "password": password},
                       REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_behind_the_proxy_bad_passwords_from_a_do_not_stop_the_right_one_from_b(client, settings, path):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    user = staff_member()
    user.is_staff = True
    user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = via_proxy(client, "chen", "wrong-password", forwarded="203.0.113.66", path=path)
    assert response.status_code == 429  # address A is locked out of this account…
    assert via_proxy(client.__class__(), "chen", forwarded="203.0.113.66", path=path).status_code == 429
    # …and the real user at address B, behind the same proxy, signs in
    assert via_proxy(client.__class__(), "chen", forwarded="198.51.100.1", path=path).status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    staff_member()
    for number in range(settings.AXES_FAILURE_LIMIT):  # a new "client" each time, but not from the proxy
        response = client.post(LOGIN, {"username": "chen", "password": "wrong"}, REMOTE_ADDR="203.0.113.66",
                               HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert response.status_code == 429
    assert client.post(LOGIN, {"username": "chen", "password": PASSWORD}, REMOTE_ADDR="203.0.113.66",
                       HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def english():
    """Another browser (its own cookies), reading English."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def seconds_pass(seconds):
    """As if ``seconds`` had passed since every recorded failure (django-axes' own rows)."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(seconds=seconds))


@pytest.mark.django_db
def test_many_addresses_together_slow_the_account_down_but_do_not_lock_it(client, settings):
    settings.ACCOUNT_FAILURE_CEILING = 6
    staff_member()
    for address in ["10.0.1.1", "10.0.1.2"]:  # 2 × 3 failures: below each address's own limit
        for _ in range(3):
            assert sign_in(english(), "chen", "wrong", ip=address).status_code == 200
    # the ceiling is reached: a third address, even with the right password, is asked to wait 5 s
    # (counted from the last failure: a slow machine has spent a second or two on the sign-ins since)
    slowed = sign_in(english(), "chen", ip="10.0.1.3")
    assert slowed.status_code == 429 and re.search(r"slowed down. Try again in [2-5] seconds.", slowed.content.decode())
    seconds_pass(5)
    assert sign_in(english(), "chen", "wrong", ip="10.0.1.4").status_code == 200  # allowed, fails
    slowed = sign_in(english(), "chen", ip="10.0.1.3")  # the wait doubled: 10 s
    assert slowed.status_code == 429 and re.search(r"Try again in (10|9|8|7) seconds.", slowed.content.decode())
    assert AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"] == 7  # waiting is not counted
    seconds_pass(10)
    assert sign_in(english(), "chen", ip="10.0.1.3").status_code == 302  # the real user gets in


@pytest.mark.django_db
def test_the_back_off_never_waits_longer_than_its_cap(settings):
    settings.ACCOUNT_FAILURE_CEILING, settings.ACCOUNT_BACKOFF_MAX_SECONDS = 6, 300
    for number in range(20):
        AccessAttempt.objects.create(username="chen", ip_address=f"10.0.2.{number}", user_agent="", http_accept="",
                                     path_info=LOGIN, get_data="", post_data="", failures_since_start=5)
    assert 299 <= account_backoff_seconds("chen") <= 300
    assert account_backoff_seconds("wang") == 0
