"""API errors: Django's ValidationError (raised by operations and shared filters) becomes a 400 with its
messages, PermissionDenied a 403; anything DRF knows keeps its own answer. Never a 500 for bad input."""

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc.args[0]))
    return drf_exception_handler(exc, context)
