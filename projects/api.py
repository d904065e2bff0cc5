"""The REST API of renovation projects: /api/v1/projects/ (registered by ``dataio.api.urls``).

Reading is open and scoped like the pages (``projects.queries.visible_projects``); the public sees a
funding line's source, sponsor's public name and amounts, a contractor's role and name, never a
contact or a credit code. Writing calls :mod:`projects.operations`: their ``ValidationError`` and
``PermissionDenied`` become 400 and 403 (``dataio.api.errors``, the project's DRF exception handler).
"""

import datetime
import json

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from adoption.models import Adopter
from projects import operations, queries
from projects.figures import projects_figures
from projects.models import (
    Contractor, ContractorRole, FundingLine, FundingSource, Milestone, MilestonePhoto, PhaseEvent, Project,
    ProjectKind,
)
from projects.phases import Phase
from registry.geography import Community, Street

#: The list's own query parameters, besides paging (``limit``, ``offset``) and ``format``.
LIST_PARAMETERS = {"street", "kind", "phase", "q"}
COMMON_PARAMETERS = {"limit", "offset", "format"}


class ReadOrSignedIn(permissions.BasePermission):
    """Reading is open (scoped by the queryset); writing needs a signed-in user (the operation decides more)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated


class PhaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhaseEvent
        fields = ("phase", "previous_phase", "date", "note", "document_number", "is_return")


class FundingLineSerializer(serializers.ModelSerializer):
    sponsor = serializers.CharField(source="public_sponsor_name", read_only=True,
                                    help_text="The sponsor's public name (an adopter's display name).")

    class Meta:
        model = FundingLine
        fields = ("id", "source", "sponsor", "amount_planned", "amount_received", "date")


class ContractorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contractor
        fields = ("id", "role", "name", "contract_start", "contract_end")


class MilestonePhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = MilestonePhoto
        fields = ("id", "stage", "large", "small", "caption")


class MilestoneSerializer(serializers.ModelSerializer):
    photos = MilestonePhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Milestone
        fields = ("id", "date", "text", "progress", "photos")


class ProjectSerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.code", read_only=True)
    community = serializers.CharField(source="community.code", read_only=True, default=None)
    lon = serializers.FloatField(source="location.x", read_only=True)
    lat = serializers.FloatField(source="location.y", read_only=True)
    progress = serializers.DecimalField(source="rolled_progress", max_digits=4, decimal_places=1, read_only=True)
    funding_planned = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, default=None)
    funding_received = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, default=None)

    class Meta:
        model = Project
        fields = ("id", "external_id", "name_zh", "name_en", "kind", "phase", "progress", "street", "community",
                  "lon", "lat", "planned_start", "planned_end", "actual_start", "actual_end", "parent", "weight",
                  "is_public", "funding_planned", "funding_received")
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    site = serializers.SerializerMethodField()
    phase_events = PhaseEventSerializer(many=True, read_only=True)
    funding_lines = FundingLineSerializer(many=True, read_only=True)
    contractors = ContractorSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = (*ProjectSerializer.Meta.fields, "description", "site", "phase_events", "funding_lines",
                  "contractors", "milestones")
        read_only_fields = fields

    def get_site(self, project) -> dict:
        """The site as a GeoJSON geometry (WGS-84)."""
        return json.loads(project.site.geojson)


class StrictSerializer(serializers.Serializer):
    """A write body that refuses fields it does not declare."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in unknown})
        return attrs


class ProjectCreateSerializer(StrictSerializer):
    name_zh = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    site = serializers.CharField(help_text="WKT or GeoJSON geometry, WGS-84: a point or a polygon.")
    description = serializers.CharField(allow_blank=True, default="")
    planned_start = serializers.DateField(required=False, allow_null=True, default=None)
    planned_end = serializers.DateField(required=False, allow_null=True, default=None)
    actual_start = serializers.DateField(required=False, allow_null=True, default=None)
    actual_end = serializers.DateField(required=False, allow_null=True, default=None)
    is_public = serializers.BooleanField(default=True)
    parent = serializers.IntegerField(required=False, allow_null=True, default=None)
    weight = serializers.IntegerField(min_value=1, default=1)
    external_id = serializers.CharField(max_length=100, allow_blank=True, default="")

    def validate_site(self, value):
        try:
            return GEOSGeometry(value, srid=4326)
        except (GEOSException, ValueError, TypeError):
            raise serializers.ValidationError(_("Give the site as WKT or GeoJSON.")) from None


