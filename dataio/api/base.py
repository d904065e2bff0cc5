"""What every endpoint of the REST API shares: strict parameters, operation errors, GeoJSON paging.

* **Strict query strings.** Each view names the parameters it reads (:attr:`StrictQueryMixin.query_parameters`);
  anything else is a 400 naming what is supported, so a misspelt filter never silently returns
  everything.
* **Strict bodies.** :class:`StrictSerializer` refuses fields it does not declare.
* **Operations do the writing.** Views call the domain's operations (``log_upkeep``,
  ``apply_for_adoption``, ``report_problem`` …); their ``ValidationError``/``PermissionDenied`` become
  400/403 in :mod:`dataio.api.errors`.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.fields import IsoDateTimeField
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from dataio.api.pagination import Pagination
from dataio.ogc.params import parse_bbox

#: Parameters every list accepts (paging and DRF's format switch).
COMMON_PARAMETERS = {"limit", "offset", "format"}


class StrictQueryMixin:
    """Refuse query parameters the view does not know (400)."""

    query_parameters: set[str] = set()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = self.query_parameters | COMMON_PARAMETERS
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({"detail": [_("Unknown query parameter(s): %(names)s. Supported: %(known)s.")
                                              % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}]})


class StrictSerializer(serializers.Serializer):
    """A write serializer that refuses fields it does not declare."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise ValidationError({name: [_("Unknown field.")] for name in unknown})
        return attrs


def bbox_from(request):
    """``bbox=west,south,east,north`` from the query string, or None; 400 when malformed."""
    raw = request.query_params.get("bbox")
    if not raw:
        return None
    try:
        return parse_bbox(raw)
    except DjangoValidationError as error:
        raise ValidationError({"bbox": error.messages}) from None


def feature_array_schema(schema: dict) -> dict:
    """The schema of a page's ``features``: an array of the list serializer's features.

    drf-gis documents a list as a ``<Name>List`` FeatureCollection component; a page holds that
    collection's features, i.e. an array of ``<Name>``.
    """
    if "properties" in schema and "features" in schema["properties"]:
        return schema["properties"]["features"]
    reference = schema.get("$ref", "")
    if reference.endswith("List"):
        return {"type": "array", "items": {"$ref": reference.removesuffix("List")}}
    return {"type": "array", "items": {"type": "object"}}


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, in UTC: PostgreSQL refuses offsets beyond ±15:59 (a -19:45 was a 500)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.timezone.utc)
        except OverflowError:
            raise forms.ValidationError(_("Enter a date and time between the years 1 and 9999."),
                                        code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class GeoJsonPagination(Pagination):
    """Limit/offset paging that answers with a GeoJSON FeatureCollection (count, next, previous inside)."""

    def get_paginated_response(self, data):
        return Response({
            "type": "FeatureCollection",
            "count": self.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "features": data["features"] if isinstance(data, dict) else data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "features": feature_array_schema(schema),
            },
        }
