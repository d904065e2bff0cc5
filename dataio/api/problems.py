"""API of problem reports and photos.

Problem reports: anyone sees the problems still being dealt with on visible assets, with the
public columns the asset page shows (``problems.queries.PUBLIC_COLUMNS``); staff see their
scope's reports (``staff_problems``) with the description and how it ended. Reporters' contact
details are accepted when filing (with consent, as on the form) and never returned. Filing is
rate-limited per IP together with the web form (same django-ratelimit group).

Photos: the public photos of a visible asset; staff in scope and the asset's current adopter add
photos through :func:`registry.photos.operations.add_asset_photo` (the photo pipeline).
"""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dataio.api.base import StrictQueryMixin, StrictSerializer
from dataio.api.care import ReadOrSignedIn, asset_in_scope_or_404, visible_asset_or_400
from dataio.api.openapi import IDEMPOTENCY_KEY
from problems import operations as problem_operations
from problems.models import ACTIVE_STATUSES, ProblemCategory, ProblemReport, ProblemStatus
from problems.queries import PUBLIC_COLUMNS, staff_problems
from problems.views import report_rate
from registry.access import Action, can
from registry.moderation import text_seen_by
from registry.photos import Photo
from registry.photos.operations import add_asset_photo
from registry.queries import public_photos, visible_assets
from registry.submissions import idempotency_key
from upkeep.models import UpkeepLog

#: The web form's rate-limit group, so the API and the form share one budget per IP.
REPORT_RATE_GROUP = "problems.views.report_problem"
STAFF_ONLY_FIELDS = ("description", "resolved_at", "resolved_by_log")


class ProblemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ProblemReport
        fields = ("id", "asset", "category", "category_label", "status", "status_label", "staff_reply",
                  "public_description", "created_at", "started_at", "reports_count", *STAFF_ONLY_FIELDS)
        read_only_fields = fields

    def to_representation(self, report):
        data = super().to_representation(report)
        user = self.context["request"].user
        if not can(user, Action.TRIAGE_PROBLEM, report.asset):
            for name in STAFF_ONLY_FIELDS:
                data.pop(name)
        # the text staff moderated for the public; personal data left in it is masked all the same
        data["public_description"] = text_seen_by(user, report.asset, data["public_description"])
        return data


class ReportSerializer(StrictSerializer):
    asset = serializers.IntegerField()
    category = serializers.ChoiceField(choices=ProblemCategory.choices)
    description = serializers.CharField(allow_blank=True, max_length=2000, default="")
    reporter_name = serializers.CharField(allow_blank=True, max_length=50, default="", write_only=True)
    reporter_mobile = serializers.CharField(allow_blank=True, max_length=20, default="", write_only=True)
    reporter_email = serializers.EmailField(allow_blank=True, default="", write_only=True)
    contact_consent = serializers.BooleanField(default=False, write_only=True)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list, max_length=4)


class ReplySerializer(StrictSerializer):
    reply = serializers.CharField(allow_blank=True, max_length=2000, default="")


class ResolveSerializer(ReplySerializer):
    upkeep_log = serializers.IntegerField(help_text="The upkeep log (on the same asset) that fixed it.")


class ProblemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProblemStatus.choices)
    category = django_filters.ChoiceFilter(choices=ProblemCategory.choices)

    class Meta:
        model = ProblemReport
        fields = ["asset", "status", "category"]


