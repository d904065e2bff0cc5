"""Sending the same thing twice does it once: the pieces every form and API call of that kind share.

A form that changes something people count (care logged, a problem reported) carries a random
key, new each time the form is shown; API clients send theirs as an ``Idempotency-Key`` header.
The operation stores the key with what it wrote and, given a key it has seen, answers with the
first result instead of writing again: a double tap, or a phone retrying after a timeout, costs
nothing. See ``upkeep.operations.log_upkeep`` and ``problems.operations.report_problem``.
"""

import uuid

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_LENGTH = 64


def submission_key_field() -> models.CharField:
    """The model field that keeps the key (blank when none was sent). Its default is the database's too,
    so that code of the previous release, still running during a deploy, can insert without it."""
    return models.CharField(_("submission key"), max_length=KEY_LENGTH, blank=True, default="", db_default="",
                            editable=False)


class SubmissionKeyField(forms.CharField):
    """The form's hidden key. A form shown again with errors keeps its key: nothing was written with it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs.setdefault("initial", lambda: uuid.uuid4().hex)
        super().__init__(**kwargs)


def idempotency_key(request) -> str:
    """The API request's ``Idempotency-Key`` header, or ""."""
    return request.headers.get("Idempotency-Key", "").strip()
