"""Error answers of the crud preset (400, 404, 409) in the operation's own error shape.

When the operation declares a JSON schema for the error status (exactly, by
range or as ``default``), the body is built from it: fake data valid against
the schema, with the fields that say what went wrong set where the schema
lets them be — a text ``message``/``detail``/``error``… gets the explanation,
a text ``title`` the status phrase, an integer ``code``/``status`` the status.
Without a declared schema, or one with none of those fields, the answer is a
problem document (``application/problem+json``: ``title``, ``detail``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine import Operation
from ..schema_refs import resolve
from .crud_records import record_properties

__all__ = ["PROBLEM_MEDIA_TYPE", "ErrorShapes"]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_DETAIL_FIELDS = frozenset(
    {"message", "detail", "details", "error", "error_description", "description", "reason"}
)
_TITLE_FIELDS = frozenset({"title", "error_message", "summary"})
_CODE_FIELDS = frozenset({"code", "status", "status_code", "statuscode", "http_status"})
_FREE_TEXT = ("enum", "const", "pattern", "format", "maxLength", "minLength")


class ErrorShapes:
    """Builds the error bodies of one operation (one fake body per status, reused)."""

    __slots__ = ("defs", "fake", "operation", "templates")

    def __init__(self, operation: Operation, defs: Mapping[str, Any] | None, fake: Any) -> None:
        self.operation = operation
        self.defs = defs or {}
        self.fake = fake
        self.templates: dict[str, tuple[str, Any, dict[str, Any]] | None] = {}

    def body(self, status: str, title: str, detail: str) -> tuple[str, Any]:
        """(media type, body) of the error answer ``status``."""
        if status not in self.templates:
            self.templates[status] = self._template(status)
        template = self.templates[status]
        if template is None:
            return PROBLEM_MEDIA_TYPE, {"title": title, "detail": detail}
        media_type, base, roles = template
        body = dict(base)
        for name, role in roles.items():
            body[name] = {"detail": detail, "title": title, "code": int(status)}[role]
        return media_type, body

    def _template(self, status: str) -> tuple[str, Any, dict[str, Any]] | None:
        output = self.operation.output_for(status)
        if output is None or self.fake is None:
            return None
        for content in output.contents:
            media = content.media_type
            if content.schema is not None and (media.endswith("json") and "*" not in media):
                break
        else:
            return None
        properties = record_properties(content.schema, self.defs)
        if not properties:
            return None
        base = self.fake.generate(content.schema, key=f"crud-error/{self.operation.id}/{status}")
        if not isinstance(base, dict):
            return None
        roles: dict[str, str] = {}
        for name, schema in properties.items():
            role = _role(name, resolve(schema, self.defs), status)
            if role is not None:
                roles[name] = role
        if not roles:
            return None  # no field can say what went wrong: not an error schema
        return media, base, roles


def _role(name: str, schema: Any, status: str) -> str | None:
    if not isinstance(schema, Mapping):
        return None
    kind = schema.get("type")
    lowered = name.lower()
    free = not any(key in schema for key in _FREE_TEXT)
    if kind == "string" and free and lowered in _DETAIL_FIELDS:
        return "detail"
    if kind == "string" and free and lowered in _TITLE_FIELDS:
        return "title"
    if (
        kind == "integer"
        and lowered in _CODE_FIELDS
        and not any(k in schema for k in ("enum", "const"))
    ):
        minimum = schema.get("minimum", 0)
        maximum = schema.get("maximum", 10**9)
        if isinstance(minimum, int | float) and isinstance(maximum, int | float):
            return "code" if minimum <= int(status) <= maximum else None
    return None
