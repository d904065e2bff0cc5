"""Sign-up, sign-in, e-mail confirmation and applying to adopt an asset.

Views are thin: forms check shape, ``adoption.accounts`` and ``adoption.operations``
decide and write. Sign-up, sign-in and applications are rate-limited per IP (and applications per
account) through django-ratelimit on Django's default cache; a limited request gets the form back
with a message and status 429, and nothing is written.

About that cache: the default is Django's local-memory cache, so each server process counts on
its own (N processes allow N times the rate). That still stops a script hammering one process;
a deployment with several processes should point CACHES at memcached or Redis. django-ratelimit
is used as a library and not installed as an app, so its system check (which rejects LocMemCache
outright) does not run.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from adoption.accounts import confirm_email, register_adopter
from adoption.forms import PRIVACY_NOTICE_VERSION, ApplyForm, LoginForm, SignUpForm
from adoption.operations import apply_for_adoption
from adoption.queries import looking_for_adopter, may_decide_adoptions, with_adoption_state
from registry.forms import add_operation_errors
from registry.queries import visible_assets

SIGN_UP_RATE_PER_IP = "5/h"
LOGIN_RATE_PER_IP = "30/h"
APPLY_RATE_PER_ACCOUNT = "10/d"
APPLY_RATE_PER_IP = "20/h"
TOO_MANY = 429
LOOKING_PAGE_SIZE = 50


@require_safe
def looking_for_adopters(request):
    """The header's "Adopt a plot": the plots and assets looking for an adopter, with the way to
    adopt one — sign up (or sign in), then apply from its page — one step further."""
    assets = (looking_for_adopter(visible_assets(request.user))
              .defer("geometry", "geometry_webmercator", "location_webmercator")
              .order_by("street__code", "community__code", "name_zh", "pk"))
    page = Paginator(assets, LOOKING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "adoption/looking.html", {
        "page": page, "is_adopter": request.user.is_authenticated and hasattr(request.user, "adopter"),
    })


def refused(request, message, status=403):
    """A page saying why the request was refused (no asset or adoption is changed)."""
    return render(request, "adoption/refused.html", {"message": message}, status=status)


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def too_many_attempts(form):
    form.add_error(None, _("Too many attempts from here. Please wait a while and try again."))


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=SIGN_UP_RATE_PER_IP, method="POST", block=False)
def sign_up(request):
    """``/adopt/``: become an adopter. On success the new account is signed in and sent on to ``next``."""
    if request.user.is_authenticated:
        messages.info(request, _("You are already signed in."))
        return redirect(_safe_next(request) or "adopter-dashboard")
    form = SignUpForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            too_many_attempts(form)
            status = TOO_MANY
        elif form.is_valid():
            try:
                adopter = register_adopter(**form.registration())
            except ValidationError as error:
                add_operation_errors(form, error)
            else:
                login(request, adopter.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome, %(name)s. Your adopter account is ready.")
                                 % {"name": adopter.display_name})
                return redirect(_safe_next(request) or "adopter-dashboard")
        if form.caught_bot:
            status = 400
    return render(request, "adoption/sign_up.html", {"form": form, "next": _safe_next(request),
                                                     "privacy_version": PRIVACY_NOTICE_VERSION}, status=status)


@method_decorator(ratelimit(key="ip", rate=LOGIN_RATE_PER_IP, method="POST", block=False), name="post")
class SignInView(LoginView):
    """Sign in with a mobile number (adopters) or user name (staff); adopters land on ``/me/``."""

    authentication_form = LoginForm
    template_name = "adoption/login.html"

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            form = self.get_form()
            too_many_attempts(form)
            return self.render_to_response(self.get_context_data(form=form), status=TOO_MANY)
        return super().post(request, *args, **kwargs)

    def get_default_redirect_url(self):
        if hasattr(self.request.user, "adopter"):
            return reverse("adopter-dashboard")
        if may_decide_adoptions(self.request.user):
            return reverse("staff-adoption-queue")
        return "/"


@require_http_methods(["GET", "POST"])
def confirm_email_view(request, token):
    """The link in the confirmation e-mail. GET asks, POST confirms: mail scanners only GET."""
    if request.method == "POST":
        try:
            confirm_email(token=token)
        except ValidationError as error:
            return refused(request, error.messages[0], status=400)
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        return redirect("adopter-dashboard" if request.user.is_authenticated else "login")
    return render(request, "adoption/confirm_email.html", {"token": token})


def _adoptable_asset(request, pk):
    assets = with_adoption_state(visible_assets(request.user)).defer(
        "geometry_webmercator", "location_webmercator", "street__boundary", "community__boundary")
    return get_object_or_404(assets, pk=pk)


@require_http_methods(["GET", "POST"])
@ratelimit(key="user_or_ip", rate=APPLY_RATE_PER_ACCOUNT, method="POST", block=False)
@ratelimit(key="ip", rate=APPLY_RATE_PER_IP, method="POST", block=False)
def apply(request, pk):
    """``/assets/<id>/adopt/``: apply to adopt. Visitors without an account sign up first and come back."""
    asset = _adoptable_asset(request, pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('adopter-signup')}?next={request.path}")
    if not hasattr(request.user, "adopter"):
        return refused(request, _("Only adopter accounts can apply to adopt. Sign out and sign up as an adopter."))
    form = ApplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            too_many_attempts(form)
            status = TOO_MANY
        elif form.is_valid():
            try:
                apply_for_adoption(actor=request.user, asset=asset, **_application(form.cleaned_data))
            except ValidationError as error:
                add_operation_errors(form, error)
            except PermissionDenied as error:
                return refused(request, str(error))
            else:
                messages.success(request, _("Your application to adopt %(asset)s was sent to the street office.")
                                 % {"asset": asset.display_name})
                return redirect("adopter-dashboard")
        if form.caught_bot:
            status = 400
    return render(request, "adoption/apply.html", {"asset": asset, "form": form,
                                                   "unavailable": _unavailable(asset)}, status=status)


def _unavailable(asset) -> str | None:
    """Why ``asset`` cannot be applied for right now, said before the visitor fills in the form."""
    if not asset.is_adoptable:
        return _("This asset cannot be adopted.")
    if asset.is_adopted:
        return _("This asset already has an adopter.")
    return None


def _application(data) -> dict:
    return {key: data[key] for key in ("first_day", "last_day", "duties", "care_interval_days", "people")}
