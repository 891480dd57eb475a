"""Request validation with jsonschema_rs, compiled lazily per operation.

Start-up does no schema work: an operation's validators are built on its
first request, over its schema with the ``$defs`` it needs attached. The
parameters of all locations are checked in one call; the error list is only
built (``iter_errors``) when ``is_valid`` says there is something to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema_rs

from ..openapi_view import with_openapi_view
from .schemas import referenced_defs, strip_read_only_required

__all__ = ["OperationValidator", "Violation"]

Violation = dict[str, str]
"""``{"in": "query", "name": "limit", "pointer": "/limit", "message": "..."}``."""


def _compile(schema: Any, defs: Mapping[str, Any], *, request_body: bool = False) -> Any:
    schema, defs = with_openapi_view(schema, defs)
    needed = referenced_defs(schema, defs)
    if request_body:
        schema, needed = strip_read_only_required(schema, needed)
    if needed and isinstance(schema, Mapping):
        schema = {**schema, "$defs": needed}
    return jsonschema_rs.Draft202012Validator(
        schema, validate_formats=True, ignore_unknown_formats=True
    )


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


class OperationValidator:
    """Validates the parameters and body of one operation."""

    def __init__(self, operation: Mapping[str, Any], defs: Mapping[str, Any]) -> None:
        self._parameters = operation.get("parameters", [])
        body = operation.get("body")
        self._body_schemas: dict[str, Any] = (
            {media: content.get("schema") for media, content in body["contents"].items()}
            if body
            else {}
        )
        self._defs = defs
        self._params_validator: Any = None
        self._body_validators: dict[str, Any] = {}
        self._names: dict[str, dict[str, str]] = {}

    # -- parameters --------------------------------------------------------

    def check_params(self, values: Mapping[str, Mapping[str, Any]]) -> list[Violation]:
        """Violations of the declared parameters; ``values`` is keyed by location."""
        validator = self._params_validator
        if validator is None:
            validator = self._params_validator = self._compile_params()
        if validator.is_valid(values):
            return []
        violations = []
        for error in validator.iter_errors(values):
            path = list(error.instance_path)
            if not path:
                continue
            location = str(path[0])
            if len(path) == 1:
                missing = getattr(error.kind, "property", None)
                if missing is None:
                    continue
                name = str(missing)
                message = f"required {location} parameter {name!r} is missing"
                pointer = "/" + _escape(name)
            else:
                name = str(path[1])
                message = error.message
                pointer = "/" + "/".join(_escape(token) for token in path[1:])
            violations.append(
                {"in": location, "name": name, "pointer": pointer, "message": message}
            )
        return violations

    def _compile_params(self) -> Any:
        locations: dict[str, dict[str, Any]] = {}
        for spec in self._parameters:
            entry = locations.setdefault(
                spec["location"], {"type": "object", "properties": {}, "required": []}
            )
            entry["properties"][spec["name"]] = spec.get("schema") or {}
            if spec.get("required"):
                entry["required"].append(spec["name"])
        schema = {"type": "object", "properties": locations}
        return _compile(schema, self._defs)

    # -- body --------------------------------------------------------------

    def check_body(self, media_type: str, data: Any) -> list[Violation]:
        """Violations of the body schema declared for ``media_type`` (a declared key)."""
        validator = self._body_validators.get(media_type)
        if validator is None:
            schema = self._body_schemas.get(media_type)
            if schema is None:
                return []
            validator = self._body_validators[media_type] = _compile(
                schema, self._defs, request_body=True
            )
        if validator.is_valid(data):
            return []
        violations = []
        for error in validator.iter_errors(data):
            tokens = [_escape(token) for token in error.instance_path]
            missing = getattr(error.kind, "property", None)
            if missing is not None and error.kind.__class__.__name__ == "Required":
                tokens.append(_escape(str(missing)))
            pointer = "/" + "/".join(tokens) if tokens else ""
            violations.append({"in": "body", "pointer": pointer, "message": error.message})
        return violations
