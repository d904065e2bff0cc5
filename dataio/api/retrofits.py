"""``GET /api/v1/retrofits/figures/?street=&from=&to=``: the elevator retrofit programme's figures.

The same figures as the staff programme page (``elevators.figures``), for the district or one
street (``street`` = its code) and the applications accepted in a period (``from``/``to``,
YYYY-MM-DD, both days included). Public: they are counts, which the district publishes.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dataio.api.base import StrictQueryMixin
from elevators.figures import PROGRAMME_START, elevators_figures
from registry.geography import Street

_COUNTS = serializers.DictField(child=serializers.IntegerField())
_DAYS = serializers.DictField(child=serializers.FloatField(allow_null=True))
FIGURES = inline_serializer("RetrofitFigures", {
    "total": serializers.IntegerField(help_text="Retrofits whose application was accepted in the period."),
    "in_service": serializers.IntegerField(),
    "under_construction": serializers.IntegerField(help_text="A planning permit and not yet in service."),
    "by_stage": _COUNTS,
    "median_days": _DAYS,
    "p90_days": _DAYS,
    "cohorts": serializers.DictField(child=_COUNTS, help_text="Per year of application: total, in_service."),
    "custody_modes": _COUNTS,
    "maintenance_compliance": serializers.FloatField(
        allow_null=True, help_text="Share of the elevators in service maintained within 15 days of the period's end."),
    "faults_per_100": serializers.FloatField(allow_null=True,
                                             help_text="Elevator-fault reports in the period per 100 in service."),
    "median_hours_to_fix": serializers.FloatField(allow_null=True),
    "street": serializers.CharField(allow_null=True),
    "from": serializers.DateField(),
    "to": serializers.DateField(),
})


def query_date(request, name: str, default):
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


class RetrofitFiguresView(StrictQueryMixin, APIView):
    permission_classes = [AllowAny]
    query_parameters = {"street", "from", "to"}

    @extend_schema(operation_id="retrofits_figures", responses=FIGURES, parameters=[
        OpenApiParameter("street", OpenApiTypes.STR, description="A street's code; the district when absent."),
        OpenApiParameter("from", OpenApiTypes.DATE, description="Applications accepted on or after this day."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="…and on or before this day (default today)."),
    ])
    def get(self, request):
        code = request.query_params.get("street", "")
        street = Street.objects.defer("boundary").filter(code=code).first() if code else None
        if code and street is None:
            raise ValidationError({"street": [_("No street has the code “%(code)s”.") % {"code": code}]})
        start = query_date(request, "from", PROGRAMME_START)
        end = query_date(request, "to", None)
        if end is not None and end < start:
            raise ValidationError({"to": [_("The end of the period is before its start.")]})
        return Response(elevators_figures(street=street, date_from=start, date_to=end))
