"""docs/deployment.md's nginx block and TRUSTED_PROXIES agree (issue 14): the address gunicorn sees
nginx come from is the trusted proxy, and nginx sets the header the registry reads."""

import re
from pathlib import Path

from django.test import RequestFactory

from registry.client_address import client_address

DEPLOYMENT = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()


def test_the_documented_nginx_sets_the_header_from_the_trusted_proxy(settings):
    trusted = re.search(r"^TRUSTED_PROXIES=(\S+)", DEPLOYMENT, re.M).group(1)
    bind = re.search(r"--bind (\d+\.\d+\.\d+\.\d+):\d+", DEPLOYMENT).group(1)  # gunicorn, nginx on this host
    assert re.search(r"upstream registry \{ server " + re.escape(bind), DEPLOYMENT)
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in DEPLOYMENT
    settings.TRUSTED_PROXIES = trusted.split(",")
    request = RequestFactory().get("/", REMOTE_ADDR=bind, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_every_address_consumer_uses_the_one_function(settings):
    assert settings.RATELIMIT_IP_META_KEY == settings.AXES_CLIENT_IP_CALLABLE == \
        "registry.client_address.client_address"
    assert "config.middleware.ClientAddressMiddleware" in settings.MIDDLEWARE
