"""The adopter's own pages under ``/me/``: dashboard, care logs, certificate, details, withdraw/end/renew.

Every page works on the signed-in adopter's own rows: adoptions are looked up among
``adoptions_of(adopter)`` (someone else's id is a 404), and care is logged through
``log_upkeep``, which accepts only the asset's current adopter (or staff).
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from adoption.accounts import email_unconfirmed, send_confirmation, update_adopter_details
from adoption.forms import CareForm, DetailsForm, RenewForm
from adoption.models import AdoptionStatus, Notice
from adoption.notices import notice_text
from adoption.operations import end_adoption, request_renewal, withdraw_application
from adoption.queries import adoptions_of, group_adoptions, volunteer_hours
from adoption.views import refused
from registry.access import upkeep_performer
from registry.forms import add_operation_errors
from registry.queries import visible_assets
from upkeep.operations import AlreadySubmitted, log_upkeep

NOTICE_LIMIT = 20


def adopter_required(view):
    """Signed in (else to the sign-in page) and an adopter (else a page saying so)."""
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        adopter = getattr(request.user, "adopter", None)
        if adopter is None:
            return refused(request, _("This account is not an adopter account."))
        return view(request, adopter, *args, **kwargs)
    return wrapped


def _my_adoption(adopter, pk):
    return get_object_or_404(adoptions_of(adopter), pk=pk)


@require_safe
@adopter_required
def dashboard(request, adopter):
    today = timezone.localdate()
    notices = list(Notice.objects.filter(adopter=adopter).select_related("adoption__asset")[:NOTICE_LIMIT])
    Notice.objects.filter(pk__in=[n.pk for n in notices if n.read_at is None]).update(read_at=timezone.now())
    return render(request, "adoption/dashboard.html", {
        "adopter": adopter,
        "groups": group_adoptions(adoptions_of(adopter), today),
        "hours": volunteer_hours(adopter),
        "notices": [(notice, notice_text(notice)) for notice in notices],
        "email_unconfirmed": email_unconfirmed(adopter),
        "today": today,
    })


def _performed_at(day: datetime.date) -> datetime.datetime:
    """When a care session on ``day`` happened: now if today, else midday (the form asks for the date only)."""
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@require_http_methods(["GET", "POST"])
@adopter_required
def log_care(request, adopter, asset_pk):
    """Log care on an asset I currently adopt, with photos; it shows on the asset page credited to me."""
    asset = get_object_or_404(visible_assets(request.user).defer("geometry_webmercator", "location_webmercator"),
                              pk=asset_pk)
    try:
        upkeep_performer(request.user, asset)
    except PermissionDenied as error:
        return refused(request, str(error))
    form = CareForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            log_upkeep(actor=request.user, asset=asset, action=data["action"], performed_at=_performed_at(data["day"]),
                       notes=data["notes"], duration_minutes=round(data["hours"] * 60),
                       participants=data["participants"], photos=data["photos"],
                       submission_key=data["submission_key"])
        except AlreadySubmitted:
            pass  # the same form sent twice: the first time recorded the work
        except ValidationError as error:
            add_operation_errors(form, error)
        except PermissionDenied as error:
            return refused(request, str(error))
        if not form.errors:
            messages.success(request, _("Thank you! Your care work on %(asset)s is recorded.")
                             % {"asset": asset.display_name})
            return redirect("adopter-dashboard")
    return render(request, "adoption/log_care.html", {"asset": asset, "form": form})


@require_safe
@adopter_required
def certificate(request, adopter, pk):
    """A printable adoption certificate (认领证书) for an approved (or since ended) adoption."""
    adoption = get_object_or_404(adoptions_of(adopter).select_related("asset__street").defer("asset__street__boundary"),
                                 pk=pk, status__in=[AdoptionStatus.APPROVED, AdoptionStatus.ENDED])
    return render(request, "adoption/certificate.html", {
        "adopter": adopter, "adoption": adoption, "asset": adoption.asset, "last_day": adoption.last_day,
        "number": f"LW-{adoption.period.lower:%Y}-{adoption.pk:06d}",
        "street_name": adoption.asset.street.display_name if adoption.asset.street_id else "",
        "kind_in_name": name_says_kind(adoption.asset),
    })


def name_says_kind(asset) -> bool:
    """Whether the asset's name already ends with its kind ("多宝路26号认领绿地", "Lizhiwan green plot"):
    the certificate then does not say the kind a second time."""
    return asset.display_name.strip().casefold().endswith(str(asset.get_kind_display()).casefold())


@require_http_methods(["GET", "POST"])
@adopter_required
def details(request, adopter):
    """Edit my details. The adopter kind is fixed: a different kind is a different adopter."""
    initial = {name: getattr(adopter, name) for name in ("display_name", "contact_person", "mobile", "email",
                                                          "credit_code")}
    form = DetailsForm(request.POST or None, adopter=adopter, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_adopter_details(actor=request.user, adopter=adopter, **form.cleaned_data)
        except ValidationError as error:
            add_operation_errors(form, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("adopter-dashboard")
    return render(request, "adoption/details.html", {"form": form, "adopter": adopter})


@require_POST
@adopter_required
def resend_confirmation(request, adopter):
    if email_unconfirmed(adopter):
        send_confirmation(adopter)
        messages.info(request, _("We sent a new confirmation link to %(email)s.") % {"email": adopter.email})
    return redirect("adopter-dashboard")


def _confirmed_change(request, adopter, pk, *, operation, template, done):
    """GET: a page asking to confirm; POST: do it. Shared by withdraw and end."""
    adoption = _my_adoption(adopter, pk)
    if request.method == "POST":
        try:
            operation(actor=request.user, adoption=adoption)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, done % {"asset": adoption.asset.display_name})
        return redirect("adopter-dashboard")
    return render(request, template, {"adoption": adoption, "last_day": adoption.last_day})


@require_http_methods(["GET", "POST"])
@adopter_required
def withdraw(request, adopter, pk):
    return _confirmed_change(request, adopter, pk, operation=withdraw_application,
                             template="adoption/confirm_withdraw.html",
                             done=_("Your application to adopt %(asset)s is withdrawn."))


@require_http_methods(["GET", "POST"])
@adopter_required
def end(request, adopter, pk):
    return _confirmed_change(request, adopter, pk, operation=end_adoption, template="adoption/confirm_end.html",
                             done=_("Your adoption of %(asset)s has ended. Thank you for your care!"))


@require_http_methods(["GET", "POST"])
@adopter_required
def renew(request, adopter, pk):
    """Ask to keep an asset after the current adoption: a new application from the day after it ends."""
    adoption = _my_adoption(adopter, pk)
    last_day = adoption.last_day
    form = RenewForm(request.POST or None, initial={"last_day": last_day + datetime.timedelta(days=365)})
    if request.method == "POST" and form.is_valid():
        try:
            request_renewal(actor=request.user, adoption=adoption, last_day=form.cleaned_data["last_day"])
        except ValidationError as error:
            add_operation_errors(form, error)
        except PermissionDenied as error:
            return refused(request, str(error))
        else:
            messages.success(request, _("Your request to renew the adoption of %(asset)s was sent to the street "
                                        "office.") % {"asset": adoption.asset.display_name})
            return redirect("adopter-dashboard")
    return render(request, "adoption/renew.html", {"adoption": adoption, "last_day": last_day, "form": form})
