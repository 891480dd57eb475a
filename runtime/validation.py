"""Request validation with jsonschema_rs, compiled lazily per operation.

Start-up compiles nothing: an operation's validators are built on its first
request, over its schema with the ``$defs`` it needs attached. It only looks
for regular expressions jsonschema-rs refuses and says how they are checked
instead (:mod:`.schema_validators`), so no request fails over them. The
parameters of all locations are checked in one call; the error list is only
built (``iter_errors``) when ``is_valid`` says there is something to report.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from .openapi_view import with_openapi_view
from .schema_refs import referenced_defs, strip_read_only_required
from .schema_validators import SchemaCompileError, compile_validator, portable

__all__ = ["OperationValidator", "Violation", "compile_schema", "violations_of"]

logger = logging.getLogger("mockc")

Violation = dict[str, str]
"""``{"in": "query", "name": "limit", "pointer": "/limit", "message": "..."}``."""


def _compile(
    schema: Any, defs: Mapping[str, Any], where: str, *, request_body: bool = False
) -> Any:
    """A validator of ``schema`` (discriminators choose their branch); patterns
    jsonschema-rs refuses fall back to a second engine, and a schema that still
    cannot be compiled is not checked (with a warning): a request never fails
    over the contract's own schema."""
    schema, defs = with_openapi_view(schema, defs)
    needed = referenced_defs(schema, defs)
    if request_body:
        schema, needed = strip_read_only_required(schema, needed)
    if needed and isinstance(schema, Mapping):
        schema = {**schema, "$defs": needed}
    try:
        return compile_validator(schema)
    except SchemaCompileError as exc:
        logger.warning("%s: the schema cannot be compiled (%s); it is not validated", where, exc)
        return _UNCHECKED


class _Unchecked:
    """Stands for a validator of a schema that cannot be compiled: accepts everything."""

    def is_valid(self, instance: Any) -> bool:
        return True

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        return iter(())


_UNCHECKED = _Unchecked()


def report_refused_patterns(operation: Mapping[str, Any], defs: Mapping[str, Any]) -> None:
    """Log, at start-up, each pattern of the operation's request schemas (and,
    once per contract, of its named schemas) that is checked by the fallback
    engine or not at all."""
    schemas: list[tuple[str, Any]] = [
        (
            f"{operation.get('id')} {spec.get('location')} parameter {spec.get('name')!r}",
            spec.get("schema"),
        )
        for spec in _parameters(operation)
    ]
    body = operation.get("input") or {}
    schemas += [
        (f"{operation.get('id')} request {media}", content.get("schema"))
        for media, content in (body.get("contents") or {}).items()
    ]
    if _reported_defs.get(id(defs)) is not defs:
        if len(_reported_defs) > 64:
            _reported_defs.clear()
        _reported_defs[id(defs)] = defs
        schemas += [(f"schema {name}", schema) for name, schema in defs.items()]
    for where, schema in schemas:
        for problem in portable(schema)[1]:
            logger.warning("%s, at %s: %s", where, problem.pointer or "/", problem.describe())


_reported_defs: dict[int, Mapping[str, Any]] = {}


def _parameters(operation: Mapping[str, Any]) -> list[Any]:
    """The operation's parameters: its binding's, when its protocol has them."""
    parameters: list[Any] = operation.get("binding", {}).get("parameters", [])
    return parameters


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


class OperationValidator:
    """Validates the parameters and body of one operation."""

    def __init__(self, operation: Mapping[str, Any], defs: Mapping[str, Any]) -> None:
        self._parameters = _parameters(operation)
        body = operation.get("input")
        self._body_schemas: dict[str, Any] = (
            {media: content.get("schema") for media, content in body["contents"].items()}
            if body
            else {}
        )
        self._defs = defs
        self._id = str(operation.get("id"))
        report_refused_patterns(operation, defs)
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
        return _compile(schema, self._defs, f"{self._id} parameters")

    # -- body --------------------------------------------------------------

    def check_body(self, media_type: str, data: Any) -> list[Violation]:
        """Violations of the body schema declared for ``media_type`` (a declared key)."""
        validator = self._body_validators.get(media_type)
        if validator is None:
            schema = self._body_schemas.get(media_type)
            if schema is None:
                return []
            validator = self._body_validators[media_type] = _compile(
                schema, self._defs, f"{self._id} request {media_type}", request_body=True
            )
        return violations_of(validator, data)


def compile_schema(schema: Any, defs: Mapping[str, Any], where: str) -> Any:
    """A validator of ``schema`` over ``defs``, read as requests are (discriminators,
    bounded integer formats, refused patterns checked by the fallback engine);
    one that cannot be compiled accepts everything (with a warning naming ``where``)."""
    return _compile(schema, defs, where)


def violations_of(validator: Any, data: Any) -> list[Violation]:
    """Every violation of ``data`` by ``validator``, each with the JSON pointer of
    the value at fault (of the missing property, for a required one)."""
    try:
        if validator.is_valid(data):
            return []
        errors = list(validator.iter_errors(data))
    except UnicodeEncodeError:
        return [_surrogate_violation(data)]
    violations = []
    for error in errors:
        tokens = [_escape(token) for token in error.instance_path]
        missing = getattr(error.kind, "property", None)
        if missing is not None and error.kind.__class__.__name__ == "Required":
            tokens.append(_escape(str(missing)))
        pointer = "/" + "/".join(tokens) if tokens else ""
        violations.append({"in": "body", "pointer": pointer, "message": error.message})
    return violations


def _surrogate_violation(data: Any) -> Violation:
    """The violation of a body holding a lone surrogate (``"\\ud800"`` escaped in
    JSON), which is not Unicode text: it names the first such key or value."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    pointer = ""
    while stack:
        value, path = stack.pop()
        if isinstance(value, str) and _has_surrogate(value):
            pointer = "/" + "/".join(path) if path else ""
            break
        if isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    pointer = "/" + "/".join((*path, _escape(_shown(key))))
                    stack.clear()
                    break
                stack.append((item, (*path, _escape(key))))
        elif isinstance(value, list):
            stack.extend((item, (*path, str(index))) for index, item in enumerate(value))
    message = "holds a lone surrogate (an escape like \\ud800 without its pair): not Unicode text"
    return {"in": "body", "pointer": _shown(pointer), "message": message}


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX`` escapes, so it can be sent."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
