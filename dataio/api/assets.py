"""API reads of the map's data: assets (GeoJSON), kinds, areas, adopters (public fields).

Assets come from the map's own filter parser (:class:`public.tiles.filters.TileFilters`: kind,
status, street, community, looking) over :func:`registry.queries.visible_assets`, plus ``bbox`` and
``q``; so an API client, the tiles and the downloads see the same assets for the same user. Staff
get two more columns (external id, public flag); no contact field of anyone ever leaves here.
"""

from django.contrib.gis.geos import Polygon
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from adoption.models import GRANTED_STATUSES, Adopter, Adoption
from adoption.queries import with_adoption_state
from dataio.api.base import GeoJsonPagination, StrictQueryMixin, bbox_from
from dataio.schema import kind_fields
from public.tiles.filters import TileFilters
from registry.access import is_staff_member
from registry.assets import Asset, AssetKind
from registry.geography import Community, Grid, Street
from registry.moderation import text_seen_by
from registry.queries import SEARCH_MAX_LENGTH, search_assets, visible_assets

ASSET_FILTERS = ("kind", "status", "street", "community", "looking", "bbox", "q")


class AdopterCreditSerializer(serializers.Serializer):
    display_name = serializers.CharField()
    kind = serializers.CharField()


class AssetSerializer(GeoFeatureModelSerializer):
    """An asset as residents see it: names, kind, status, place, and its adopter's public name."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    street = serializers.CharField(source="street.code", read_only=True)
    community = serializers.CharField(source="community.code", read_only=True, allow_null=True, default=None)
    adopter = serializers.SerializerMethodField()
    looking_for_adopter = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        geo_field = "geometry"
        fields = ("id", "kind", "kind_label", "name_zh", "name_en", "status", "status_label", "address",
                  "description", "is_adoptable", "looking_for_adopter", "adopter", "street", "community",
                  "area_m2", "url")
        read_only_fields = fields

    def to_representation(self, asset):
        data = super().to_representation(asset)
        request = self.context.get("request")
        fields = data.get("properties", data)  # GeoJSON features keep the fields in "properties"
        if fields.get("description"):  # free text: masked unless the reader works on the asset
            fields["description"] = text_seen_by(getattr(request, "user", None), asset, fields["description"])
        return data

    @extend_schema_field(AdopterCreditSerializer(allow_null=True))
    def get_adopter(self, asset):
        name = getattr(asset, "adopter_name", None)
        return {"display_name": name, "kind": asset.adopter_kind} if name else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_looking_for_adopter(self, asset) -> bool:
        return bool(asset.is_adoptable and not getattr(asset, "is_adopted", False))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, asset) -> str:
        request = self.context.get("request")
        path = reverse("asset-detail", args=[asset.pk])
        return request.build_absolute_uri(path) if request else path


class StaffAssetSerializer(AssetSerializer):
    """What staff also see: the external id (for imports) and whether residents see the asset."""

    grid = serializers.CharField(source="grid.code", read_only=True, allow_null=True, default=None)

    class Meta(AssetSerializer.Meta):
        fields = AssetSerializer.Meta.fields + ("external_id", "is_public", "grid")
        read_only_fields = fields


def kind_details(asset) -> dict:
    specific = asset.specific
    return {f.name: f.value_from_object(specific) for f in kind_fields(type(specific))}


def with_details(serializer_class):
    """``serializer_class`` plus ``details``, the kind's own fields: the public and staff detail views."""

    class DetailSerializer(serializer_class):
        details = serializers.SerializerMethodField(help_text="The kind's own fields (theme, protection level, stage…).")

        class Meta(serializer_class.Meta):
            fields = serializer_class.Meta.fields + ("details",)
            read_only_fields = fields

        @extend_schema_field(OpenApiTypes.OBJECT)
        def get_details(self, asset):
            return kind_details(asset)

    DetailSerializer.__name__ = DetailSerializer.__qualname__ = serializer_class.__name__.replace(
        "AssetSerializer", "AssetDetailSerializer")
    return DetailSerializer


AssetDetailSerializer = with_details(AssetSerializer)
StaffAssetDetailSerializer = with_details(StaffAssetSerializer)