class PhaseSerializer(StrictSerializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)
    document_number = serializers.CharField(allow_blank=True, default="", max_length=100)


class FundingSerializer(StrictSerializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    #: Text, so the operation gives its own message for a negative or non-numeric amount.
    amount_planned = serializers.CharField(max_length=20)
    amount_received = serializers.CharField(max_length=20, allow_blank=True, default="0")
    sponsor = serializers.IntegerField(required=False, allow_null=True, default=None,
                                       help_text="An adopter's id, when the sponsor is one.")
    sponsor_name = serializers.CharField(allow_blank=True, default="", max_length=100)
    date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(allow_blank=True, default="", max_length=500)


class ContractorBodySerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=ContractorRole.choices)
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(allow_blank=True, default="", max_length=30)
    contract_start = serializers.DateField(required=False, allow_null=True, default=None)
    contract_end = serializers.DateField(required=False, allow_null=True, default=None)


class MilestoneBodySerializer(StrictSerializer):
    date = serializers.DateField()
    text = serializers.CharField(max_length=2000)
    progress = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=100)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list, max_length=8)
    stages = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list,
                                   help_text="One stage per photo, in order: before, during or after.")


class FundingAddedSerializer(FundingLineSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(FundingLineSerializer.Meta):
        fields = (*FundingLineSerializer.Meta.fields, "warnings")


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """Renovation projects: list (filters street, kind, phase, q), detail, and the staff's operations."""

    permission_classes = [ReadOrSignedIn]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    queryset = Project.objects.none()

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = (LIST_PARAMETERS if self.action == "list" else set()) | COMMON_PARAMETERS
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                              % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}]})

    def get_queryset(self):
        projects = queries.visible_projects(self.request.user)
        if self.action == "retrieve":
            return projects.select_related("street", "community").prefetch_related(
                "phase_events", "contractors", "funding_lines__sponsor", "milestones__photos")
        if self.action == "list":
            params = self.request.query_params
            kind, phase = params.get("kind", ""), params.get("phase", "")
            if kind and kind not in ProjectKind.values or phase and phase not in Phase.values:
                raise ValidationError({"detail": [_("Unknown kind or phase.")]})
            projects = queries.filtered(projects, street=params.get("street", ""), kind=kind, phase=phase,
                                        text=params.get("q", ""))
        return (projects.select_related("street", "community").defer("site", "description", "street__boundary",
                                                                       "community__boundary").order_by("id"))

    @extend_schema(parameters=[
        OpenApiParameter("street", str, description="Street code or id."),
        OpenApiParameter("kind", str, enum=ProjectKind.values), OpenApiParameter("phase", str, enum=Phase.values),
        OpenApiParameter("q", str, description="Search in names, description and external id.")])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = queries.with_totals(page)  # each row's funding over its tree
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        project = self.get_object()
        project.funding_planned, project.funding_received = project.tree_planned, project.tree_received
        return Response(self.get_serializer(project).data)

    def _project_for_writing(self):
        """The project, visible to the user; the operation decides whether they may change it (403)."""
        return self.get_object()

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs):
        """Create a project (staff of the street its site lies in; district administrators anywhere)."""
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data["parent"] is not None:
            data["parent"] = queries.visible_projects(request.user).filter(pk=data["parent"]).first()
            if data["parent"] is None:
                raise ValidationError({"parent": [_("No such project.")]})
        project = operations.create_project(actor=request.user, **data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PhaseSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def phase(self, request, pk=None):
        """Move to another phase (back to an earlier one only with a ``note`` giving the reason)."""
        body = PhaseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = self._project_for_writing()
        operations.change_phase(actor=request.user, project=project, **body.validated_data)
        project.refresh_from_db()
        return Response(ProjectSerializer(project).data)

    @extend_schema(request=FundingSerializer, responses={201: FundingAddedSerializer})
    @action(detail=True, methods=["post"])
    def funding(self, request, pk=None):
        """Add a funding line; ``warnings`` says when more was received than planned without a note."""
        body = FundingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data["sponsor"] is not None:
            data["sponsor"] = Adopter.objects.filter(pk=data["sponsor"]).first()
            if data["sponsor"] is None:
                raise ValidationError({"sponsor": [_("No such adopter.")]})
        added = operations.add_funding(actor=request.user, project=self._project_for_writing(), **data)
        added.line.warnings = [str(warning) for warning in added.warnings]
        return Response(FundingAddedSerializer(added.line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ContractorBodySerializer, responses={201: ContractorSerializer})
    @action(detail=True, methods=["post"])
    def contractors(self, request, pk=None):
        """Add a contractor (credit code checked, GB 32100-2015)."""
        body = ContractorBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contractor = operations.add_contractor(actor=request.user, project=self._project_for_writing(),
                                               **body.validated_data)
        return Response(ContractorSerializer(contractor).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": MilestoneBodySerializer, "application/json": MilestoneBodySerializer},
                   responses={201: MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        """Add a milestone; photos as multipart ``photos``, each with its ``stages`` entry (before/during/after)."""
        data = request.data
        if hasattr(data, "getlist"):
            data = {**{key: data.get(key) for key in data if key not in ("photos", "stages")},
                    "photos": data.getlist("photos"), "stages": data.getlist("stages")}
        body = MilestoneBodySerializer(data=data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        photos, stages = values.pop("photos"), values.pop("stages")
        if len(stages) != len(photos):
            raise ValidationError({"stages": [_("Tag each photo as before, during or after.")]})
        milestone = operations.add_milestone(
            actor=request.user, project=self._project_for_writing(),
            photos=[operations.TaggedPhoto(upload, stage) for upload, stage in zip(photos, stages)], **values)
        return Response(MilestoneSerializer(milestone, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


FIGURES = inline_serializer("ProjectFigures", {
    "total": serializers.IntegerField(help_text="Public projects that had entered a phase by the period's end."),
    "by_phase": serializers.DictField(child=serializers.IntegerField(), help_text="Phase reached at the period's end."),
    "committed": serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True,
                                          help_text="Yuan planned by the funding lines dated in the period."),
    "spent": serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True,
                                      help_text="Yuan received by those lines."),
    "spent_share": serializers.FloatField(allow_null=True),
    "street": serializers.CharField(allow_null=True),
    "community": serializers.CharField(allow_null=True),
    "from": serializers.DateField(allow_null=True),
    "to": serializers.DateField(),
})


def _figures_date(params, name):
    raw = params.get(name, "")
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


class ProjectFiguresView(APIView):
    """``GET /api/v1/projects/figures/?street=&community=&from=&to=``: the renovation programme's figures
    (the public dashboard's ``projects`` section). Open: counts and sums, which the district publishes."""

    permission_classes = [permissions.AllowAny]
    query_parameters = {"street", "community", "from", "to", "format"}

    @extend_schema(operation_id="projects_figures", responses=FIGURES, parameters=[
        OpenApiParameter("street", str, description="A street's code; the district when absent."),
        OpenApiParameter("community", str, description="A community's code."),
        OpenApiParameter("from", str, description="Funding lines dated on or after this day (YYYY-MM-DD)."),
        OpenApiParameter("to", str, description="The period's end (YYYY-MM-DD, default today): phases as of that day."),
    ])
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - self.query_parameters)
        if unknown:
            raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                              % {"names": ", ".join(unknown),
                                                 "known": ", ".join(sorted(self.query_parameters))}]})
        street = community = None
        if params.get("street"):
            street = Street.objects.defer("boundary").filter(code=params["street"]).first()
            if street is None:
                raise ValidationError({"street": [_("No street has the code “%(code)s”.") % {"code": params["street"]}]})
        if params.get("community"):
            community = Community.objects.defer("boundary").filter(code=params["community"]).first()
            if community is None or (street is not None and community.street_id != street.pk):
                raise ValidationError({"community": [_("That community is not in that street.") if community
                                                     else _("No community has the code “%(code)s”.")
                                                     % {"code": params["community"]}]})
        start, end = _figures_date(params, "from"), _figures_date(params, "to")
        if start and end and end < start:
            raise ValidationError({"to": [_("The end of the period is before its start.")]})
        return Response(projects_figures(street=street, community=community, date_from=start, date_to=end))
