"""What the mock expects of each consumed message: its media type, the
validator of its payload and of its headers, and where it carries its
correlation id and reply address (AsyncAPI runtime expressions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..json_codec import json_bytes, parse_json
from ..message_expressions import pointer_parts, value_at
from ..schema_validators import compile_validator, defs_registry, registry_refs

__all__ = [
    "HeaderRule",
    "Inbound",
    "inbound_of",
    "is_json",
    "payload_value",
    "with_payload_value",
]

MAX_PROBLEMS = 10
"""Problems a verdict lists at most."""


def is_json(media_type: str) -> bool:
    media_type = media_type.split(";", 1)[0].strip().lower()
    return media_type in ("", "application/json") or media_type.endswith("+json")


def _pointer(path: Any) -> str:
    return "/" + "/".join(map(str, path)) if path else "(root)"


@dataclass(slots=True)
class HeaderRule:
    name: str
    required: bool
    validator: Any
    """A jsonschema-rs validator; None when the value is unconstrained."""


@dataclass(slots=True)
class Inbound:
    """A message the mock consumes on one operation."""

    operation: str
    media_type: str = "application/json"
    validator: Any = None
    """Of the payload; None when it is unconstrained."""
    headers: list[HeaderRule] = field(default_factory=list)
    correlation_id: str = ""
    """Where the message carries its correlation id (``$message.header#/id``)."""

    @property
    def json(self) -> bool:
        return is_json(self.media_type)

    def problems(self, payload: Any, headers: Mapping[str, str]) -> list[str]:
        """Why the message breaks its contract ([] when it does not)."""
        found: list[str] = []
        if self.validator is not None:
            found += [
                f"payload {_pointer(error.instance_path)}: {error.message}"
                for error in self.validator.iter_errors(payload)
            ]
        lowered = {name.lower(): value for name, value in headers.items()}
        for rule in self.headers:
            value = lowered.get(rule.name.lower())
            if value is None:
                if rule.required:
                    found.append(f"header {rule.name}: missing")
                continue
            if rule.validator is None:
                continue
            typed = _typed(value)
            if not rule.validator.is_valid(typed) and not rule.validator.is_valid(value):
                error = next(iter(rule.validator.iter_errors(value)), None)
                found.append(f"header {rule.name}: {error.message if error else 'invalid'}")
        return found[:MAX_PROBLEMS]


def _typed(value: str) -> Any:
    """A header's text as the JSON value it spells (``"42"`` → 42), else itself."""
    try:
        return parse_json(value)
    except (ValueError, RecursionError):
        return value


def _validator(schema: Any, registry: Any) -> Any:
    if schema in (None, {}, True):
        return None
    return compile_validator(registry_refs(schema), registry=registry)


def inbound_of(operations: list[Mapping[str, Any]], defs: Mapping[str, Any]) -> dict[str, Inbound]:
    """The consumed messages of the contract's ``receive`` operations, by operation id."""
    registry = defs_registry(defs) if defs else None
    found: dict[str, Inbound] = {}
    for spec in operations:
        binding = spec["binding"]
        if binding.get("action") != "receive":
            continue
        contents = (spec.get("input") or {}).get("contents") or {"application/json": {}}
        media_type, content = next(iter(contents.items()))
        found[spec["id"]] = Inbound(
            spec["id"],
            media_type=media_type,
            validator=_validator(content.get("schema"), registry),
            headers=[
                HeaderRule(
                    header["name"],
                    bool(header.get("required")),
                    _validator(header.get("schema"), registry),
                )
                for header in binding.get("headers") or ()
            ],
            correlation_id=str(binding.get("correlation_id") or ""),
        )
    return found


def payload_value(payload: Any, pointer: str) -> Any:
    """The value at JSON ``pointer`` in a decoded payload; None when absent."""
    return value_at(payload, pointer_parts(pointer))


def with_payload_value(payload: bytes, pointer: str, value: Any) -> bytes:
    """``payload``, a JSON object, with ``value`` at JSON ``pointer`` (objects made
    on the way as needed); ``payload`` as it is when it is not a JSON object or
    the way is blocked by something else."""
    parts = pointer_parts(pointer)
    try:
        data = parse_json(payload)
    except (ValueError, RecursionError):
        return payload
    if not parts or not isinstance(data, dict):
        return payload
    target = data
    for part in parts[:-1]:
        inner = target.setdefault(part, {})
        if not isinstance(inner, dict):
            return payload
        target = inner
    target[parts[-1]] = value
    return json_bytes(data)
