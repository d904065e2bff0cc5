"""``/favicon.ico``: browsers ask for it at the site root whatever the page links, so it is served here
(a 404 on every page otherwise). The icon itself is a static file (``static/favicon.ico``, drawn by
``scripts/make_icons.py``); pages also link it and the PNG icons from ``templates/base.html``."""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


def _icon_bytes() -> bytes:
    if staticfiles_storage.exists("favicon.ico"):  # collected (production)
        with staticfiles_storage.open("favicon.ico") as icon:
            return icon.read()
    found = finders.find("favicon.ico")  # the source tree (development, tests)
    if not found:
        raise Http404
    with open(found, "rb") as icon:
        return icon.read()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    return HttpResponse(_icon_bytes(), content_type="image/x-icon")


urlpatterns = [path("favicon.ico", favicon, name="favicon")]
