"""The REST API of consultation: /api/v1/consultation/meetings/ and /api/v1/consultation/resolutions/
(registered by ``dataio.api.urls``; the figures endpoint is ``dataio.api.consultation``).

Reading is open: the public sees published meetings and their resolutions (no personal data is
kept on them), staff also the unpublished ones of their area. A resolution's status changes are
POSTs that call :mod:`consultation.operations`; their ``ValidationError`` and ``PermissionDenied``
become 400 and 403 (the project's DRF exception handler).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from consultation import operations
from consultation.models import ConsultationPhoto, Meeting, MeetingLevel, Resolution, ResolutionStatus
from consultation.queries import managed_meetings
from problems.models import ProblemReport
from projects.models import Project
from upkeep.models import UpkeepLog
from adoption.models import Adoption

COMMON_PARAMETERS = {"limit", "offset", "format"}
LIST_PARAMETERS = {"street", "community", "level", "status"}


class ReadOrSignedIn(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated


class ConsultationPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationPhoto
        fields = ("id", "large", "small")


class ResolutionSerializer(serializers.ModelSerializer):
    responsible = serializers.CharField(source="public_responsible", read_only=True)
    street = serializers.CharField(source="street.code", read_only=True)
    community = serializers.CharField(source="community.code", read_only=True)
    photos = ConsultationPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Resolution
        fields = ("id", "meeting", "external_id", "street", "community", "meeting_date", "text", "votes_for",
                  "votes_against", "votes_abstain", "status", "responsible", "due_date", "executed_on",
                  "not_feasible_reason", "carried_by_project", "carried_by_upkeep", "carried_by_problem",
                  "carried_by_adoption", "photos")
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.code", read_only=True)
    community = serializers.CharField(source="community.code", read_only=True)
    grid = serializers.CharField(source="grid.code", read_only=True, default=None)
    resolutions = ResolutionSerializer(many=True, read_only=True)
    photos = ConsultationPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ("id", "level", "street", "community", "grid", "building_address", "building", "venue_kind",
                  "date", "convener_role", "topic", "participants", "households_present", "minutes", "assets",
                  "projects", "resolutions", "photos")
        read_only_fields = fields


class ExecuteSerializer(serializers.Serializer):
    executed_on = serializers.DateField()
    project = serializers.IntegerField(required=False, allow_null=True)
    upkeep_log = serializers.IntegerField(required=False, allow_null=True)
    problem = serializers.IntegerField(required=False, allow_null=True)
    adoption = serializers.IntegerField(required=False, allow_null=True)


class NotFeasibleSerializer(serializers.Serializer):
    reason = serializers.CharField()


def _strict(view, request):
    known = (LIST_PARAMETERS if view.action == "list" else set()) | COMMON_PARAMETERS
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                          % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}]})


def _filtered(rows, params, *, prefix=""):
    level, status = params.get("level", ""), params.get("status", "")
    if level and level not in MeetingLevel.values or status and status not in ResolutionStatus.values:
        raise ValidationError({"detail": [_("Unknown level or status.")]})
    if params.get("street"):
        rows = rows.filter(**{f"{prefix}street__code": params["street"]})
    if params.get("community"):
        rows = rows.filter(**{f"{prefix}community__code": params["community"]})
    if level:
        rows = rows.filter(**{f"{prefix}level": level})
    return rows


def visible_meetings(user):
    """Published meetings, and for staff the unpublished ones of their area."""
    return Meeting.objects.filter(Q(is_published=True) | Q(pk__in=managed_meetings(user).values("pk")))


_LIST_DOC = [OpenApiParameter("street", str, description="Street code."),
             OpenApiParameter("community", str, description="Community code."),
             OpenApiParameter("level", str, enum=MeetingLevel.values)]


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Consultation meetings with their resolutions (filters street, community, level)."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _strict(self, request)

    def get_queryset(self):
        meetings = visible_meetings(self.request.user)
        if self.action == "list":
            if self.request.query_params.get("status"):
                raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                                  % {"names": "status", "known": "community, level, street"}]})
            meetings = _filtered(meetings, self.request.query_params)
        return (meetings.select_related("street", "community", "grid")
                .prefetch_related("assets", "projects", "photos", "resolutions__street",
                                  "resolutions__community", "resolutions__photos",
                                  "resolutions__responsible_adopter").order_by("-date", "-id"))

    @extend_schema(parameters=_LIST_DOC)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ResolutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Resolutions (filters street, community, level of the meeting, status) and their status changes."""

    serializer_class = ResolutionSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Resolution.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _strict(self, request)

    def get_queryset(self):
        rows = Resolution.objects.filter(meeting__in=visible_meetings(self.request.user).values("pk"))
        if self.action == "list":
            params = self.request.query_params
            rows = _filtered(rows.filter(**({"status": params["status"]} if params.get("status") else {})),
                             {key: value for key, value in params.items() if key != "level"})
            if params.get("level"):
                rows = _filtered(rows, {"level": params["level"]}, prefix="meeting__")
        return rows.select_related("street", "community", "responsible_adopter").prefetch_related(
            "photos").order_by("-meeting_date", "id")

    @extend_schema(parameters=[*_LIST_DOC, OpenApiParameter("status", str, enum=ResolutionStatus.values)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=ResolutionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """adopted → being carried out."""
        resolution = operations.start_resolution(actor=request.user, resolution=self.get_object())
        return Response(ResolutionSerializer(resolution).data)

    @extend_schema(request=ExecuteSerializer, responses=ResolutionSerializer)
    @action(detail=True, methods=["post"])
    def execute(self, request, pk=None):
        """→ executed, on a date, with what carried it out (ids of a project, upkeep log, resolved problem, adoption)."""
        body = ExecuteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        links = {name: model.objects.filter(pk=data[name]).first() if data.get(name) else None
                 for name, model in (("project", Project), ("upkeep_log", UpkeepLog), ("problem", ProblemReport),
                                     ("adoption", Adoption))}
        missing = [name for name, row in links.items() if data.get(name) and row is None]
        if missing:
            raise ValidationError({name: [_("Not found.")] for name in missing})
        resolution = operations.execute_resolution(actor=request.user, resolution=self.get_object(),
                                                   executed_on=data["executed_on"], **links)
        return Response(ResolutionSerializer(resolution).data)

    @extend_schema(request=NotFeasibleSerializer, responses=ResolutionSerializer)
    @action(detail=True, methods=["post"], url_path="not-feasible")
    def not_feasible(self, request, pk=None):
        """→ not feasible, with a public reason."""
        body = NotFeasibleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resolution = operations.declare_not_feasible(actor=request.user, resolution=self.get_object(),
                                                     reason=body.validated_data["reason"])
        return Response(ResolutionSerializer(resolution).data)
