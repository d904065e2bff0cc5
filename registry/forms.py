"""Form helpers every app's pages share."""

from django.core.exceptions import ValidationError


def add_operation_errors(form, error: ValidationError) -> None:
    """Put an operation's ValidationError on ``form``: on its field where the form has one, else on top
    (an operation may name a model field the form does not show)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
