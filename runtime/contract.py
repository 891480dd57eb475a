"""The contract file (``contract.json``) a generated HTTP server is built from.

A target writes it at generation time from the IR; the runtime reads it at
start-up. It is plain JSON written in a fixed order (spec order where order
means something: examples, media types, responses), so regeneration is
byte-stable.
The shapes below are the whole format; ``format`` is bumped on any change
that an older runtime could not read.

Schemas are JSON Schema 2020-12. Named schemas live in ``defs`` and are
referenced as ``{"$ref": "#/$defs/<Name>"}`` from any schema in the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from .engine import Content, Operation, Output
from .exceptions import RuntimeFailure

__all__ = [
    "CONTRACT_FILE",
    "CONTRACT_FORMAT",
    "ApiInfo",
    "BodyContent",
    "Contract",
    "ContractError",
    "HeaderSpec",
    "OperationSpec",
    "ParameterSpec",
    "RequestBodySpec",
    "ResponseContent",
    "ResponseSpec",
    "engine_operations",
    "load_contract",
]

CONTRACT_FILE = "contract.json"
CONTRACT_FORMAT = 1


class ApiInfo(TypedDict):
    name: str
    title: str
    version: str


class ParameterSpec(TypedDict):
    name: str
    location: str
    """``path``, ``query``, ``header`` or ``cookie``."""
    required: bool
    schema: Any
    """JSON Schema of the value after deserialisation; ``{}`` when unconstrained."""
    style: str
    """``simple``, ``label``, ``matrix``, ``form``, ``spaceDelimited``,
    ``pipeDelimited`` or ``deepObject`` (always set: the location's default
    is filled in by the target)."""
    explode: bool
    """Always set (the style's default is filled in by the target)."""
    media_type: NotRequired[str]
    """Present when the value is an encoded document (OpenAPI ``content``)."""


class BodyContent(TypedDict):
    schema: Any
    encoding: NotRequired[dict[str, Any]]


class RequestBodySpec(TypedDict):
    required: bool
    contents: dict[str, BodyContent]
    """Media type (may hold wildcards like ``*/*`` or ``image/*``) to its schema."""


class HeaderSpec(TypedDict):
    name: str
    required: bool
    schema: Any


class ResponseContent(TypedDict):
    schema: Any
    """JSON Schema of the body, or None when the spec gives none."""
    examples: dict[str, Any]
    """Example name to value, in spec order; ``{}`` when there are none."""


class ResponseSpec(TypedDict):
    status: str
    """``"200"``, ``"2XX"`` or ``"default"`` as written in the spec."""
    description: str
    headers: list[HeaderSpec]
    contents: dict[str, ResponseContent]
    """Media type to content, in spec order; ``{}`` for a response with no body."""


class OperationSpec(TypedDict):
    id: str
    """Stable operation id, a valid Python identifier (names the handler hook)."""
    method: str
    """Upper-case HTTP method."""
    path: str
    """Path template with ``{name}`` placeholders."""
    parameters: list[ParameterSpec]
    body: RequestBodySpec | None
    responses: list[ResponseSpec]
    """In spec order."""


class Contract(TypedDict):
    format: int
    generated_by: str
    api: ApiInfo
    defs: dict[str, Any]
    operations: list[OperationSpec]


class ContractError(RuntimeFailure):
    """The contract file is missing, unreadable or of an unknown format."""


def load_contract(directory: Path) -> Contract:
    path = directory / CONTRACT_FILE
    try:
        data: Any = json.loads(path.read_bytes())
    except FileNotFoundError as exc:
        raise ContractError(f"{path}: no contract file; regenerate the server") from exc
    except (OSError, ValueError) as exc:
        raise ContractError(f"{path}: cannot read the contract: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != CONTRACT_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise ContractError(
            f"{path}: contract format {found!r} is not {CONTRACT_FORMAT}; "
            "regenerate the server with this version of mockc"
        )
    return cast(Contract, data)


def engine_operations(contract: Contract) -> list[Operation]:
    """The contract's operations in the engine's protocol-neutral shape."""
    return [
        Operation(
            id=spec["id"],
            outputs=tuple(
                Output(
                    status=response["status"],
                    contents=tuple(
                        Content(media, content.get("schema"), content.get("examples") or {})
                        for media, content in response.get("contents", {}).items()
                    ),
                    headers=tuple(
                        (header["name"], header.get("schema"))
                        for header in response.get("headers", [])
                    ),
                )
                for response in spec.get("responses", [])
            ),
            query=tuple(
                (parameter["name"], parameter.get("schema") or {})
                for parameter in spec.get("parameters", [])
                if parameter.get("location") == "query"
            ),
            path=tuple(
                parameter["name"]
                for parameter in spec.get("parameters", [])
                if parameter.get("location") == "path"
            ),
        )
        for spec in contract["operations"]
    ]
