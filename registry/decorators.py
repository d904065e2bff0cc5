"""View decorators that apply ``registry.access`` at a page's door, for every app's staff pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from registry.access import is_staff_member, role_allows


def staff_required(view=None, *, action=None):
    """Signed-in staff members only (and, with ``action``, roles allowed it): others sign in or get 403."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(request.user) or (action and not role_allows(request.user, action)):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapper
    return decorate(view) if view else decorate
