"""Checking a mock's responses against its operation: statuses and bodies.

A status an HTTP operation cannot answer (``"abc"``, ``999``, an informational
``1xx``), or a body on a status that has none (204, 304), is an error: the
mock could never be served. A body that contradicts the response schema the
operation declares for its status and media type is a warning naming the
field (``mockc validate --strict`` fails on it). Template strings
(``{{ … }}``, ``$.body.x``) are values known only per request: what lies at or
under them is not judged, and neither are the alternatives (``oneOf``…) of the
values holding them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema_rs

from ..engine import Operation
from ..schema_refs import with_defs
from .problems import WARNING, MockProblem
from .responses import default_status, media_for, status_text
from .source import DocPath, SourceDocument, format_path

__all__ = ["crud_problems", "is_http_operation", "response_problems"]

_HTTP_OUTPUT = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5]XX|default)$", re.IGNORECASE)
_NO_BODY = frozenset({"204", "304"})
_MAX_BODY_PROBLEMS = 5
"""Body warnings reported per response; the first few say enough."""
_STRUCTURAL = frozenset(
    {
        "Required",
        "AdditionalProperties",
        "Type",
        "MinItems",
        "MaxItems",
        "MinProperties",
        "MaxProperties",
        "PropertyNames",
    }
)
"""Failures of a value that holds templates which its static parts decide alone."""
_ALIAS = re.compile(r"^\s*\$\.[A-Za-z_]")


def is_http_operation(operation: Operation) -> bool:
    """Whether ``operation`` answers with HTTP statuses (its outputs say so)."""
    return bool(operation.outputs) and all(
        _HTTP_OUTPUT.match(output.status) for output in operation.outputs
    )


def response_problems(
    source: SourceDocument,
    path: DocPath,
    file: str,
    operation: Operation,
    defs: Mapping[str, Any] | None,
) -> list[MockProblem]:
    """The problems of the response at ``path`` (valid against the mock schema)."""
    data: Any = source.data
    for part in path:
        data = data[part]
    problems: list[MockProblem] = []
    http = is_http_operation(operation)
    status = data.get("status")
    if http:
        for at, value in ((("status",), status), (("fault", "status"), _fault_status(data))):
            message = _http_status_problem(value, operation.id)
            if message is not None:
                problems.append(MockProblem(file, *source.value_at((*path, *at)), message))
        if problems:
            return problems
    answered = status_text(status) if status is not None else default_status(operation)
    has_body = data.get("body") is not None or "text" in data
    if http and answered in _NO_BODY and has_body:
        key = "text" if "text" in data else "body"
        message = f"status {answered} has no body; remove '{key}' or choose another status"
        problems.append(MockProblem(file, *source.key_at((*path, key)), message))
        return problems
    if data.get("body") is not None and defs is not None:
        problems.extend(_body_problems(source, path, file, operation, answered, defs))
    return problems


_NEEDS_ID = frozenset({"get", "replace", "patch", "delete"})


def crud_problems(source: SourceDocument, file: str, operation: Operation) -> list[MockProblem]:
    """A ``crud`` preset that cannot find its records' ids in an HTTP operation's
    requests: no path parameter to take them from, or an ``id_param`` that the
    operation does not declare."""
    crud = source.data["crud"]
    if operation.path is None or crud.get("action") not in _NEEDS_ID:
        return []
    if not is_http_operation(operation):
        return []
    id_param = crud.get("id_param")
    declared = (*operation.path, *(name for name, _ in operation.query))
    if id_param is None and not operation.path:
        message = (
            f"crud action {crud['action']} needs the record's id, but operation "
            f"'{operation.id}' has no path parameter; set crud.id_param to a query parameter"
        )
        return [MockProblem(file, *source.key_at(("crud", "action")), message)]
    if id_param is not None and id_param not in declared:
        names = ", ".join(declared) or "none"
        message = (
            f"crud.id_param '{id_param}' is not a path or query parameter of "
            f"'{operation.id}' (declared: {names})"
        )
        return [MockProblem(file, *source.value_at(("crud", "id_param")), message)]
    return []


def _fault_status(data: Mapping[str, Any]) -> Any:
    fault = data.get("fault")
    return fault.get("status") if isinstance(fault, Mapping) else None


def _http_status_problem(value: Any, operation_id: str) -> str | None:
    if value is None:
        return None
    text = status_text(value)
    if text.isascii() and text.isdigit() and len(text) == 3 and 200 <= int(text) <= 599:
        return None
    if text.isascii() and text.isdigit() and len(text) == 3 and text.startswith("1"):
        return f"status {text} is informational; a response needs a status from 200 to 599"
    return (
        f"status {value!r} is not an HTTP status (200-599); operation "
        f"'{operation_id}' answers over HTTP"
    )


def _body_problems(
    source: SourceDocument,
    path: DocPath,
    file: str,
    operation: Operation,
    status: str,
    defs: Mapping[str, Any],
) -> list[MockProblem]:
    data = source.data
    for part in path:
        data = data[part]
    media_type, schema = _declared(operation, status, data)
    if schema is None:
        return []
    validator = _validator(schema, defs)
    if validator is None:
        return []
    body = data["body"]
    dynamic = list(_template_paths(body, ()))
    try:
        if validator.is_valid(body):
            return []
        errors = list(validator.iter_errors(body))
    except (UnicodeEncodeError, ValueError):
        return []
    problems: list[MockProblem] = []
    for error in errors:
        at = tuple(error.instance_path)
        if not _judged(at, type(error.kind).__name__, dynamic):
            continue
        where = format_path((*path, "body", *at))
        message = (
            f"{where}: {error.message} (the {status} {media_type} response schema "
            f"of '{operation.id}')"
        )
        position = source.value_at((*path, "body", *at))
        problems.append(MockProblem(file, *position, message, WARNING))
        if len(problems) >= _MAX_BODY_PROBLEMS:
            break
    return problems


def _declared(operation: Operation, status: str, data: Mapping[str, Any]) -> tuple[str, Any]:
    """The media type and schema the body is answered with (see BoundResponse)."""
    output = operation.output_for(status)
    if output is None:
        return "", None
    media_type = data.get("media_type")
    for name, value in (data.get("headers") or {}).items():
        if name.lower() == "content-type" and media_type is None and isinstance(value, str):
            media_type = value
    if media_type is None:
        return media_for(operation, status)
    wanted = str(media_type).partition(";")[0].strip().lower()
    for content in output.contents:
        if content.media_type.lower() == wanted:
            return content.media_type, content.schema
    return wanted, None


_validators: dict[tuple[int, str], tuple[Mapping[str, Any], Any]] = {}
_MAX_VALIDATORS = 512


def _validator(schema: Any, defs: Mapping[str, Any]) -> Any:
    """The compiled validator of ``schema`` (over ``defs``), compiled once per
    process: the mocks of an operation, and edits of one mock, share it."""
    try:
        key = (id(defs), json.dumps(schema, sort_keys=True))
    except (TypeError, ValueError):
        return None
    cached = _validators.get(key)
    if cached is not None and cached[0] is defs:
        return cached[1]
    try:
        validator = jsonschema_rs.validator_for(with_defs(schema, defs), validate_formats=True)
    except Exception:  # a schema the validator cannot compile is reported by generate
        validator = None
    if len(_validators) >= _MAX_VALIDATORS:
        _validators.clear()
    _validators[key] = (defs, validator)
    return validator


def _template_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """The paths of the strings in ``value`` that are templates."""
    if isinstance(value, str):
        if "{{" in value or _ALIAS.match(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _template_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _template_paths(item, (*path, index))


def _judged(at: tuple[Any, ...], kind: str, dynamic: list[tuple[str | int, ...]]) -> bool:
    """Whether a failure at ``at`` is decided by the static parts of the body."""
    for template in dynamic:
        if at[: len(template)] == template:
            return False  # at or under a template
        if template[: len(at)] == at and kind not in _STRUCTURAL:
            return False  # a value holding a template, judged as a whole
    return True
