"""The client's address (registry/client_address.py): X-Forwarded-For only from a trusted proxy."""

import pytest
from django.test import RequestFactory

from registry.client_address import client_address

PROXY = "127.0.0.1"


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.8.0.0/16"]


def test_a_forged_header_from_a_non_proxy_address_is_ignored():
    assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert address("203.0.113.7", "127.0.0.1") == "203.0.113.7"


def test_nobody_is_trusted_when_no_proxy_is_configured(settings):
    settings.TRUSTED_PROXIES = []
    assert address(PROXY, "198.51.100.1") == PROXY


def test_through_the_proxy_the_forwarded_client_is_the_address():
    assert address(PROXY, "198.51.100.1") == "198.51.100.1"
    assert address(PROXY, "2001:db8::7") == "2001:db8::7"
    assert address(PROXY) == PROXY  # no header: the proxy itself is all we know


def test_what_the_client_wrote_left_of_the_proxys_entry_is_never_reached():
    # the client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the address it saw
    assert address(PROXY, "1.2.3.4, 198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert address(PROXY, "1.2.3.4, 198.51.100.1, 10.8.3.4") == "198.51.100.1"
    assert address(PROXY, "garbage, 10.8.3.4") == "10.8.3.4"  # nearest hop we can vouch for
    assert address(PROXY, "198.51.100.1:51234") == "198.51.100.1"
    assert address(PROXY, "[2001:db8::7]:443") == "2001:db8::7"


def test_settings_may_be_a_comma_separated_string(settings):
    settings.TRUSTED_PROXIES = "127.0.0.1, 10.8.0.0/16"
    assert address("10.8.1.1", "198.51.100.1") == "198.51.100.1"
