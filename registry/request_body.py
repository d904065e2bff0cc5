"""Refuse a form or upload whose body was cut off before the end (the phone lost its signal mid-upload).

When a client disconnects, the server hands Django a body shorter than its Content-Length, and
Django's parsers take whatever arrived: a photo cut in half becomes a shorter file, the last field
keeps the bytes that came. This middleware wraps the body of form posts so that reading past the
end of what arrived raises :class:`BodyCutOff`, a ``MultiPartParserError``: Django answers such a
request 400 and DRF answers a JSON 400, before any view writes a log, a photo or a file. The body
is still parsed lazily, so views may set their own upload handlers first (the import page does).
"""

from io import IOBase

from django.core.handlers.wsgi import LimitedStream
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class BodyCutOff(MultiPartParserError):
    """The request body ended before the length its headers announced."""


class CompleteBody(IOBase):
    """A request body stream that raises BodyCutOff instead of ending early."""

    def __init__(self, stream: LimitedStream):
        self.stream = stream

    def _check(self, data: bytes, size) -> bytes:
        if not data and size != 0 and self.stream._pos < self.stream.limit:
            raise BodyCutOff(_("The upload was cut off before it was complete; nothing was saved. Please try again."))
        return data

    def read(self, size=-1, /):
        return self._check(self.stream.read(size), size)

    def readline(self, size=-1, /):
        return self._check(self.stream.readline(size), size)


class CompleteBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stream = getattr(request, "_stream", None)
        if request.method == "POST" and request.content_type in FORM_TYPES and isinstance(stream, LimitedStream):
            request._stream = CompleteBody(stream)
        return self.get_response(request)
