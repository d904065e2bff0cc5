"""The server-error answer (``handler500``): "try again shortly" while the database is away.

While PostgreSQL restarts or fails over, every request that needs it fails. That is not a bug
in the request, and clients (the phone workbench, the mini-programs using the API) should retry:
so a failure to reach the database is a **503 Service Unavailable** with ``Retry-After``, and
any other uncaught error stays a 500. Django calls this view inside its exception handling, so
``sys.exc_info()`` is the error being answered. The page is rendered without the request's
context processors: they may need the very database that is away.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

#: Seconds a client should wait before retrying (a PostgreSQL restart takes a few).
RETRY_AFTER_SECONDS = 10
#: Paths answered in JSON: machine clients.
JSON_PREFIXES = ("/api/", "/ogc/", "/tiles/")


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` is the database driver failing to reach or keep its connection."""
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request) -> HttpResponse:
    unavailable = database_unreachable(sys.exc_info()[1])
    if unavailable:
        status, title = 503, _("Temporarily unavailable")
        message = _("The registry’s database cannot be reached right now. Please try again in a few seconds.")
    else:
        status, title = 500, _("Server error")
        message = _("Something went wrong on our side and it has been logged. Please try again later.")
    if request.path.startswith(JSON_PREFIXES):
        response = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(render_to_string("500.html", {"title": title, "message": message}), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
