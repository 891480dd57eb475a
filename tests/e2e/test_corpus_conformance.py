"""Every OpenAPI document of the corpus, served by its generated mock server,
answers requests built from the spec the way the spec says it will.

Per spec (one test id each, one module-scoped server each):

* ``test_schemathesis_conformance``: schemathesis builds requests for every
  operation, a few examples each (fewer for big specs, so a run stays bounded),
  in two modes. Positive (valid requests): the answer is never a 5xx, the
  request is accepted (``positive_data_acceptance``), the status and content
  type are declared, required declared headers are present and valid, and the
  body validates against the declared schema. Negative (invalid requests):
  never a 5xx, and refused with a 4xx (``negative_data_rejection``). The
  counts (operations, cases per mode, failures) are printed per spec.
* ``test_prefer_requests``: one request per operation built here from the IR
  (path parameters from their schema's example/enum/a simple valid value), sent
  with ``Prefer: dynamic=true`` and with no ``Prefer``; the answer must be a
  declared 2xx (or ``default``) status whose JSON body validates, with the
  ``jsonschema`` library (plus OpenAPI's ``discriminator``, written here),
  against the response schema the IR gives.

Specs schemathesis cannot read (``SCHEMATHESIS_FALLBACK``, with the reason)
take the request builder of this module and ``jsonschema`` instead, for every
operation. Where a spec contradicts itself or schemathesis mis-reads it, the
one operation/check concerned is excluded with its reason (``EXCLUDED_CHECKS``,
``NEGATIVE_MISREADS``, ``CREDENTIALS_NOT_CHECKED``). Every exclusion is
strict, like ``xfail(strict=True)``: an excluded check that passes, a fallback
spec schemathesis reads after all, a misread that no case shows, fail the test,
so stale exclusions cannot hide regressions; ``test_exclusions_name_real_operations``
keeps the tables naming real operations and checks. Failures are collected for
the whole spec and asserted on at once, so one run shows all of them.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import jsonschema
import pytest
import requests
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
OPENAPI_CORPUS = CORPUS / "openapi"
PETSTORE = ROOT / "examples" / "petstore" / "openapi.yaml"

pytestmark = pytest.mark.slow

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
"""Valid requests: never a 5xx, always accepted, every answer as the spec declares it."""
NEGATIVE_CHECKS = [not_a_server_error, negative_data_rejection]
"""Invalid requests: never a 5xx, always refused with a 4xx. The refusal is mockc's
problem document, which a spec declaring no 4xx cannot describe, so conformance
checks of the answer apply to valid requests only."""
SCHEMATHESIS_CHECK_NAMES = {check.__name__ for check in (*POSITIVE_CHECKS, *NEGATIVE_CHECKS)}

BIG_SPEC_OPERATIONS, HUGE_SPEC_OPERATIONS = 50, 300
"""Specs with more operations than these get fewer schemathesis examples each."""
MAX_EXAMPLES, MAX_EXAMPLES_BIG, MAX_EXAMPLES_HUGE = 3, 2, 1

DIGITALOCEAN = "digitalocean-multifile/specification/DigitalOcean-public.v2.yaml"
SWAGGER2_NO_BODY = (
    "Swagger 2.0 response without a schema has no body; schemathesis still expects a "
    "`produces` content type"
)

SCHEMATHESIS_FALLBACK: dict[str, str] = {
    DIGITALOCEAN: (
        "every operation is a $ref to another file (invalid OpenAPI 3.0: an Operation Object "
        "is not a Reference Object); schemathesis reads them without parameters, bodies or "
        "responses, so this spec is checked with the request builder and jsonschema only"
    ),
}
"""spec id → why schemathesis cannot check it at all."""

EXCLUDED_CHECKS: dict[str, dict[str, tuple[str, str]]] = {
    DIGITALOCEAN: {
        "POST /v2/droplets": (
            "response_schema_conformance",
            "the 202 schema is a oneOf of two schemas that declare properties but no type, "
            "required or additionalProperties: every value is valid under both, so no body "
            "is valid under the oneOf",
        ),
    },
    "oai-non-oauth-scopes-v31/non-oauth-scopes.yaml": {
        "GET /users": (
            "status_code_conformance",
            "the operation declares no responses (allowed by 3.1): no status can conform",
        ),
    },
    "oai-petstore-v2/petstore.json": {
        "POST /pets": ("content_type_conformance", SWAGGER2_NO_BODY),
    },
    "oai-petstore-v2/petstore.yaml": {
        "POST /pets": ("content_type_conformance", SWAGGER2_NO_BODY),
    },
    "oai-petstore-expanded-v2/petstore-expanded.json": {
        "DELETE /pets/{id}": ("content_type_conformance", SWAGGER2_NO_BODY),
    },
    "oai-petstore-separate-v2/spec/swagger.yaml": {
        "DELETE /pets/{id}": ("content_type_conformance", SWAGGER2_NO_BODY),
    },
}
"""spec id → {"METHOD /path" → (schemathesis check not run there, why)}: the spec
contradicts itself there, or schemathesis mis-reads it."""


# -- the specs ------------------------------------------------------------------


def _document(served: Served) -> dict[str, Any]:
    text = served.path.read_text(encoding="utf-8")
    document = json.loads(text) if served.path.suffix == ".json" else yaml.safe_load(text)
    return document if isinstance(document, dict) else {}


def _is_entry_document(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return isinstance(document, dict) and ("openapi" in document or "swagger" in document)


def _entry_documents() -> list[tuple[str, Path]]:
    found = [("petstore-example", PETSTORE)]
    for path in sorted(OPENAPI_CORPUS.rglob("*")):
        if path.suffix in {".yaml", ".yml", ".json"} and _is_entry_document(path):
            found.append((path.relative_to(OPENAPI_CORPUS).as_posix(), path))
    return found


SPECS = _entry_documents()


# -- the served spec --------------------------------------------------------------


@dataclass
class Served:
    spec_id: str
    path: Path
    api: ir.Api
    url: str
    defs: dict[str, Any]
    response_defs: dict[str, Any]
    server: ServerProcess
    failures: list[str] = field(default_factory=list)


@pytest.fixture(scope="module", params=SPECS, ids=[spec_id for spec_id, _ in SPECS])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    spec_id, path = request.param
    out = tmp_path_factory.mktemp("conformance") / "server"
    compiled, _ = generate([path], out, GenerateOptions())
    api = compile_specs([path]).api
    assert api == compiled.api
    defs = {name: ir.thaw(schema) for name, schema in api.schema_map().items()}
    command = [sys.executable, "server.py"]
    with ServerProcess(command, cwd=out, port=free_port()) as server:
        response_defs = {name: response_view(schema, defs) for name, schema in defs.items()}
        yield Served(spec_id, path, api, server.url, defs, response_defs, server)


def _http_operations(api: ir.Api) -> list[tuple[ir.Operation, ir.HttpBinding]]:
    return [
        (operation, operation.binding)
        for operation in api.operations
        if isinstance(operation.binding, ir.HttpBinding)
    ]


def _label(binding: ir.HttpBinding) -> str:
    return f"{binding.method} {binding.path}"


# -- schema helpers (independent of the runtime's own validator) ------------------


def _by_discriminator(keyword: str) -> Any:
    """``oneOf``/``anyOf`` as OpenAPI reads them when a ``discriminator`` is declared:
    an object is checked against the one schema its discriminator value names."""
    plain = jsonschema.Draft202012Validator.VALIDATORS[keyword]

    def check(validator: Any, branches: Any, instance: Any, schema: Any) -> Iterator[Any]:
        discriminator = schema.get("discriminator")
        prop = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        if not isinstance(prop, str) or not isinstance(instance, dict):
            yield from plain(validator, branches, instance, schema)
            return
        if prop not in instance:
            yield jsonschema.ValidationError(f"discriminator property {prop!r} is missing")
            return
        value = instance[prop]
        mapping = discriminator.get("mapping") or {}
        named = [b["$ref"] for b in branches if isinstance(b, dict) and "$ref" in b]
        names = {**{ref.removeprefix(ir.SCHEMA_REF_PREFIX): ref for ref in named}, **mapping}
        target = names.get(value) if isinstance(value, str) else None
        if target is None and isinstance(value, str):  # then without regard to case
            folded = [ref for name, ref in names.items() if name.lower() == value.lower()]
            target = folded[0] if len(set(folded)) == 1 else None
        if target is None:  # names no schema: the composition applies as written
            yield from plain(validator, branches, instance, schema)
            return
        yield from validator.descend(instance, {"$ref": target})

    return check


OpenApiValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    {"oneOf": _by_discriminator("oneOf"), "anyOf": _by_discriminator("anyOf")},
)
"""Draft 2020-12 with OpenAPI's ``discriminator``; written here, independent of the
runtime's own validator."""


