"""Patterns jsonschema-rs refuses (``^.{0,262144}$``, as a payments API declares)
are named by ``mockc generate`` and ``mockc
validate`` with their location, checked by a second engine at run time, and
never turn a request into a 500."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from mockc.compiler import ir
from mockc.compiler.cli import main
from mockc.compiler.errors import Diagnostic
from mockc.compiler.passes import check_validators
from mockc.runtime.schema_validators import compile_validator, portable, refused_pattern
from tests.support.servers import ServerProcess

SPEC = """\
openapi: 3.1.0
info: {title: Payments, version: '1'}
paths:
  /payments:
    post:
      operationId: createPayment
      parameters:
        - name: reference
          in: query
          schema: {type: string, pattern: '(?P<x>a)(?P=x)'}
        - name: note
          in: query
          schema: {type: string, pattern: '\\p{NoSuchClass}'}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Payment'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Payment'}
components:
  schemas:
    Payment:
      type: object
      required: [description]
      properties:
        description: {type: string, pattern: '^.{0,262144}$'}
        amount: {type: integer}
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stderr


def test_the_fallback_checks_what_jsonschema_rs_refuses() -> None:
    assert refused_pattern("^.{0,262144}$") and not refused_pattern("^a+$")
    schema = {"properties": {"pattern": {"pattern": "^.{0,3}$"}, "b": {"pattern": "a{,3}"}}}
    moved, problems = portable(schema)
    assert [p.pointer for p in problems] == ["/properties/b/pattern"]
    assert moved["properties"]["pattern"] == {"pattern": "^.{0,3}$"}
    assert portable({"pattern": "^a$"})[0] == {"pattern": "^a$"}
    validator = compile_validator({"type": "string", "pattern": "^.{0,5}$"})
    assert validator.is_valid("abc") and not validator.is_valid("abcdef")
    big = compile_validator({"type": "string", "pattern": "^.{0,262144}$"})
    assert big.is_valid("a" * 262144) and not big.is_valid("a" * 262145)


def test_generate_and_validate_name_each_refused_pattern(tmp_path: Path) -> None:
    spec = tmp_path / "payments.yaml"
    spec.write_text(SPEC)
    code, err = _run("validate", str(spec))
    assert code == 0, err
    assert "#/components/schemas/Payment/properties/description/pattern" in err
    assert "'^.{0,262144}$' is refused by jsonschema-rs; it is checked with the regex" in err
    assert "createPayment query parameter 'reference'" in err
    assert "neither regex engine compiles it, so it is not checked" in err
    code, err = _run("generate", str(spec), "-o", str(tmp_path / "out"), "--link-runtime")
    assert code == 0, err
    assert "262144" in err


@pytest.fixture(scope="module")
def payments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("payments")
    (folder / "payments.yaml").write_text(SPEC)
    code, err = _run("generate", str(folder / "payments.yaml"), "-o", str(folder / "out"))
    assert code == 0, err
    with ServerProcess([sys.executable, "server.py"], cwd=folder / "out") as server:
        yield server


def test_requests_are_validated_by_the_fallback_never_a_500(payments: ServerProcess) -> None:
    url = payments.url + "/payments"
    ok = httpx.post(url, json={"description": "coffee", "amount": 3})
    assert ok.status_code == 201, ok.text
    too_long = httpx.post(url, json={"description": "x" * 262145})
    assert too_long.status_code in (400, 422), too_long.text
    assert "does not match" in too_long.text
    second = httpx.post(url, params={"reference": "aa"}, json={"description": "tea"})
    assert second.status_code == 201, second.text
    wrong = httpx.post(url, params={"reference": "ab"}, json={"description": "tea"})
    assert wrong.status_code == 400 and "does not match" in wrong.text
    unchecked = httpx.post(url, params={"note": "anything"}, json={"description": "tea"})
    assert unchecked.status_code == 201, unchecked.text
    payments.stop()
    assert "is refused by jsonschema-rs" in payments.stderr


def test_a_schema_no_validator_compiles_for_is_named_at_generation() -> None:
    api = ir.Api(
        name="x",
        schemas=(
            ir.NamedSchema(
                name="A",
                schema=ir.freeze({"type": "strng"}),
                source=ir.Source(file="spec.yaml", pointer="/components/schemas/A", line=3),
            ),
        ),
    )
    diagnostics: list[Diagnostic] = []
    check_validators.run(api, diagnostics)
    (warning,) = diagnostics
    assert warning.level == "warning" and warning.pointer == "/components/schemas/A"
    assert "no validator can be compiled for this schema" in warning.message


def test_among_many_schemas_only_the_one_that_cannot_compile_is_named() -> None:
    good = [
        ir.NamedSchema(
            name=f"Good{number}",
            schema=ir.freeze({"type": "object", "properties": {"next": {"$ref": "#/$defs/Good0"}}}),
            source=ir.Source(file="spec.yaml", pointer=f"/components/schemas/Good{number}"),
        )
        for number in range(5)
    ]
    bad = ir.NamedSchema(
        name="Bad",
        schema=ir.freeze({"type": "strng"}),
        source=ir.Source(file="spec.yaml", pointer="/components/schemas/Bad"),
    )
    diagnostics: list[Diagnostic] = []
    check_validators.run(ir.Api(name="x", schemas=(*good[:2], bad, *good[2:])), diagnostics)
    assert [d.pointer for d in diagnostics] == ["/components/schemas/Bad"]
