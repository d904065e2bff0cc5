"""The REST API of check-in routes: /api/v1/routes/ (registered by ``dataio.api.urls``), read-only.

Published routes for everyone (drafts too for staff who may change routes), each with its walking
line (GeoJSON, WGS-84), length in metres (EPSG:4547), walking minutes, whether the line is
approximate, and its stops in order (only stops whose asset the client may see).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from routes import queries
from routes.models import Route, RouteStop, Theme

LIST_PARAMETERS = {"theme"}
COMMON_PARAMETERS = {"limit", "offset", "format"}


class StopSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="asset.display_name")
    kind = serializers.CharField(source="asset.kind")
    lon = serializers.FloatField(source="asset.location.x")
    lat = serializers.FloatField(source="asset.location.y")

    class Meta:
        model = RouteStop
        fields = ["position", "asset", "name", "kind", "note", "lon", "lat"]


class RouteSerializer(serializers.ModelSerializer):
    length_m = serializers.SerializerMethodField(help_text="Length of the walking line in metres (EPSG:4547).")
    walking_minutes = serializers.SerializerMethodField()
    approximate = serializers.SerializerMethodField(help_text="True: straight segments between the stops.")
    line = serializers.SerializerMethodField(help_text="GeoJSON LineString, WGS-84 (null below two stops).")
    stops = StopSerializer(many=True, read_only=True)

    class Meta:
        model = Route
        fields = ["id", "name_zh", "name_en", "theme", "description", "pace", "is_published", "length_m",
                  "walking_minutes", "approximate", "line", "stops"]

    def _line(self, route):
        return self.context["lines"][route.pk]

    def get_length_m(self, route) -> float:
        return round(self._line(route).length_m, 1)

    def get_walking_minutes(self, route) -> int:
        return self._line(route).walking_minutes(route.pace)

    def get_approximate(self, route) -> bool:
        return self._line(route).approximate

    @extend_schema_field({"type": "object", "nullable": True})
    def get_line(self, route):
        return self._line(route).geometry


class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Check-in routes: list (filter ``theme``) and detail, with their lines and stops."""

    serializer_class = RouteSerializer
    queryset = Route.objects.none()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = (LIST_PARAMETERS if self.action == "list" else set()) | COMMON_PARAMETERS
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                              % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}]})

    def get_queryset(self):
        routes = queries.with_stops(queries.visible_routes(self.request.user), self.request.user).order_by("id")
        theme = self.request.query_params.get("theme", "") if self.action == "list" else ""
        if theme:
            if theme not in Theme.values:
                raise ValidationError({"theme": [_("Choose one of the themes.")]})
            routes = routes.filter(theme=theme)
        return routes

    def _serialize(self, routes, many):
        rows = list(routes) if many else [routes]
        context = {**self.get_serializer_context(), "lines": queries.route_lines(route.pk for route in rows)}
        return RouteSerializer(rows if many else routes, many=many, context=context).data

    @extend_schema(parameters=[OpenApiParameter("theme", str, enum=Theme.values)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self._serialize(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize(self.get_object(), many=False))