def _validator(schema: Any, defs: Mapping[str, Any]) -> Any:
    root: dict[str, Any] = {"$defs": dict(defs), "allOf": [schema]}
    return OpenApiValidator(root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _errors(value: Any, schema: Any, defs: Mapping[str, Any]) -> list[str]:
    if schema is None:
        return []
    return [
        f"{'/' + '/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in _validator(schema, defs).iter_errors(value)
    ]


def _resolve(schema: Any, defs: Mapping[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
        name = schema["$ref"].removeprefix(ir.SCHEMA_REF_PREFIX)
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        schema = {**defs.get(name, {}), **siblings}
        seen += 1
    return schema


def _is_write_only(schema: Any, defs: Mapping[str, Any]) -> bool:
    if not isinstance(schema, dict):
        return False
    parts = [schema, _resolve(schema, defs), *schema.get("allOf", ())]
    return any(isinstance(part, dict) and part.get("writeOnly") is True for part in parts)


def response_view(schema: Any, defs: Mapping[str, Any]) -> Any:
    """``schema`` as OpenAPI applies it to responses: a required ``writeOnly``
    property is required in requests only."""
    if isinstance(schema, list):
        return [response_view(item, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: response_view(value, defs) for key, value in schema.items()}
    properties, required = schema.get("properties"), schema.get("required")
    if isinstance(properties, dict) and isinstance(required, list):
        out["required"] = [n for n in required if not _is_write_only(properties.get(n), defs)]
    return out


FORMAT_SAMPLES = {
    "date": "2024-01-02",
    "date-time": "2024-01-02T03:04:05Z",
    "time": "03:04:05Z",
    "email": "someone@example.com",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
}


def _string_sample(schema: Mapping[str, Any]) -> str:
    low = int(schema.get("minLength", 1) or 0)
    high = int(schema.get("maxLength", max(low, 1000)))
    if isinstance(schema.get("format"), str) and schema["format"] in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[schema["format"]]
    if isinstance(schema.get("pattern"), str):
        return _matching(schema["pattern"], low, high)
    return ("abcdefgh" * (low // 8 + 1))[: max(low, min(high, 3))]


@functools.cache
def _matching(pattern: str, low: int, high: int) -> str:
    """The simplest string hypothesis finds for ``pattern`` within the length bounds."""
    strategy = st.from_regex(pattern).filter(lambda text: low <= len(text) <= high)
    return str(find(strategy, lambda _: True, settings=settings(database=None)))


def _number_sample(schema: Mapping[str, Any], integer: bool) -> int | float:
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        low = schema["exclusiveMinimum"] + (1 if integer else 0.5)
    if isinstance(schema.get("exclusiveMaximum"), int | float):
        high = schema["exclusiveMaximum"] - (1 if integer else 0.5)
    value: int | float = 1
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step:
        value = step * max(1, -(-value // step)) if value > 0 else 0
    return int(value) if integer else value


def _sample(schema: Any, defs: Mapping[str, Any], depth: int = 0, *, full: bool = False) -> Any:
    """A simple value valid against ``schema``: its own example where valid, else built
    (``full``: with every property, not only the required ones)."""
    schema = _resolve(schema, defs)
    if not isinstance(schema, dict) or depth > 12:
        return "x"
    candidates: list[Any] = []
    for key in ("const", "example", "default"):
        if key in schema:
            candidates.append(schema[key])
    for key in ("enum", "examples"):
        if isinstance(schema.get(key), list):
            candidates.extend(schema[key])
    for candidate in candidates:
        if candidate is not None and not _errors(candidate, schema, defs):
            return candidate
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {key: v for key, v in schema.items() if key != "allOf"}
        for part in schema["allOf"]:
            part = _resolve(part, defs)
            if isinstance(part, dict):
                for key, value in part.items():
                    if key == "properties":
                        merged["properties"] = {**merged.get("properties", {}), **value}
                    elif key == "required":
                        merged["required"] = [*merged.get("required", []), *value]
                    else:
                        merged.setdefault(key, value)
        return _sample(merged, defs, depth + 1, full=full)
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            rest = {k: v for k, v in schema.items() if k != key}
            for complete in (False, True):
                for option in schema[key]:
                    option = _resolve(option, defs)
                    branch = {**rest, **option} if isinstance(option, dict) else option
                    value = _sample(branch, defs, depth + 1, full=complete)
                    if not _errors(value, schema, defs):
                        return value
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    if kind == "string":
        return _string_sample(schema)
    if kind in ("integer", "number"):
        return _number_sample(schema, kind == "integer")
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 0)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        item = _sample(schema.get("items", {}), defs, depth + 1, full=full)
        return [item] * count
    properties = schema.get("properties", {})
    names = [*schema.get("required", []), *(properties if full else ())]
    return {name: _sample(properties.get(name, {}), defs, depth + 1) for name in names}


# -- the request builder ------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _path_value(parameter: ir.Parameter, value: Any) -> str:
    if isinstance(value, list):
        text = ",".join(quote(_text(v), safe="") for v in value)
    elif isinstance(value, dict):
        text = ",".join(f"{quote(k, safe='')},{quote(_text(v), safe='')}" for k, v in value.items())
    else:
        text = quote(_text(value), safe="")
    if parameter.style == "label":
        return "." + text
    if parameter.style == "matrix":
        return f";{parameter.name}={text}"
    return text


def _query_pairs(parameter: ir.Parameter, value: Any) -> list[tuple[str, str]]:
    style = parameter.style or "form"
    explode = parameter.explode if parameter.explode is not None else style == "form"
    if isinstance(value, list):
        if style == "form" and explode:
            return [(parameter.name, _text(v)) for v in value]
        joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(parameter.name, joiner.join(_text(v) for v in value))]
    if isinstance(value, dict):
        if style == "deepObject":
            return [(f"{parameter.name}[{k}]", _text(v)) for k, v in value.items()]
        if explode:
            return [(k, _text(v)) for k, v in value.items()]
        return [(parameter.name, ",".join(f"{k},{_text(v)}" for k, v in value.items()))]
    return [(parameter.name, _text(value))]


def _parameter_value(parameter: ir.Parameter, defs: Mapping[str, Any]) -> Any:
    for example in parameter.examples:
        value = ir.thaw(example.value)
        if not _errors(value, ir.thaw(parameter.schema), defs):
            return value
    return _sample(ir.thaw(parameter.schema), defs)


JSON_LIKE = ("application/json", "+json")


def _is_json(media_type: str) -> bool:
    media_type = media_type.split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json") or media_type == "*/*"


def build_request(
    operation: ir.Operation, binding: ir.HttpBinding, defs: Mapping[str, Any]
) -> dict[str, Any]:
    """httpx ``request`` keyword arguments for one valid request to ``operation``."""
    path = binding.path
    params: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for parameter in binding.parameters:
        if parameter.location != ir.ParameterLocation.PATH and not parameter.required:
            continue
        value = _parameter_value(parameter, defs)
        if parameter.media_type:
            value = json.dumps(value)
        if parameter.location == ir.ParameterLocation.PATH:
            path = path.replace("{" + parameter.name + "}", _path_value(parameter, value))
        elif parameter.location == ir.ParameterLocation.QUERY:
            params.extend(_query_pairs(parameter, value))
        elif parameter.location == ir.ParameterLocation.HEADER:
            if isinstance(value, list):
                headers[parameter.name] = ",".join(_text(v) for v in value)
            else:
                headers[parameter.name] = _text(value)
        elif parameter.location == ir.ParameterLocation.COOKIE:
            cookies[parameter.name] = quote(_text(value), safe="")
    kwargs: dict[str, Any] = {"method": binding.method, "url": path, "params": params}
    message = operation.input
    if message is not None and message.contents:
        contents = sorted(message.contents, key=lambda c: not _is_json(c.media_type))
        content = contents[0]
        schema = ir.thaw(content.schema)
        body = None
        for example in content.examples:
            candidate = ir.thaw(example.value)
            if not _errors(candidate, schema, defs):
                body = candidate
                break
        if body is None:
            body = _sample(schema, defs) if schema is not None else {}
        media_type = content.media_type
        if _is_json(media_type):
            kwargs["content"] = json.dumps(body).encode()
            media_type = "application/json" if media_type == "*/*" else media_type
        elif media_type.startswith("application/x-www-form-urlencoded"):
            fields = body if isinstance(body, dict) else {}
            kwargs["content"] = (
                httpx.QueryParams(
                    [pair for name, v in fields.items() for pair in _form_pairs(name, v)]
                )
                .__str__()
                .encode()
            )
        elif media_type.startswith("multipart/"):
            fields = body if isinstance(body, dict) else {}
            files = [
                (name, (None, json.dumps(v) if isinstance(v, dict) else _text(v)))
                for name, v in fields.items()
            ]
            kwargs["files"] = files or [("file", ("x.bin", b"x", "application/octet-stream"))]
            media_type = ""
        elif media_type.startswith("text/"):
            kwargs["content"] = _text(body).encode()
        else:
            kwargs["content"] = b"x"
        if media_type:
            headers["content-type"] = media_type
    if cookies:
        headers["cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    kwargs["headers"] = headers
    return kwargs


def _form_pairs(name: str, value: Any) -> list[tuple[str, str]]:
    """Form fields for ``value``: nested objects and arrays of objects in bracket keys
    (``a[b]=1``, ``a[0][b]=1``), as OpenAPI's deepObject encoding writes them."""
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return [pair for i, v in enumerate(value) for pair in _form_pairs(f"{name}[{i}]", v)]
        return [(name, _text(v)) for v in value]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _form_pairs(f"{name}[{k}]", v)]
    return [(name, _text(value))]


# -- checking an answer against the IR ------------------------------------------------


def _output_for(operation: ir.Operation, status: int) -> ir.Output | None:
    keys = {output.key.upper(): output for output in operation.outputs}
    return keys.get(str(status)) or keys.get(f"{status // 100}XX") or keys.get("DEFAULT")


def check_answer(
    operation: ir.Operation,
    response: httpx.Response,
    defs: Mapping[str, Any],
    response_defs: Mapping[str, Any],
    *,
    require_success: bool,
    validate_body: bool = True,
) -> list[str]:
    """What is wrong with ``response`` as an answer of ``operation`` (IR + jsonschema)."""
    problems: list[str] = []
    status = response.status_code
    output = _output_for(operation, status)
    declared = [output.key for output in operation.outputs]
    if status >= 500:
        problems.append(f"server error {status}: {response.text[:300]}")
        return problems
    if output is None and declared:
        problems.append(f"status {status} is not declared ({', '.join(declared)})")
        return problems
    if require_success and not 200 <= status < 300:
        problems.append(f"status {status}, expected a declared 2xx: {response.text[:300]}")
        return problems
    if output is None or status in (204, 304) or not output.message.contents:
        return problems
    received = response.headers.get("content-type", "").split(";")[0].strip().lower()
    content = next(
        (c for c in output.message.contents if c.media_type.lower() == received),
        next((c for c in output.message.contents if c.media_type == "*/*"), None),
    )
    if content is None:
        declared_types = ", ".join(c.media_type for c in output.message.contents)
        problems.append(f"content type {received!r} is not declared ({declared_types})")
        return problems
    if validate_body and _is_json(received) and content.schema is not None:
        try:
            body = response.json()
        except ValueError as bad_json:
            return [f"{status} body is not JSON ({bad_json}): {response.text[:200]}"]
        schema = response_view(ir.thaw(content.schema), defs)
        for error in _errors(body, schema, response_defs)[:5]:
            problems.append(f"{status} body: {error}")
    return problems


# -- the tests --------------------------------------------------------------------------


@dataclass
class Tally:
    """What one spec's run did, printed at its end (``pytest -s`` shows it)."""

    operations: int = 0
    cases: dict[str, int] = field(default_factory=lambda: {"positive": 0, "negative": 0})
    not_negatable: int = 0
    security_names: set[str] = field(default_factory=set)
    expected: dict[str, int] = field(default_factory=dict)
    """``"METHOD /path"`` → how often its excluded check failed, as the exclusion says."""
    credentials_accepted: int = 0
    """Negative cases that only left out or broke a credential (CREDENTIALS_NOT_CHECKED)."""
    not_sent: int = 0
    misread: int = 0
    refused_otherwise: int = 0
    """Negative cases that are valid requests (NEGATIVE_MISREADS)."""
    spec_id: str = ""
    """Negative cases whose invalid parameter never reached the wire (see _not_sent)."""

    def line(self, spec_id: str, failures: int) -> str:
        return (
            f"conformance {spec_id}: {self.operations} operations, "
            f"{self.cases['positive']} positive and {self.cases['negative']} negative cases "
            f"({self.not_negatable} operations with nothing to negate, "
            f"{self.credentials_accepted} accepted without credentials, "
            f"{self.not_sent} invalid values lost in serialisation, "
            f"{self.misread} valid requests sent as invalid, "
            f"{self.refused_otherwise} refused with another 4xx), {failures} failures"
        )


NEGATIVE_MISREADS: dict[str, tuple[str, str]] = {
    "slack-web-api-v2/slack_web_openapi_v2.json": (
        "in body - violates `additionalProperties`",
        "schemathesis reads a Swagger 2.0 operation's formData parameters as a closed object "
        "and sends an extra field as invalid data; the spec does not close it (the contract's "
        "body schema allows other fields, as it does for query parameters), so the request "
        "is valid and accepted",
    ),
}
"""spec id → (text of schemathesis' negative-case description, why such a case is in
fact a valid request). Strict: each must still match a case of its spec."""

CREDENTIALS_NOT_CHECKED = (
    "mockc does not check credentials: a request without (or with a malformed) "
    "Authorization header or API key is answered like any other, so schemathesis' negative "
    "cases that only break a credential are accepted"
)
"""Why negative cases whose invalid component is a security scheme's credential are not
failures. Strict: test_credentials_are_not_checked fails once mockc checks them."""

_INVALID_COMPONENT = re.compile(r"parameter `([^`]+)` in (query|header|cookie|path)")


def _security_names(document: Mapping[str, Any]) -> set[str]:
    """Lower-cased header/query/cookie names the spec's security schemes read."""
    schemes = (document.get("components") or {}).get("securitySchemes") or document.get(
        "securityDefinitions"
    )
    names: set[str] = set()
    for scheme in (schemes or {}).values():
        if not isinstance(scheme, dict):
            continue
        if scheme.get("type") in ("http", "basic"):
            names.add("authorization")
        elif scheme.get("type") == "apiKey" and isinstance(scheme.get("name"), str):
            names.add(scheme["name"].lower())
    return names


def _not_sent(message: str, response: Any) -> bool:
    """Whether the invalid query parameter a negative case names is absent from the
    request as sent: schemathesis serialises some invalid values (an empty object) to
    nothing, and the request then is valid."""
    found = _INVALID_COMPONENT.search(message)
    if found is None or found.group(2) != "query":
        return False
    sent = parse_qs(urlsplit(str(response.request.url)).query, keep_blank_values=True)
    return found.group(1) not in sent


def _run_schemathesis(
    served: Served,
    operation: Any,
    mode: GenerationMode,
    max_examples: int,
    failures: list[str],
    excluded: str,
    tally: Tally,
) -> str | None:
    """Run schemathesis on one operation in one mode; the reason it could not, or None."""
    label = operation.label
    seen: set[str] = set()
    session = requests.Session()
    checks = POSITIVE_CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        tally.cases[mode.value] += 1
        try:
            response = case.call(base_url=served.url, session=session, timeout=60)
        except Exception as error:  # a transport error is the server's fault here
            failures.append(f"{label} [{mode.value}]: request failed: {type(error).__name__}")
            return
        try:
            case.validate_response(response, checks=checks)
        except FailureGroup as group:
            for failure in group.exceptions:
                _record(failure, case, response, label, mode, excluded, seen, failures, tally)
        except AssertionError as failure:
            _record(failure, case, response, label, mode, excluded, seen, failures, tally)

    try:
        run()
    except Exception as error:  # raised while generating, never by the checks above
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200]}"
    finally:
        session.close()
    return None


def _record(
    failure: Any,
    case: Any,
    response: Any,
    label: str,
    mode: GenerationMode,
    excluded: str,
    seen: set[str],
    failures: list[str],
    tally: Tally,
) -> None:
    title = str(getattr(failure, "title", None) or type(failure).__name__)
    check = FAILURE_CHECKS.get(type(failure).__name__)
    if excluded and check == excluded:
        tally.expected[label] = tally.expected.get(label, 0) + 1
        return
    if check == "negative_data_rejection":
        if 400 <= response.status_code < 500:  # refused, with a status schemathesis does
            tally.refused_otherwise += 1  # not list (414 URI Too Long from the server)
            return
        message = str(getattr(failure, "message", ""))
        found = _INVALID_COMPONENT.search(message)
        if found and found.group(1).lower() in tally.security_names:
            tally.credentials_accepted += 1
            return
        if _not_sent(message, response):
            tally.not_sent += 1
            return
        misread = NEGATIVE_MISREADS.get(tally.spec_id)
        if misread is not None and misread[0] in message:
            tally.misread += 1
            return
    key = f"{label}:{mode.value}:{title}"
    if key in seen:
        return
    seen.add(key)
    message = str(getattr(failure, "message", failure)).strip()[:400]
    failures.append(
        f"{label} [{mode.value}]: {title}: {message}\n    request: {case.as_curl_command()[:300]}"
    )


FAILURE_CHECKS = {
    "ServerError": "not_a_server_error",
    "UndefinedStatusCode": "status_code_conformance",
    "UndefinedContentType": "content_type_conformance",
    "MissingContentType": "content_type_conformance",
    "MalformedMediaType": "content_type_conformance",
    "MissingHeaders": "response_headers_conformance",
    "JsonSchemaError": "response_schema_conformance",
    "MalformedJson": "response_schema_conformance",
    "DiscriminatorMismatch": "response_schema_conformance",
    "ContentDeserializationError": "response_schema_conformance",
    "AcceptedNegativeData": "negative_data_rejection",
    "RejectedPositiveData": "positive_data_acceptance",
}
"""schemathesis failure class → the check that raises it."""


def _operation_count_limit(operations: int) -> int:
    if operations > HUGE_SPEC_OPERATIONS:
        return MAX_EXAMPLES_HUGE
    return MAX_EXAMPLES_BIG if operations > BIG_SPEC_OPERATIONS else MAX_EXAMPLES


def _has_nothing_to_negate(operation: Any) -> bool:
    parameters = list(operation.iter_parameters())
    return not parameters and not operation.get_request_payload_content_types()


def test_schemathesis_conformance(served: Served) -> None:
    operations = _http_operations(served.api)
    if not operations:
        pytest.skip(f"{served.spec_id} declares no HTTP operations (webhooks only)")
    excluded = EXCLUDED_CHECKS.get(served.spec_id, {})
    by_label = {_label(binding): (operation, binding) for operation, binding in operations}
    assert set(excluded) <= set(by_label), "exclusions name operations the spec does not have"
    failures: list[str] = []
    tally = Tally(
        operations=len(operations),
        security_names=_security_names(_document(served)),
        spec_id=served.spec_id,
    )
    unchecked: dict[str, str] = {}
    schema = schemathesis.openapi.from_path(served.path)
    if served.spec_id in SCHEMATHESIS_FALLBACK:
        unchecked = dict.fromkeys(by_label, SCHEMATHESIS_FALLBACK[served.spec_id])
        if not _schemathesis_misreads(schema):
            failures.append(
                "SCHEMATHESIS_FALLBACK is stale: schemathesis now reads every operation with its "
                "responses; check this spec with schemathesis and drop the fallback"
            )
    else:
        limit = _operation_count_limit(len(operations))
        seen: set[str] = set()
        for result in schema.get_all_operations():
            if not isinstance(result, Ok):
                error = result.err()
                unchecked[getattr(error, "label", str(error))] = str(error)
                continue
            operation = result.ok()
            label = operation.label
            seen.add(label)
            skipped_check = excluded.get(label, ("", ""))[0]
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                reason = _run_schemathesis(
                    served, operation, mode, limit, failures, skipped_check, tally
                )
                if reason is None:
                    continue
                if mode == GenerationMode.NEGATIVE and (
                    _has_nothing_to_negate(operation) or reason.startswith("Unsatisfiable")
                ):
                    # no parameter or body that invalid data could be written into
                    # (an unconstrained string path parameter takes any text)
                    tally.not_negatable += 1
                    continue
                unchecked[label] = f"{mode.value}: {reason}"
        for label in set(by_label) - seen:
            failures.append(f"{label}: schemathesis did not find this operation")
        # Not expected in this corpus: such an operation is still covered below, and
        # reported so that the spec's fault gets written down in SCHEMATHESIS_FALLBACK.
        for label, reason in unchecked.items():
            failures.append(f"{label}: schemathesis cannot build its requests: {reason}")
        for label, (check, _reason) in excluded.items():
            if check in SCHEMATHESIS_CHECK_NAMES and not tally.expected.get(label):
                failures.append(
                    f"{label}: excluded check {check} passed: the exclusion is stale, remove it"
                )
    with httpx.Client(base_url=served.url, timeout=60) as client:
        for label, reason in unchecked.items():
            operation, binding = by_label[label]
            problems = _own_request(served, client, operation, binding, None, False)
            for problem in problems:
                failures.append(f"{label} (own request builder, {reason[:40]}…): {problem}")
    if served.spec_id in NEGATIVE_MISREADS and not tally.misread:
        failures.append("NEGATIVE_MISREADS is stale: no negative case matched it")
    print("\n" + tally.line(served.spec_id, len(failures)))
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def _schemathesis_misreads(schema: Any) -> bool:
    """Whether schemathesis still reads some operation of ``schema`` without its
    responses (the reason the spec is in SCHEMATHESIS_FALLBACK)."""
    for result in schema.get_all_operations():
        if not isinstance(result, Ok) or "responses" not in result.ok().definition.raw:
            return True
    return False


def _own_request(
    served: Served,
    client: httpx.Client,
    operation: ir.Operation,
    binding: ir.HttpBinding,
    prefer: str | None,
    require_success: bool,
) -> list[str]:
    """Send the request this module builds for ``operation``; what is wrong with the answer.

    An operation whose response body is excluded from checking (EXCLUDED_CHECKS,
    ``response_schema_conformance``) must still fail that check: if its body
    validates, the exclusion is stale and that is reported."""
    label = _label(binding)
    kwargs = build_request(operation, binding, served.defs)
    if prefer is not None:
        kwargs["headers"] = {**kwargs["headers"], "Prefer": prefer}
    response = client.request(**kwargs)
    excluded = EXCLUDED_CHECKS.get(served.spec_id, {}).get(label, ("", ""))[0]
    body_excluded = excluded == "response_schema_conformance"
    problems = check_answer(
        operation,
        response,
        served.defs,
        served.response_defs,
        require_success=require_success,
        validate_body=not body_excluded,
    )
    if body_excluded and not problems:
        full = check_answer(
            operation, response, served.defs, served.response_defs, require_success=False
        )
        if not full:
            problems.append(
                "excluded check response_schema_conformance passed: the exclusion is stale"
            )
    return [f"{problem}\n    request: {kwargs}"[:900] for problem in problems]


def test_prefer_requests(served: Served) -> None:
    operations = _http_operations(served.api)
    if not operations:
        pytest.skip(f"{served.spec_id} declares no HTTP operations (webhooks only)")
    failures: list[str] = []
    with httpx.Client(base_url=served.url, timeout=60) as client:
        for operation, binding in operations:
            for prefer in ("dynamic=true", None):
                for problem in _own_request(served, client, operation, binding, prefer, True):
                    failures.append(f"{_label(binding)} (Prefer: {prefer}): {problem}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def test_exclusions_name_real_operations() -> None:
    specs = dict(SPECS)
    assert set(SCHEMATHESIS_FALLBACK) <= set(specs)
    for spec_id, entries in EXCLUDED_CHECKS.items():
        assert spec_id in specs, f"EXCLUDED_CHECKS: no spec {spec_id}"
        api = compile_specs([specs[spec_id]]).api
        labels = {_label(binding) for _, binding in _http_operations(api)}
        assert set(entries) <= labels, f"EXCLUDED_CHECKS[{spec_id}]: {set(entries) - labels}"
        for check, reason in entries.values():
            assert check in SCHEMATHESIS_CHECK_NAMES, f"EXCLUDED_CHECKS[{spec_id}]: {check}?"
            assert reason.strip(), f"EXCLUDED_CHECKS[{spec_id}]: no reason given"


# -- a payments API's form bodies ----------------------------------------------------------

STRIPE = "stripe-v2024-04-10/stripe.oas.json"
STRIPE_FORMS = {
    "customer with address, metadata, locales and expand": (
        "/v1/customers",
        "email=jenny%40example.com&name=Jenny+Rosen&address[line1]=1+Main+St"
        "&address[city]=Berlin&address[country]=DE&metadata[order_id]=6735"
        "&metadata[tier]=gold&preferred_locales[]=de&preferred_locales[]=en"
        "&invoice_settings[custom_fields][0][name]=VAT&invoice_settings[custom_fields][0][value]=DE1"
        "&expand[]=tax_ids&balance=-500",
    ),
    "checkout session with line items": (
        "/v1/checkout/sessions",
        "mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok"
        "&line_items[0][price]=price_1&line_items[0][quantity]=2"
        "&line_items[1][price_data][currency]=eur&line_items[1][price_data][unit_amount]=1500"
        "&line_items[1][price_data][product_data][name]=T-shirt&line_items[1][quantity]=1"
        "&payment_method_types[]=card&metadata[cart]=42",
    ),
    "account with tos_acceptance": (
        "/v1/accounts",
        "type=custom&country=US&email=a%40example.com&capabilities[card_payments][requested]=true"
        "&capabilities[transfers][requested]=true&tos_acceptance[date]=1700000000"
        "&tos_acceptance[ip]=192.0.2.1&tos_acceptance[user_agent]=Mozilla%2F5.0",
    ),
    "metadata cleared with an empty string": ("/v1/customers", "metadata="),
}


@pytest.mark.parametrize(
    "served", [spec for spec in SPECS if spec[0] == STRIPE], indirect=True, ids=[STRIPE]
)
@pytest.mark.parametrize(("path", "body"), STRIPE_FORMS.values(), ids=list(STRIPE_FORMS))
def test_stripe_form_bodies_with_nested_fields(served: Served, path: str, body: str) -> None:
    with httpx.Client(base_url=served.url, timeout=60) as client:
        response = client.post(
            path, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
        )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "served", [spec for spec in SPECS if spec[0] == STRIPE], indirect=True, ids=[STRIPE]
)
def test_stripe_form_fields_are_validated_where_they_nest(served: Served) -> None:
    body = "line_items[0][quantity]=many&mode=payment&metadata[a]=" + "x" * 501
    with httpx.Client(base_url=served.url, timeout=60) as client:
        response = client.post(
            "/v1/checkout/sessions",
            content=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 422, response.text
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert "/line_items/0/quantity" in pointers


@pytest.mark.parametrize(
    "served", [spec for spec in SPECS if spec[0] == STRIPE], indirect=True, ids=[STRIPE]
)
def test_stripe_file_upload_with_nested_part(served: Served) -> None:
    files = [
        ("file", ("evidence.pdf", b"%PDF-1.4 x", "application/pdf")),
        ("purpose", (None, "dispute_evidence")),
        ("file_link_data[create]", (None, "true")),
        ("file_link_data[metadata][case]", (None, "77")),
        ("expand[]", (None, "links")),
    ]
    with httpx.Client(base_url=served.url, timeout=60) as client:
        response = client.post("/v1/files", files=files)
    assert response.status_code == 200, response.text


NON_OAUTH = "oai-non-oauth-scopes-v31/non-oauth-scopes.yaml"


@pytest.mark.parametrize(
    "served", [spec for spec in SPECS if spec[0] == NON_OAUTH], indirect=True, ids=[NON_OAUTH]
)
def test_credentials_are_not_checked(served: Served) -> None:
    """The premise of CREDENTIALS_NOT_CHECKED: an operation that requires a bearer token
    answers a request without one. When this fails, mockc checks credentials: drop the
    rule so that schemathesis' negative cases for them count again."""
    with httpx.Client(base_url=served.url, timeout=60) as client:
        response = client.get("/users")
    assert response.status_code < 400, CREDENTIALS_NOT_CHECKED
