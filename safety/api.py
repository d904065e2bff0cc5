"""The REST API of the SITE loop, mounted under /api/v1/safety/ by ``dataio.api.urls``.

* ``/api/v1/safety/risks/`` — the risks of the user's area (staff; a risk's place is not public):
  list (filters ``status``, ``severity``, ``category``, ``street``, ``community``), detail with its
  interventions; ``POST`` records a risk (staff, and a trained ambassador in their community);
  ``POST …/{id}/interventions/`` plans one; ``POST …/{id}/accept/`` accepts the risk.
* ``POST /api/v1/safety/interventions/{id}/close/`` — close with evidence (multipart ``photos``).
* ``GET /api/v1/safety/figures/?street=&community=&from=&to=`` — the evaluation indicators
  (``safety.figures.safety_figures``), public: counts, no places.
* ``/api/v1/safety/evaluations/`` — the evaluations of the streets the user runs.

Writing calls :mod:`safety.operations`: their ``ValidationError`` and ``PermissionDenied`` become 400
and 403 (``dataio.api.errors``, the project's DRF exception handler).
"""

import datetime

from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from registry.access import managed_scope
from registry.geography import Community, Street
from safety import operations, queries
from safety.figures import safety_figures
from safety.models import Evaluation, Intervention, Risk, RiskCategory, RiskSource, RiskStatus, Severity
from upkeep.models import UpkeepLog

COMMON_PARAMETERS = {"limit", "offset", "format"}


def refuse_unknown_parameters(request, known: set) -> None:
    unknown = sorted(set(request.query_params) - known - COMMON_PARAMETERS)
    if unknown:
        raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                          % {"names": ", ".join(unknown),
                                             "known": ", ".join(sorted(known | COMMON_PARAMETERS))}]})