@extend_schema(parameters=[
    OpenApiParameter("kind", str, description="Kinds, comma-separated: " + ", ".join(AssetKind.values)),
    OpenApiParameter("status", str, description="Statuses, comma-separated."),
    OpenApiParameter("street", str, description="Street codes, comma-separated."),
    OpenApiParameter("community", str, description="Community codes, comma-separated."),
    OpenApiParameter("looking", str, enum=["1", "0"], description="1: adoptable assets with no current adopter."),
    OpenApiParameter("bbox", str, description="west,south,east,north in WGS-84: assets intersecting it."),
    OpenApiParameter("q", str, description="Text in the Chinese or English name or the address."),
])
class AssetViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Assets the caller may see, as GeoJSON: public ones for everyone, plus a staff member's scope."""

    pagination_class = GeoJsonPagination
    query_parameters = set(ASSET_FILTERS)
    queryset = Asset.objects.none()  # for the schema; get_queryset decides

    def get_serializer_class(self):
        staff = is_staff_member(self.request.user) if getattr(self, "request", None) else False
        if self.action == "retrieve":
            return StaffAssetDetailSerializer if staff else AssetDetailSerializer
        return StaffAssetSerializer if staff else AssetSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Asset.objects.none()
        user, query = self.request.user, self.request.query_params
        assets = TileFilters.from_query(query).assets(user)  # ValidationError → 400 (dataio.api.errors)
        bbox = bbox_from(self.request)
        if bbox:
            assets = assets.filter(geometry__intersects=Polygon.from_bbox(bbox))
        if "\x00" in query.get("q", ""):  # PostgreSQL cannot compare text holding NUL
            raise ValidationError({"q": [_("The search contains a character that is not allowed (NUL).")]})
        if query.get("q"):
            assets = assets.filter(pk__in=search_assets(user, query["q"][:SEARCH_MAX_LENGTH]).values("pk"))
        return (with_adoption_state(assets).select_related("street", "community", "grid")
                .defer("geometry_webmercator", "location_webmercator", "street__boundary", "community__boundary",
                       "grid__boundary").order_by("pk"))


class KindSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    geometry_types = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField(), help_text="The kind's own fields.")


class KindViewSet(StrictQueryMixin, viewsets.ViewSet):
    """The asset kinds: their labels, geometry types and own fields."""

    serializer_class = KindSerializer

    @extend_schema(responses=KindSerializer(many=True))
    def list(self, request):
        kinds = [{"id": kind.value, "label": str(kind.label),
                  "geometry_types": list(Asset.kind_models[kind.value].GEOMETRY_TYPES),
                  "fields": [f.name for f in kind_fields(Asset.kind_models[kind.value])]} for kind in AssetKind]
        return Response(KindSerializer(kinds, many=True).data)


class StreetSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Street
        geo_field = "boundary"
        fields = ("id", "code", "name_zh", "name_en")


class CommunitySerializer(GeoFeatureModelSerializer):
    street = serializers.CharField(source="street.code", read_only=True)

    class Meta:
        model = Community
        geo_field = "boundary"
        fields = ("id", "code", "name_zh", "name_en", "street")


class GridSerializer(GeoFeatureModelSerializer):
    community = serializers.CharField(source="community.code", read_only=True)

    class Meta:
        model = Grid
        geo_field = "boundary"
        fields = ("id", "code", "name_zh", "name_en", "community")


class AreaViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Areas with their boundaries (GeoJSON), by code; lists filter by the parent area's code."""

    pagination_class = GeoJsonPagination
    lookup_field = "code"
    parent: str | None = None

    @property
    def query_parameters(self):
        return {self.parent} if self.parent else set()

    def get_queryset(self):
        areas = self.queryset.model.objects.order_by("code")
        if self.parent:
            areas = areas.select_related(self.parent).defer(f"{self.parent}__boundary")
            code = self.request.query_params.get(self.parent) if getattr(self, "request", None) else None
            if code:
                areas = areas.filter(**{f"{self.parent}__code": code})
        return areas


class StreetViewSet(AreaViewSet):
    """Streets (街道) with their boundaries."""

    queryset = Street.objects.all()
    serializer_class = StreetSerializer


class CommunityViewSet(AreaViewSet):
    """Communities (社区) with their boundaries; ``?street=CODE`` keeps one street's."""

    queryset = Community.objects.all()
    serializer_class = CommunitySerializer
    parent = "street"


class GridViewSet(AreaViewSet):
    """Grids (网格) with their boundaries; ``?community=CODE`` keeps one community's."""

    queryset = Grid.objects.all()
    serializer_class = GridSerializer
    parent = "community"


class AdopterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Adopter
        fields = ("id", "display_name", "kind")
        read_only_fields = fields


class AdopterViewSet(StrictQueryMixin, viewsets.ReadOnlyModelViewSet):
    """Adopters credited on the map (an approved or past adoption), by public name and kind only."""

    serializer_class = AdopterSerializer
    queryset = Adopter.objects.none()

    def get_queryset(self):
        visible = visible_assets(self.request.user).values("pk")
        granted = Adoption.objects.filter(adopter=OuterRef("pk"), status__in=GRANTED_STATUSES, asset__in=visible)
        return Adopter.objects.filter(Exists(granted)).only("display_name", "kind").order_by("display_name", "pk")
