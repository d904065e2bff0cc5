"""``GET /api/v1/consultation/figures/?street=&community=&from=&to=``: the execution rate of
consultation resolutions (``consultation.figures``) for the district, a street (its code) or a
community (its code), over the meetings held in a period (YYYY-MM-DD, both days included).
Public: they are counts, which the district publishes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from consultation.figures import consultation_figures
from dataio.api.base import StrictQueryMixin
from dataio.api.retrofits import query_date
from registry.geography import Community, Street

def _counts() -> dict:
    return {
        "formed": serializers.IntegerField(help_text="Resolutions the meetings adopted."),
        "executed": serializers.IntegerField(),
        "in_progress": serializers.IntegerField(),
        "adopted": serializers.IntegerField(help_text="Adopted, not yet being carried out."),
        "not_feasible": serializers.IntegerField(help_text="Counted as not executed, shown apart."),
        "rejected": serializers.IntegerField(help_text="Not adopted by the meeting; not in `formed`."),
        "overdue": serializers.IntegerField(help_text="Open and past their due date today."),
        "execution_rate": serializers.FloatField(
            allow_null=True, help_text="executed ÷ formed, a fraction; null when nothing was formed."),
    }


_AREA = inline_serializer("ConsultationAreaFigures", {
    "code": serializers.CharField(), "name_zh": serializers.CharField(), **_counts()}, many=True)
_COMMUNITY = inline_serializer("ConsultationCommunityFigures", {
    "code": serializers.CharField(), "name_zh": serializers.CharField(), "street": serializers.CharField(),
    **_counts()}, many=True)
FIGURES = inline_serializer("ConsultationFigures", {
    **_counts(),
    "street": serializers.CharField(allow_null=True),
    "community": serializers.CharField(allow_null=True),
    "from": serializers.DateField(allow_null=True),
    "to": serializers.DateField(allow_null=True),
    "streets": _AREA,
    "communities": _COMMUNITY,
})


def _area(model, code: str, name: str):
    if not code:
        return None
    found = model.objects.defer("boundary").filter(code=code).first()
    if found is None:
        raise ValidationError({name: [_("No %(area)s has the code “%(code)s”.")
                                      % {"area": model._meta.verbose_name, "code": code}]})
    return found


class ConsultationFiguresView(StrictQueryMixin, APIView):
    permission_classes = [AllowAny]
    query_parameters = {"street", "community", "from", "to"}

    @extend_schema(operation_id="consultation_figures", responses=FIGURES, parameters=[
        OpenApiParameter("street", OpenApiTypes.STR, description="A street's code; the district when absent."),
        OpenApiParameter("community", OpenApiTypes.STR, description="A community's code."),
        OpenApiParameter("from", OpenApiTypes.DATE, description="Meetings held on or after this day."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="…and on or before this day."),
    ])
    def get(self, request):
        params = request.query_params
        street = _area(Street, params.get("street", ""), "street")
        community = _area(Community, params.get("community", ""), "community")
        start, end = query_date(request, "from", None), query_date(request, "to", None)
        if start and end and end < start:
            raise ValidationError({"to": [_("The end of the period is before its start.")]})
        if street and community and community.street_id != street.pk:
            raise ValidationError({"community": [_("This community is not in that street.")]})
        return Response(consultation_figures(street=street, community=community, date_from=start, date_to=end))
