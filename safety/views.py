"""The safety ambassador's page: report a risk in their own community from the phone (/safety/report/).

An ambassador is no staff member: this is the one page their account opens (``registry.access``
grants them ``Action.REPORT_RISK`` in their community and nothing else); no staff navigation.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.http import JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from registry.access import Action, role_allows
from safety import operations, queries
from safety.forms import RiskForm
from safety.queries import ambassador_of
from registry.forms import add_operation_errors


@require_http_methods(["GET", "HEAD", "POST"])
def ambassador_report(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ambassador = ambassador_of(request.user)
    if ambassador is None or not role_allows(request.user, Action.REPORT_RISK):
        raise PermissionDenied
    form, status = RiskForm(request.POST or None, request.FILES or None), 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                operations.raise_risk(actor=request.user, location=form.point(), category=data["category"],
                                      severity=data["severity"], description=data["description"],
                                      photos=data["photos"])
            except ValidationError as error:
                add_operation_errors(form, error)
            except PermissionDenied as error:  # outside their community: the message says where they may
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(request, _("Thank you: the risk was sent to your community's office."))
                return redirect("safety-report")
    return render(request, "safety/ambassador_report.html", {
        "form": form, "ambassador": ambassador,
        "recent": ambassador.risks.order_by("-found_at")[:10]}, status=status)


@require_safe
def published_risks(request):
    """``/safety/risks.geojson``: the open risks of the streets that publish them, for the public map —
    category, severity and place only (no description, photo or reporter)."""
    features = [{
        "type": "Feature", "id": risk.pk,
        "geometry": {"type": "Point", "coordinates": [round(risk.location.x, 6), round(risk.location.y, 6)]},
        "properties": {"category": risk.category, "category_label": risk.get_category_display(),
                       "severity": risk.severity, "severity_label": risk.get_severity_display()},
    } for risk in queries.published_risks()[:5000]]
    response = JsonResponse({"type": "FeatureCollection", "features": features})
    patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Accept-Language"])
    return response
