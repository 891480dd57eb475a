"""``mockc validate`` on hostile specs: real corpus specs, mutated, and the inputs
that once crashed it. Bad input is exit 1 with a message naming the file, never
a traceback (exit 3), a hang or a signal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockc.compiler.cli import main
from tests.fuzz.mutation import document_text, hostile_values, mutated
from tests.support.corpus import CORPUS

FUZZ_EXAMPLES = int(os.environ.get("MOCKC_FUZZ_EXAMPLES", "60"))
"""Examples per fuzz test; raise it for a longer hunt (``MOCKC_FUZZ_EXAMPLES=5000``)."""

SPECS = (
    "openapi/oai-petstore-v3/petstore.yaml",
    "openapi/oai-petstore-expanded-v2/petstore-expanded.json",
    "openapi/oai-uspto-v3/uspto.yaml",
    "openapi/oai-uber-v2/uber.yaml",
    "openapi/oai-callback-example-v3/callback-example.yaml",
    "openapi/oai-link-example-v3/link-example.yaml",
    "openapi/oai-webhook-example-v31/webhook-example.yaml",
    "openapi/apisguru-xkcd/openapi.yaml",
)


@cache
def _corpus_spec(name: str) -> Any:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def validate(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(path)], env={"MOCKC_DEBUG": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"an exception escaped: {result.exception!r}"
    )
    return result.exit_code, result.stderr


def assert_clean(code: int, stderr: str, path: Path) -> None:
    assert code in (0, 1), f"exit {code}: {stderr[-2000:]}"
    assert "internal error" not in stderr, stderr[-2000:]
    if code == 1:
        # the spec, or a document it refers to, with the place in it
        assert _LOCATED.search(stderr), f"the error names no file: {stderr[-2000:]}"


_LOCATED = re.compile(r"^/\S+?(:\d+:\d+)?: (#\S*: )?error: ", re.MULTILINE)


@st.composite
def mutated_specs(draw: st.DrawFn) -> tuple[str, bool]:
    name = draw(st.sampled_from(SPECS))
    document = draw(mutated(_corpus_spec(name)))
    as_json = draw(st.booleans())
    text = document_text(document, as_json=as_json)
    if text is None:
        text = document_text(document, as_json=True)
        as_json = True
    assert text is not None
    return text, as_json


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=mutated_specs())
def test_mutated_corpus_specs_validate_cleanly(tmp_path: Path, spec: tuple[str, bool]) -> None:
    text, as_json = spec
    path = tmp_path / ("spec.json" if as_json else "spec.yaml")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, stderr = validate(path)
    assert_clean(code, stderr, path)


_OPERATION = """openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      operationId: {operation_id}
      parameters: {parameters}
      responses:
        '200': {{description: {description}}}
