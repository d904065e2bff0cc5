"""API of the work on assets: adoptions, upkeep logs, problem reports, photos.

Reads are the pages' reads (what a visitor may see of a visible asset; what staff see in their
scope, from ``registry.access`` and the domains' queries). Every write is the domain's operation
(``apply_for_adoption`` …, ``log_upkeep``, ``report_problem`` …, :func:`registry.photos.operations.add_asset_photo`),
which checks permission, writes in one transaction and audits; refusals come back as 400/403.
Contact details (adopters' mobiles, reporters' contacts) are accepted where a form accepts them and
never returned.
"""

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from adoption import operations as adoption_operations
from adoption.models import GRANTED_STATUSES, Adoption, AdoptionStatus
from dataio.api.assets import AdopterSerializer
from dataio.api.base import StrictQueryMixin, StrictSerializer, UtcIsoDateTimeFilter
from dataio.api.openapi import IDEMPOTENCY_KEY
from registry.access import Action, can, managed_scope, role_allows
from registry.queries import visible_assets
from registry.submissions import idempotency_key
from upkeep.models import UpkeepAction, UpkeepLog
from upkeep.operations import AlreadySubmitted, log_upkeep


class ReadOrSignedIn(permissions.BasePermission):
    """Reading is open (scoped by the queryset); writing needs a signed-in user (the operation decides more)."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_authenticated


def visible_asset_or_400(user, asset_id):
    asset = visible_assets(user).defer("geometry_webmercator", "location_webmercator").filter(pk=asset_id).first()
    if asset is None:
        raise serializers.ValidationError({"asset": ["No such asset."]})
    return asset


# Adoptions ----------------------------------------------------------------------------------------

class AdoptionSerializer(serializers.ModelSerializer):
    adopter = AdopterSerializer(read_only=True)
    first_day = serializers.DateField(read_only=True)
    last_day = serializers.DateField(read_only=True)

    class Meta:
        model = Adoption
        fields = ("id", "asset", "adopter", "status", "first_day", "last_day", "duties", "care_interval_days",
                  "people", "created_at", "decided_at", "decision_reason")
        read_only_fields = fields

    schema_optional_fields = ("decision_reason",)  # see to_representation (dataio.api.openapi)

    def to_representation(self, adoption):
        data = super().to_representation(adoption)
        user = self.context["request"].user
        own = getattr(getattr(user, "adopter", None), "pk", None) == adoption.adopter_id
        if not (own or can(user, Action.DECIDE_ADOPTION, adoption.asset)):
            data.pop("decision_reason")  # the decision's reasons are for the applicant and the staff
        return data


class ApplySerializer(StrictSerializer):
    asset = serializers.IntegerField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    duties = serializers.CharField(allow_blank=True, max_length=2000, default="")
    # Optional, but the operation takes it by keyword: a missing value is None, not absent.
    care_interval_days = serializers.IntegerField(min_value=1, max_value=366, allow_null=True, default=None)
    people = serializers.IntegerField(min_value=1, max_value=1000, default=1)


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000, default="")


class EmptySerializer(StrictSerializer):
    pass


class AdoptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AdoptionStatus.choices)

    class Meta:
        model = Adoption
        fields = ["asset", "status"]


class AdoptionViewSet(StrictQueryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Granted adoptions of visible assets for everyone; one's own applications; staff: their streets' applications."""

    serializer_class = AdoptionSerializer
    permission_classes = [ReadOrSignedIn]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AdoptionFilter
    query_parameters = {"asset", "status"}
    queryset = Adoption.objects.none()

    def get_queryset(self):
        user = self.request.user
        shown = Q(status__in=GRANTED_STATUSES, asset__in=visible_assets(user).values("pk"))
        if user.is_authenticated:
            shown |= Q(adopter__user=user)
            if role_allows(user, Action.DECIDE_ADOPTION):
                shown |= managed_scope(user, prefix="asset__")
        return (Adoption.objects.filter(shown).select_related("adopter", "asset")
                .only("asset__street_id", "asset__community_id", "asset__grid_id", "adopter__display_name",
                      "adopter__kind", *[f.name for f in Adoption._meta.concrete_fields])
                .order_by("-created_at", "-pk"))

    @extend_schema(request=ApplySerializer, responses={201: AdoptionSerializer})
    def create(self, request):
        """Apply to adopt an asset (as the signed-in adopter)."""
        body = ApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        asset = visible_asset_or_400(request.user, data.pop("asset"))
        adoption = adoption_operations.apply_for_adoption(actor=request.user, asset=asset, **data)
        return Response(AdoptionSerializer(adoption, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def _decide(self, request, operation, serializer_class=ReasonSerializer):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        adoption = operation(actor=request.user, adoption=self.get_object(), **body.validated_data)
        return Response(AdoptionSerializer(adoption, context=self.get_serializer_context()).data)

    @extend_schema(request=ReasonSerializer, responses=AdoptionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve an application (staff of the asset's street)."""
        return self._decide(request, adoption_operations.approve_adoption)

    @extend_schema(request=ReasonSerializer, responses=AdoptionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject an application, with a reason (staff of the asset's street)."""
        return self._decide(request, adoption_operations.reject_adoption)

    @extend_schema(request=EmptySerializer, responses=AdoptionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw one's own application."""
        return self._decide(request, adoption_operations.withdraw_application, EmptySerializer)

    @extend_schema(request=EmptySerializer, responses=AdoptionSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End an adoption early (the adopter, or staff of the asset's street)."""
        return self._decide(request, adoption_operations.end_adoption, EmptySerializer)


# Upkeep ---------------------------------------------------------------------------------------------

class UpkeepLogSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    adopter = serializers.CharField(source="adopter.display_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = UpkeepLog
        fields = ("id", "asset", "performed_at", "action", "action_label", "adopter", "participants",
                  "duration_minutes", "notes", "created_at")
        read_only_fields = fields

    schema_optional_fields = ("notes",)  # see to_representation (dataio.api.openapi)

    def to_representation(self, log):
        data = super().to_representation(log)
        if not can(self.context["request"].user, Action.READ_HISTORY, log.asset):
            data.pop("notes")  # notes are the staff's working record
        return data


class LogUpkeepSerializer(StrictSerializer):
    asset = serializers.IntegerField()
    action = serializers.ChoiceField(choices=UpkeepAction.choices)
    performed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(allow_blank=True, max_length=2000, default="")
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60, required=False, allow_null=True)
    participants = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, default=list, max_length=4)


class UpkeepFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=UpkeepAction.choices)
    since = UtcIsoDateTimeFilter(field_name="performed_at", lookup_expr="gte")
    until = UtcIsoDateTimeFilter(field_name="performed_at", lookup_expr="lte")

    class Meta:
        model = UpkeepLog
        fields = ["asset", "action", "since", "until"]


class UpkeepLogViewSet(StrictQueryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Care work on visible assets (notes only for staff in scope); log care as staff or as the current adopter."""

    serializer_class = UpkeepLogSerializer
    permission_classes = [ReadOrSignedIn]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = [DjangoFilterBackend]
    filterset_class = UpkeepFilter
    query_parameters = {"asset", "action", "since", "until"}
    queryset = UpkeepLog.objects.none()

    def get_queryset(self):
        return (UpkeepLog.objects.filter(asset__in=visible_assets(self.request.user).values("pk"))
                .select_related("adopter", "asset")
                .only("asset__street_id", "asset__community_id", "asset__grid_id", "adopter__display_name",
                      *[f.name for f in UpkeepLog._meta.concrete_fields])
                .order_by("-performed_at", "-pk"))

    @extend_schema(request={"application/json": LogUpkeepSerializer, "multipart/form-data": LogUpkeepSerializer},
                   parameters=[IDEMPOTENCY_KEY],
                   responses={201: UpkeepLogSerializer, 200: UpkeepLogSerializer})
    def create(self, request):
        """Log care work (photos as multipart ``photos`` files go through the photo pipeline)."""
        body = LogUpkeepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        asset = visible_asset_or_400(request.user, data.pop("asset"))
        created = status.HTTP_201_CREATED
        try:
            log = log_upkeep(actor=request.user, asset=asset,
                             submission_key=idempotency_key(request), **data)
        except AlreadySubmitted as sent:
            log, created = sent.log, status.HTTP_200_OK
        return Response(UpkeepLogSerializer(log, context=self.get_serializer_context()).data, status=created)


def asset_in_scope_or_404(user, pk):
    return get_object_or_404(visible_assets(user).defer("geometry_webmercator", "location_webmercator"), pk=pk)
