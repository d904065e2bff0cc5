"""Form pieces shared by every page that logs care work (the staff workbench, the adopter's dashboard)."""

import uuid

from django import forms

from registry.care.models import UpkeepLog


class SubmissionKeyField(forms.CharField):
    """A hidden random key, new each time the form is shown and sent back with it: the same form sent
    twice (a double tap, a retry after a timeout) logs the work once (see ``log_upkeep``). A form
    shown again with errors keeps its key, as nothing was logged with it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", UpkeepLog._meta.get_field("submission_key").max_length)
        kwargs.setdefault("initial", lambda: uuid.uuid4().hex)
        super().__init__(**kwargs)
