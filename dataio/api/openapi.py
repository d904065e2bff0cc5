"""The OpenAPI schema of the REST API says what the API really answers (found by fuzzing, `make fuzz`).

drf-spectacular's AutoSchema documents only the success status and marks every read-only field as
required. Two corrections, so that clients (and schemathesis) can trust the schema:

* **Error answers are documented**: 400 on every operation (strict query strings and bodies), 404
  where the path names an object, 401/403/429 on writes (signing in, permission, rate limits),
  each with the JSON body DRF sends (``{"detail": …}`` or ``{"field": [messages]}``).
* **Fields some callers do not get are optional**: a serializer lists them in
  ``schema_optional_fields`` (an adoption's decision reason, an upkeep log's notes are left out
  for callers who may not read them).
"""

import re

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_DESCRIPTIONS = {
    "400": "Bad request: unknown or malformed parameters or body; the messages say what is wrong.",
    "401": "Not signed in (send `Authorization: Token <key>`).",
    "403": "Signed in, but this account may not do this.",
    "404": "No such object, or not visible to this account.",
    "429": "Too many requests; try again later.",
}


#: The header that makes a retried write safe (registry.submissions): documented on each such write.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
    description="Any unique string of up to 64 characters. Sending the same request again with the same key "
                "(a retry after a timeout) writes nothing more: the answer is the first result, with status 200.")


def error_codes(path: str, method: str) -> list[str]:
    codes = ["400"]
    if method in WRITE_METHODS:
        codes += ["401", "403", "429"]
    if re.search(r"{\w+}", path):
        codes.append("404")
    return codes


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in error_codes(self.path, self.method):
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(OpenApiTypes.OBJECT, description=ERROR_DESCRIPTIONS[code]), code, direction=direction)
        return responses

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        optional = set(getattr(serializer, "schema_optional_fields", ()))
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema
