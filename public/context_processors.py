"""What the site header needs on every page: which of the user's areas to link to."""

from registry.access import is_staff_member


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_is_staff": signed_in and is_staff_member(user),
        "nav_is_adopter": signed_in and hasattr(user, "adopter"),
    }