class StrictSerializer(serializers.Serializer):
    """A write body that refuses fields it does not declare."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in unknown})
        return attrs


class InterventionSerializer(serializers.ModelSerializer):
    photos = serializers.IntegerField(source="photos.count", read_only=True, help_text="Evidence photos.")

    class Meta:
        model = Intervention
        fields = ("id", "risk", "measure", "responsible", "deadline", "status", "closed_at", "closing_note",
                  "upkeep_log", "escalated_at", "photos")
        read_only_fields = fields


class RiskSerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.code", read_only=True)
    community = serializers.CharField(source="community.code", read_only=True, default=None)
    grid = serializers.CharField(source="grid.code", read_only=True, default=None)
    lon = serializers.FloatField(source="location.x", read_only=True)
    lat = serializers.FloatField(source="location.y", read_only=True)

    class Meta:
        model = Risk
        fields = ("id", "category", "severity", "source", "status", "description", "street", "community", "grid",
                  "lon", "lat", "asset", "problem_report", "found_at", "removed_at", "accepted_reason")
        read_only_fields = fields


class RiskDetailSerializer(RiskSerializer):
    interventions = InterventionSerializer(many=True, read_only=True)

    class Meta(RiskSerializer.Meta):
        fields = (*RiskSerializer.Meta.fields, "interventions")
        read_only_fields = fields


class RiskCreateSerializer(StrictSerializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    category = serializers.ChoiceField(choices=RiskCategory.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    source = serializers.ChoiceField(choices=RiskSource.choices, default=RiskSource.ROUND)
    description = serializers.CharField(max_length=2000)
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class InterventionCreateSerializer(StrictSerializer):
    measure = serializers.CharField(max_length=2000)
    responsible = serializers.CharField(max_length=200)
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                         help_text="Default: the risk's severity's deadline (settings).")


class AcceptSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class CloseSerializer(StrictSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    upkeep_log = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="An upkeep log of the risk's asset, as evidence instead of photos.")


class SignedIn(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated


class RiskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  viewsets.GenericViewSet):
    """Risks of the user's area: list, detail, record; plan an intervention; accept."""

    permission_classes = [SignedIn]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Risk.objects.none()
    list_parameters = {"status", "severity", "category", "street", "community"}

    def get_serializer_class(self):
        return RiskDetailSerializer if self.action == "retrieve" else RiskSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        refuse_unknown_parameters(request, self.list_parameters if self.action == "list" else set())

    def get_queryset(self):
        risks = queries.risks_for(self.request.user).defer("street__boundary", "community__boundary",
                                                           "grid__boundary")
        if self.action == "retrieve":
            return risks.prefetch_related("interventions")
        if self.action == "list":
            params = self.request.query_params
            for name, values in (("status", RiskStatus.values), ("severity", Severity.values),
                                 ("category", RiskCategory.values)):
                value = params.get(name, "")
                if value and value not in values:
                    raise ValidationError({name: [_("Choose one of: %(values)s.") % {"values": ", ".join(values)}]})
                if value:
                    risks = risks.filter(**{name: value})
            if params.get("street"):
                risks = risks.filter(street__code=params["street"])
            if params.get("community"):
                risks = risks.filter(community__code=params["community"])
        return risks.order_by("-found_at", "-id")

    @extend_schema(parameters=[
        OpenApiParameter("status", str, description="One of: " + ", ".join(RiskStatus.values)),
        OpenApiParameter("severity", str, description="One of: " + ", ".join(Severity.values)),
        OpenApiParameter("category", str, description="One of: " + ", ".join(RiskCategory.values)),
        OpenApiParameter("street", str, description="A street's code."),
        OpenApiParameter("community", str, description="A community's code.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=RiskCreateSerializer, responses={201: RiskSerializer})
    def create(self, request, *args, **kwargs):
        """Record a risk at lon/lat (WGS-84): staff in their area, an ambassador in their own community."""
        body = RiskCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        location = Point(data.pop("lon"), data.pop("lat"), srid=4326)
        risk = operations.raise_risk(actor=request.user, location=location, **data)
        return Response(RiskSerializer(risk).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InterventionCreateSerializer, responses={201: InterventionSerializer})
    @action(detail=True, methods=["post"])
    def interventions(self, request, pk=None):
        """Plan an intervention (deadline before the risk was found: 400)."""
        body = InterventionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        intervention = operations.plan_intervention(actor=request.user, risk=self.get_object(), **body.validated_data)
        return Response(InterventionSerializer(intervention).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AcceptSerializer, responses=RiskSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the risk, with the reason (the street office)."""
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        risk = operations.accept_risk(actor=request.user, risk=self.get_object(), **body.validated_data)
        return Response(RiskSerializer(risk).data)


class InterventionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An intervention of the user's area, and its closing with evidence."""

    permission_classes = [SignedIn]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = InterventionSerializer
    queryset = Intervention.objects.none()

    def get_queryset(self):
        return queries.interventions_for(self.request.user)

    @extend_schema(request={"multipart/form-data": CloseSerializer}, responses=InterventionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close with evidence: multipart ``photos`` (at least one), or ``upkeep_log`` (its id)."""
        data = request.data
        if hasattr(data, "getlist"):
            data = {**{key: data.get(key) for key in data if key != "photos"}, "photos": data.getlist("photos")}
        body = CloseSerializer(data=data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if values["upkeep_log"] is not None:
            values["upkeep_log"] = UpkeepLog.objects.filter(managed_scope(request.user, "asset__"),
                                                            pk=values["upkeep_log"]).first()
            if values["upkeep_log"] is None:
                raise ValidationError({"upkeep_log": [_("No such upkeep log.")]})
        intervention = operations.close_intervention(actor=request.user, intervention=self.get_object(), **values)
        return Response(InterventionSerializer(intervention).data)


class EvaluationSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)
    street = serializers.CharField(source="street.code", read_only=True)
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = ("id", "community", "street", "period_start", "period_end", "checklist_score", "conclusion",
                  "signed_off_at", "indicators")
        read_only_fields = fields

    def get_indicators(self, evaluation) -> dict:
        """The indicators: frozen at sign-off, else computed now (the same JSON as /safety/figures/)."""
        return operations.evaluation_indicators(evaluation)


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The evaluations of the streets the user runs (street office, administrators)."""

    permission_classes = [SignedIn]
    serializer_class = EvaluationSerializer
    queryset = Evaluation.objects.none()

    def get_queryset(self):
        return queries.evaluations_for(self.request.user).order_by("community__code", "-period_start", "id")


_COUNTS = serializers.DictField(child=serializers.IntegerField())
FIGURES = inline_serializer("SafetyFigures", {
    "period": serializers.DictField(child=serializers.DateField(allow_null=True)),
    "street": serializers.CharField(allow_null=True),
    "community": serializers.CharField(allow_null=True),
    "risks_found": _COUNTS,
    "risks_removed": _COUNTS,
    "median_hours_to_remove": serializers.DictField(child=serializers.FloatField(allow_null=True)),
    "open_risks": serializers.IntegerField(help_text="Found by the period's end, neither removed nor accepted then."),
    "overdue_interventions": serializers.IntegerField(help_text="Due in the period and not done by their deadline."),
    "rounds": serializers.DictField(help_text="due, done, on_time, on_time_share"),
    "ambassadors": _COUNTS,
    "as_of": serializers.DateField(),
})


def _date(request, name: str):
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


class SafetyFiguresView(APIView):
    """The SITE indicators of the district, a street or a community over a period (public counts)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(operation_id="safety_figures", responses=FIGURES, parameters=[
        OpenApiParameter("street", OpenApiTypes.STR, description="A street's code; the district when absent."),
        OpenApiParameter("community", OpenApiTypes.STR, description="A community's code."),
        OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period (open when absent)."),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period (open when absent)."),
    ])
    def get(self, request):
        refuse_unknown_parameters(request, {"street", "community", "from", "to"})
        street = community = None
        if code := request.query_params.get("street", ""):
            street = Street.objects.defer("boundary").filter(code=code).first()
            if street is None:
                raise ValidationError({"street": [_("No street has the code “%(code)s”.") % {"code": code}]})
        if code := request.query_params.get("community", ""):
            community = Community.objects.defer("boundary").filter(code=code).first()
            if community is None:
                raise ValidationError({"community": [_("No community has the code “%(code)s”.") % {"code": code}]})
        start, end = _date(request, "from"), _date(request, "to")
        if start and end and end < start:
            raise ValidationError({"to": [_("The end of the period is before its start.")]})
        return Response(safety_figures(street=street, community=community, date_from=start, date_to=end))
