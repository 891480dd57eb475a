"""Every body mockc serves by default is checked against its schema at
generation: a body assembled from property-level examples that breaks its
``oneOf`` is replaced by one that passes, with a warning naming the operation."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import yaml
from click.testing import CliRunner

from mockc.compiler import ir
from mockc.compiler.cli import main
from mockc.compiler.errors import Diagnostic
from mockc.compiler.passes.mockgen import generate_mocks
from tests.support.corpus import CORPUS

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pet:
    get:
      operationId: getPet
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      oneOf:
        - type: object
          required: [name]
          properties:
            name: {type: string, example: Rex}
            kind: {type: string, example: dog}
        - type: object
          required: [kind]
          properties:
            name: {type: string, example: Rex}
            kind: {type: string, example: dog}
"""
DIGITALOCEAN = CORPUS / "openapi/digitalocean-multifile/specification/DigitalOcean-public.v2.yaml"


def _generate(spec: Path, out: Path) -> str:
    result = CliRunner().invoke(
        main, ["generate", str(spec), "-o", str(out), "--link-runtime"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stderr


def test_a_body_breaking_its_one_of_is_replaced_by_one_that_passes(tmp_path: Path) -> None:
    spec = tmp_path / "pets.yaml"
    spec.write_text(SPEC)
    err = _generate(spec, tmp_path / "out")
    assert "#/paths/~1pet/get: warning: getPet 200 application/json: the body assembled" in err
    mock = yaml.safe_load((tmp_path / "out" / "mocks" / "getPet.yaml").read_text())
    schema = yaml.safe_load(SPEC)["components"]["schemas"]["Pet"]
    assert jsonschema_rs.validator_for(schema).is_valid(mock["response"]["body"])
    assert mock["response"]["body"] in ({"kind": "dog"}, {"name": "Rex"})


def test_digitalocean_create_droplet_is_named(tmp_path: Path) -> None:
    """Its 202 answer is a ``oneOf`` of two objects with no required field: no
    object is valid under exactly one, which the warning says."""
    err = _generate(DIGITALOCEAN, tmp_path / "do")
    assert (
        "create_droplet 202 application/json: the body assembled from the schema's examples "
        "does not match the schema, nor does made-up data" in err
    )
    assert err.count("warning: create_droplet 202") == 1  # once (besides its kind's heading)


def test_an_example_body_its_schema_refuses_is_replaced_with_a_located_warning() -> None:
    """Examples reach mock generation checked, but the pass checks the body it
    writes whatever came before it (here the example check did not run)."""
    source = ir.Source(file="pets.yaml", pointer="/paths/~1pet/get", line=4, column=5)
    schema = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    content = ir.Content(
        media_type="application/json",
        schema=ir.freeze(schema),
        examples=(ir.Example(name="wrong", value=ir.freeze({"id": "seven"})),),
    )
    api = ir.Api(
        name="pets",
        operations=(
            ir.Operation(
                id="getPet",
                outputs=(ir.Output(key="200", message=ir.Message(contents=(content,))),),
                binding=ir.HttpBinding(method="GET", path="/pet"),
                source=source,
            ),
        ),
    )
    warnings: list[Diagnostic] = []
    (mock,) = generate_mocks(api, warnings=warnings, mock_format="json")
    body = json.loads(mock.content)["response"]["body"]
    assert jsonschema_rs.validator_for(schema).is_valid(body)
    (warning,) = warnings
    assert (warning.file, warning.line, warning.level) == ("pets.yaml", 4, "warning")
    assert warning.message.startswith("getPet 200 application/json: the example chosen")
    assert "at /id" in warning.message
