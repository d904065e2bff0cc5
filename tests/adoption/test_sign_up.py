"""Sign-up at /adopt/: fields per adopter kind, real credit codes and mobiles, consent, honeypot, rate limit,
e-mail confirmation, and signing in with the mobile number."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from adoption.forms import PRIVACY_NOTICE_VERSION
from adoption.models import Adopter, AdopterProfile
from adoption.views import SIGN_UP_RATE_PER_IP
from registry.audit import AuditEntry
from tests.adoption.conftest import ALIBABA, PASSWORD, TENCENT, make_adopter

pytestmark = pytest.mark.django_db
URL = "/adopt/"


def enterprise(**changes):
    data = {"kind": "enterprise", "organisation_name": "荔湾花木有限公司", "credit_code": TENCENT,
            "contact_person": "陈小明", "mobile": "+86 138-1234-5678", "email": "chen@example.com",
            "password1": PASSWORD, "password2": PASSWORD, "consent": "on", "website": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def volunteer(**changes):
    data = {"kind": "volunteer", "person_name": "李志红", "public_name": "", "mobile": "13912345678",
            "password1": PASSWORD, "password2": PASSWORD, "consent": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def nothing_written():
    return not Adopter.objects.exists() and not get_user_model().objects.exists()


def test_the_form_names_the_kinds_and_shows_the_privacy_notice(client):
    page = client.get(URL).content.decode()
    for text in ("enterprise", "party-building co-building unit", "veteran", "volunteer", "resident"):
        assert text in page
    assert f"Privacy notice (version {PRIVACY_NOTICE_VERSION})" in page
    assert "mobile number masked (138****1234)" in page
    assert "never appear on public pages" in page
    assert "<script>" not in page.replace('<script src=', '')  # no inline script


def test_an_enterprise_signs_up_with_a_real_credit_code_and_is_signed_in(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, enterprise(credit_code=TENCENT.lower()))
    assert response.status_code == 302 and response["Location"] == "/me/"
    adopter = Adopter.objects.get()
    assert (adopter.kind, adopter.display_name, adopter.contact_person) == ("enterprise", "荔湾花木有限公司", "陈小明")
    assert adopter.credit_code == TENCENT and adopter.mobile == "13812345678"
    assert adopter.user.username == "13812345678" and adopter.user.check_password(PASSWORD)
    assert adopter.profile.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert not adopter.profile.email_is_confirmed
    assert client.get("/me/").status_code == 200  # signed in
    entry = AuditEntry.objects.get(action="adopter.register")
    assert "13812345678" not in str(entry.changes)  # contact details stay out of the history
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["chen@example.com"]
    assert "/adopt/confirm/" in mailoutbox[0].body


def test_a_volunteer_gives_a_name_and_no_credit_code(client):
    response = client.post(URL, volunteer(public_name="红姐"))
    assert response.status_code == 302
    adopter = Adopter.objects.get()
    assert (adopter.kind, adopter.display_name, adopter.contact_person, adopter.credit_code) == (
        "volunteer", "红姐", "李志红", "")


def test_a_persons_public_name_defaults_to_their_name(client):
    client.post(URL, volunteer(kind="veteran"))
    assert Adopter.objects.get().display_name == "李志红"


@pytest.mark.parametrize("code, message", [
    ("9144030071526726XA", "check character"),      # last character changed
    ("9144030071526727XG", "check character"),      # one digit changed
    ("91440300715267", "18 characters"),
    ("91440300715267I6XG", "capital letters"),      # I is not in the alphabet
])
def test_bad_credit_codes_are_refused_with_their_reason(client, code, message):
    response = client.post(URL, enterprise(credit_code=code))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "02081234567", "1381234567a"])
def test_bad_mobiles_are_refused(client, number):
    response = client.post(URL, enterprise(mobile=number))
    assert "Enter a mainland China mobile number" in response.content.decode()
    assert nothing_written()


@pytest.mark.parametrize("kind, missing, message", [
    ("enterprise", "credit_code", "Organisations must give their unified social credit code."),
    ("party_unit", "credit_code", "Organisations must give their unified social credit code."),
    ("social_org", "organisation_name", "Enter the name of the organisation or shop."),
    ("enterprise", "contact_person", "Enter the name of a contact person."),
    ("shop", "organisation_name", "Enter the name of the organisation or shop."),
])
def test_organisations_must_give_what_their_kind_needs(client, kind, missing, message):
    response = client.post(URL, enterprise(kind=kind, **{missing: ""}))
    assert message in response.content.decode()
    assert nothing_written()


def test_a_shop_may_leave_out_its_credit_code(client):
    assert client.post(URL, enterprise(kind="shop", credit_code="")).status_code == 302
    assert Adopter.objects.get().credit_code == ""


@pytest.mark.parametrize("kind", ["veteran", "volunteer", "resident"])
def test_people_must_give_their_name(client, kind):
    response = client.post(URL, volunteer(kind=kind, person_name=""))
    assert "Enter your name." in response.content.decode()
    assert nothing_written()


def test_no_consent_no_account(client):
    response = client.post(URL, enterprise(consent=None))
    assert "Please agree to the privacy notice to sign up." in response.content.decode()
    assert nothing_written()


def test_passwords_must_match_and_be_strong(client):
    assert "The two passwords differ." in client.post(URL, enterprise(password2="other")).content.decode()
    weak = client.post(URL, enterprise(password1="12345678", password2="12345678")).content.decode()
    assert "This password is too common." in weak and "field-password1 has-error" in weak
    assert nothing_written()


def test_a_mobile_or_credit_code_already_registered_is_refused(client):
    make_adopter(mobile="13812345678", credit_code=ALIBABA)
    response = client.post(URL, enterprise(credit_code=TENCENT))
    assert "An account with this mobile number already exists." in response.content.decode()
    response = client.post(URL, enterprise(mobile="13900001111", credit_code=ALIBABA))
    assert "already registered" in response.content.decode()
    assert Adopter.objects.count() == 1


def test_the_honeypot_turns_bots_away(client):
    response = client.post(URL, enterprise(website="http://spam.example"))
    assert response.status_code == 400
    assert nothing_written()


def test_sign_up_is_rate_limited_per_ip(client):
    limit = int(SIGN_UP_RATE_PER_IP.split("/")[0])
    for attempt in range(limit):
        client.post(URL, volunteer(mobile=f"1391234{attempt:04d}"), REMOTE_ADDR="203.0.113.9")
        client.logout()
    response = client.post(URL, volunteer(mobile="13700000000"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Adopter.objects.count() == limit
    # another address is not affected
    assert client.post(URL, volunteer(mobile="13700000000"), REMOTE_ADDR="198.51.100.7").status_code == 302


def test_next_brings_the_new_adopter_back_but_never_off_site(client):
    response = client.post(URL + "?next=/assets/1/adopt/", {**enterprise(), "next": "/assets/1/adopt/"})
    assert response["Location"] == "/assets/1/adopt/"
    client.logout()
    response = client.post(URL, {**volunteer(), "next": "https://evil.example/"})
    assert response["Location"] == "/me/"


def test_the_emailed_link_confirms_the_address(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, enterprise())
    link = re.search(r"http://[^\s]+/adopt/confirm/[^\s]+/", mailoutbox[0].body).group(0)
    path = link.split("8000", 1)[1] if "8000" in link else link
    assert client.get(path).status_code == 200  # asks first: mail scanners only GET
    assert not AdopterProfile.objects.get().email_is_confirmed
    assert client.post(path).status_code == 302
    assert AdopterProfile.objects.get().email_is_confirmed


def test_a_tampered_or_stale_confirmation_link_is_refused(client, django_capture_on_commit_callbacks):
    from adoption.accounts import confirmation_token

    adopter = make_adopter(email="chen@example.com")
    token = confirmation_token(adopter)
    response = client.post(reverse("adopter-confirm-email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400 and "invalid or has expired" in response.content.decode()
    adopter.email = "new@example.com"
    adopter.save()
    assert client.post(reverse("adopter-confirm-email", args=[token])).status_code == 400
    assert not AdopterProfile.objects.get().email_is_confirmed


@pytest.mark.parametrize("typed", ["13812345678", "+86 138 1234 5678", "138-1234-5678"])
def test_adopters_sign_in_with_their_mobile_typed_any_way(client, typed):
    make_adopter(mobile="13812345678")
    response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/"


def test_wrong_password_is_refused(client):
    make_adopter(mobile="13812345678")
    response = client.post("/accounts/login/", {"username": "13812345678", "password": "nope"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_sign_up_page_reads_in_chinese_by_default(client):
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="zh-hans"' in page