class ProblemViewSet(StrictQueryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Problems being dealt with on visible assets; staff: all their scope's reports. Anyone may file one."""

    serializer_class = ProblemSerializer
    permission_classes = []  # filing is open to residents, like the form; triage checks in the operations
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProblemFilter
    query_parameters = {"asset", "status", "category"}
    queryset = ProblemReport.objects.none()

    def get_queryset(self):
        user = self.request.user
        public = Q(status__in=ACTIVE_STATUSES, asset__in=visible_assets(user).values("pk"))
        staff = Q(pk__in=staff_problems(user).values("pk")) if user.is_authenticated else Q(pk__in=[])
        return (ProblemReport.objects.filter(public | staff).select_related("asset")
                .only("asset__street_id", "asset__community_id", "asset__grid_id", *PUBLIC_COLUMNS, *STAFF_ONLY_FIELDS)
                .order_by("-created_at", "-pk"))

    @extend_schema(request={"application/json": ReportSerializer, "multipart/form-data": ReportSerializer},
                   parameters=[IDEMPOTENCY_KEY], responses={201: ProblemSerializer, 200: ProblemSerializer})
    def create(self, request):
        """Report a problem on an asset (photos as multipart ``photos``); joined to an open report of it if any."""
        if is_ratelimited(request, group=REPORT_RATE_GROUP, key="ip", rate=report_rate, method="POST", increment=True):
            raise Throttled()
        body = ReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        asset = visible_asset_or_400(request.user, data["asset"])
        contact = problem_operations.Contact(name=data["reporter_name"], mobile=data["reporter_mobile"],
                                             email=data["reporter_email"], consent=data["contact_consent"])
        reported = problem_operations.report_problem(
            actor=request.user, asset=asset, category=data["category"], description=data["description"],
            photos=data["photos"], contact=contact, language=getattr(request, "LANGUAGE_CODE", ""),
            submission_key=idempotency_key(request))
        return Response(ProblemSerializer(reported.report, context=self.get_serializer_context()).data,
                        status=status.HTTP_200_OK if reported.again else status.HTTP_201_CREATED)

    def _answer(self, request, operation, serializer_class=ReplySerializer, **extra):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        report = operation(actor=request.user, report=self.get_object(), reply=body.validated_data["reply"], **extra)
        return Response(ProblemSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=ReplySerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadOrSignedIn])
    def start(self, request, pk=None):
        """Open → in progress."""
        return self._answer(request, problem_operations.start_work)

    @extend_schema(request=ReplySerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadOrSignedIn])
    def reply(self, request, pk=None):
        """Change the public reply."""
        return self._answer(request, problem_operations.reply_to_problem)

    @extend_schema(request=ReplySerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadOrSignedIn])
    def close(self, request, pk=None):
        """Close without a fix (the reply says why)."""
        return self._answer(request, problem_operations.close_not_fixed)

    @extend_schema(request=ResolveSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ReadOrSignedIn])
    def resolve(self, request, pk=None):
        """Resolved by an upkeep log on the same asset."""
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = UpkeepLog.objects.filter(pk=body.validated_data["upkeep_log"]).first()
        report = problem_operations.resolve_problem(actor=request.user, report=self.get_object(),
                                                    reply=body.validated_data["reply"], upkeep_log=log)
        return Response(ProblemSerializer(report, context=self.get_serializer_context()).data)


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="large", read_only=True)
    thumbnail_url = serializers.FileField(source="small", read_only=True)

    class Meta:
        model = Photo
        fields = ("id", "asset", "url", "thumbnail_url", "width", "height", "caption", "credit", "taken_at",
                  "created_at")
        read_only_fields = fields


class PhotoUploadSerializer(StrictSerializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP; checked, stripped of metadata, resized.")
    caption = serializers.CharField(allow_blank=True, max_length=200, default="")
    credit = serializers.CharField(allow_blank=True, max_length=100, default="")


class AssetPhotoViewSet(StrictQueryMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public photos of a visible asset; staff in scope and its current adopter upload more."""

    serializer_class = PhotoSerializer
    permission_classes = [ReadOrSignedIn]
    parser_classes = [MultiPartParser, FormParser]
    queryset = Photo.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Photo.objects.none()
        return public_photos(asset_in_scope_or_404(self.request.user, self.kwargs["asset_pk"]))

    @extend_schema(request={"multipart/form-data": PhotoUploadSerializer}, responses={201: PhotoSerializer})
    def create(self, request, asset_pk=None):
        asset = asset_in_scope_or_404(request.user, asset_pk)
        body = PhotoUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        photo = add_asset_photo(actor=request.user, asset=asset, upload=body.validated_data["image"],
                                caption=body.validated_data["caption"], credit=body.validated_data["credit"])
        return Response(PhotoSerializer(photo, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