"""


def _spec(operation_id: str = "x", parameters: str = "[]", description: str = "ok") -> str:
    return _OPERATION.format(
        operation_id=operation_id, parameters=parameters, description=description
    )


# Each of these once ended in a traceback; the expected text is part of the message
# (an error, exit 1, unless it says "warning:").
REGRESSIONS = {
    "deep.json": (
        '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-a":'
        + "[" * 1_000
        + "]" * 1_000
        + "}",
        "nested more than 200 levels deep",
    ),
    "deep-objects.json": (
        '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-a":'
        + '{"a":' * 1_000
        + "1"
        + "}" * 1_000
        + "}",
        "nested more than 200 levels deep",
    ),
    "operation-id-list.yaml": (_spec(operation_id="[" * 1_200 + "]" * 1_200), "nested more"),
    "description-deep.yaml": (_spec(description="[" * 1_200 + "]" * 1_200), "nested more"),
    "operation-id-mapping.yaml": (
        _spec(operation_id="{a: 1}"),
        "6:7: #/paths/~1a/get/operationId: error: operationId must be a string, not a mapping",
    ),
    "operation-id-list-shallow.yaml": (
        _spec(operation_id="[[a]]"),
        "operationId must be a string, not a list",
    ),
    "parameter-in-list.yaml": (
        _spec(parameters="[{name: x, in: [query]}]"),
        "warning: parameter 'x' has an invalid 'in' ['query']; skipped",
    ),
    "parameter-name-list.yaml": (
        _spec(parameters="[{name: [x], in: query}, {name: [x], in: query}]"),
        "warning: parameter without a name; skipped",
    ),
    "ref-nul.yaml": (
        _spec(parameters='[{$ref: "other\\0.yaml#/p"}]'),
        "the path holds a NUL character",
    ),
    "alias-cycle.yaml": (
        _spec(parameters="&p [{name: x, in: query, schema: {items: *p}}]"),
        "a YAML alias refers to a collection that contains it",
    ),
    "billion-laughs.yaml": (
        _spec()
        + "x-a: &a [1,1,1,1,1,1,1,1,1,1]\n"
        + "".join(
            f"x-{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n"
            for n in range(7)
        ),
        "YAML aliases expand the document to more than",
    ),
    "huge-integer.json": (
        '{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},"x-a":'
        + "1" * 5_000
        + "}",
        "invalid JSON",
    ),
    "huge-integer.yaml": (_spec() + "x-a: " + "1" * 5_000 + "\n", "invalid YAML"),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_inputs_that_once_crashed_validate_are_located_errors(tmp_path: Path, name: str) -> None:
    text, expected = REGRESSIONS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, stderr = validate(path)
    assert code == (0 if "warning:" in expected else 1), stderr
    assert "internal error" not in stderr
    assert name in stderr and expected in stderr, stderr


def test_yaml_nested_25000_levels_is_an_error_not_a_segfault(tmp_path: Path) -> None:
    # libyaml's composer recursed in C until the stack overflowed (exit 139).
    path = tmp_path / "deep.yaml"
    path.write_text(_spec() + "x-a: " + "[" * 25_000 + "]" * 25_000 + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mockc.compiler.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    assert re.search(
        r"deep\.yaml:10:206: error: invalid YAML: the document is nested more than 200 levels",
        run.stderr,
    ), run.stderr[-2000:]


def test_the_depth_limit_leaves_room_for_deep_real_schemas(tmp_path: Path) -> None:
    # 90 levels of nested object schemas (180 levels of data) still compile.
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(90):
        schema = {"type": "object", "properties": {"a": schema}}
    document = json.loads(json.dumps(_corpus_spec(SPECS[0])))
    document["components"]["schemas"]["Deep"] = schema
    path = tmp_path / "deep-schema.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, stderr = validate(path)
    assert code == 0, stderr


_KEYWORDS = [
    "type",
    "properties",
    "items",
    "prefixItems",
    "additionalProperties",
    "required",
    "enum",
    "const",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "nullable",
    "discriminator",
    "default",
    "example",
    "examples",
    "xml",
    "patternProperties",
    "dependentRequired",
    "if",
    "then",
    "else",
    "$defs",
    "readOnly",
    "multipleOf",
    "uniqueItems",
    "contentMediaType",
    "$id",
    "$anchor",
    "$dynamicRef",
]
_type_names = st.sampled_from(
    ["string", "integer", "number", "boolean", "object", "array", "null", "file", "bogus"]
)
_schemas: st.SearchStrategy[Any] = st.recursive(
    st.fixed_dictionaries({}, optional={"type": _type_names | st.lists(_type_names)})
    | st.booleans(),
    lambda inner: st.dictionaries(
        st.sampled_from(_KEYWORDS),
        inner
        | st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        | hostile_values,
        max_size=4,
    ),
    max_leaves=12,
)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(schema=_schemas, where=st.sampled_from(["component", "response", "parameter"]))
def test_hostile_schemas_validate_cleanly(tmp_path: Path, schema: Any, where: str) -> None:
    document = json.loads(json.dumps(_corpus_spec(SPECS[0])))
    if where == "component":
        document["components"]["schemas"]["Pet"] = schema
    elif where == "response":
        responses = document["paths"]["/pets"]["get"]["responses"]
        responses["200"]["content"]["application/json"]["schema"] = schema
    else:
        document["paths"]["/pets"]["get"]["parameters"][0]["schema"] = schema
    text = document_text(document, as_json=True)
    assert text is not None
    path = tmp_path / "spec.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, stderr = validate(path)
    assert_clean(code, stderr, path)
