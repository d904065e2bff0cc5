"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

Chromium is never downloaded (no ``playwright install``): the system binary is launched with
``executable_path``. Tests run offline: every request to a host other than the live server is
recorded and aborted, so a test can both check where the page tried to go and prove that the
page works with no basemap reachable.
"""

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def basemap_host_patterns() -> list[re.Pattern]:
    """Hosts the map may fetch basemap tiles from, from settings.MAP_BASEMAPS ({s} = a subdomain)."""
    patterns = []
    for basemap in settings.MAP_BASEMAPS:
        for key in ("url", "labels_url"):
            if basemap.get(key):
                host = urlsplit(basemap[key].replace("{s}", "SUBDOMAIN")).hostname
                patterns.append(re.compile("^" + re.escape(host).replace("subdomain", "[a-z0-9]+") + "$"))
    return patterns


@dataclass
class RecordedPage:
    """A page plus every URL it requested and every dialog it opened (a dialog means injected script)."""

    page: object
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self, live_server_url: str) -> list[str]:
        local = urlsplit(live_server_url).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != local]


@pytest.fixture(scope="module")
def chromium():
    # Playwright's sync API keeps an asyncio event loop running on the main thread for as long as
    # it is started, and Django refuses database calls from a thread with a running loop. The
    # tests' own database work (fixtures, the transactional flush) is plain synchronous code, so
    # it is allowed while the browser is open: one module at a time, so that neither the loop nor
    # the variable outlives the browser tests (check --deploy in a later test would see it).
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(locale="zh-CN", **context_options)`` → a RecordedPage in a fresh browser context.

    The context's locale sets Accept-Language, which is how the site picks its language.
    Requests to any host but the live server are recorded, then aborted (offline).
    """
    contexts = []
    local = urlsplit(live_server.url).netloc

    def open_(locale="zh-CN", **options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = chromium.new_context(locale=locale, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        context.route(lambda url: urlsplit(url).netloc != local and urlsplit(url).scheme in ("http", "https"),
                      lambda route: route.abort("internetdisconnected"))
        page = context.new_page()
        recorded = RecordedPage(page)
        page.on("request", lambda request: recorded.requests.append(request.url))
        page.on("dialog", lambda dialog: (recorded.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: recorded.errors.append(str(error)))
        return recorded

    yield open_
    for context in contexts:
        context.close()
