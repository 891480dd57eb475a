"""The schema dialects mockc reads, and the keyword sets of JSON Schema 2020-12."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

__all__ = ["SchemaDialect"]


class SchemaDialect(StrEnum):
    SWAGGER_2 = "swagger-2.0"
    OPENAPI_3_0 = "openapi-3.0"
    OPENAPI_3_1 = "openapi-3.1"
    """JSON Schema 2020-12 with the OpenAPI vocabulary."""
    DRAFT_7 = "draft-07"


TYPE_NAMES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})
BINARY_STRING: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}

ONE_SCHEMA = frozenset(
    {
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    }
)
SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})
NUMBERS = frozenset({"minimum", "maximum", "multipleOf"})
COUNTS = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}
)
DROPPED = frozenset({"$id", "$schema", "$anchor", "$dynamicAnchor", "$vocabulary"})
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "$comment",
    }
)
# Keywords whose value is kept as written, whatever it is.
PASS_THROUGH = frozenset(
    {
        "title",
        "description",
        "format",
        "default",
        "const",
        "readOnly",
        "writeOnly",
        "deprecated",
        "xml",
        "externalDocs",
        "$comment",
        "contentMediaType",
        "contentEncoding",
    }
)
MISSING = object()
ECMA_ONLY = re.compile(r"\\[pP]\{[^}]*\}|\(\?<(?=[A-Za-z])")
