"""Who the data commands act as: the user named by ``--user``, else the first active superuser."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def named_or_first_superuser(username: str | None, *, no_superuser: str):
    """The user ``username``, or without one the first active superuser; CommandError when there is none
    (``no_superuser`` says what to do instead)."""
    users = get_user_model().objects
    user = (users.filter(username=username) if username
            else users.filter(is_superuser=True, is_active=True).order_by("pk")).first()
    if user is None:
        raise CommandError(f"No user {username!r}." if username else no_superuser)
    return user
