"""The IR passes: reference checks and example checks."""

from __future__ import annotations

import pytest

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, RefError
from mockc.compiler.passes import check_examples, check_ir
from mockc.compiler.passes.schema_refs import refs_in
from mockc.runtime.schema_refs import referenced_defs


def _api(schema: object, examples: tuple[ir.Example, ...] = ()) -> ir.Api:
    return ir.Api(
        name="t",
        schemas=(
            ir.NamedSchema(
                name="Pet",
                schema=ir.freeze(
                    {
                        "type": "object",
                        "required": ["id"],
                        "properties": {
                            "id": {"type": "integer"},
                            "friend": {"$ref": "#/$defs/Pet"},
                        },
                    }
                ),
            ),
            ir.NamedSchema(name="Unused", schema=ir.freeze({"type": "string"})),
        ),
        operations=(
            ir.Operation(
                id="op",
                binding=ir.HttpBinding(method="GET", path="/"),
                source=ir.Source(file="spec.yaml", pointer="/paths/~1/get"),
                outputs=(
                    ir.Output(
                        key="200",
                        message=ir.Message(
                            contents=(
                                ir.Content(
                                    media_type="application/json",
                                    schema=ir.freeze(schema),
                                    examples=examples,
                                ),
                            )
                        ),
                    ),
                ),
            ),
        ),
    )


def test_refs_in_example_data_are_not_references() -> None:
    schema = ir.freeze(
        {
            "$ref": "#/$defs/Pet",
            "example": {"$ref": "#/components/examples/x"},
            "default": {"$ref": "y"},
            "properties": {"a": {"enum": [{"$ref": "z"}]}},
        }
    )
    assert list(refs_in(schema)) == ["#/$defs/Pet"]
    check_ir.run(_api(schema), [])


def test_a_dangling_ref_is_an_error_naming_the_place() -> None:
    with pytest.raises(RefError) as raised:
        check_ir.run(_api({"$ref": "#/$defs/Nope"}), [])
    assert "spec.yaml" in str(raised.value)
    assert "'#/$defs/Nope'" in str(raised.value)


def test_closure_follows_refs_through_named_schemas() -> None:
    api = _api({"type": "array", "items": {"$ref": "#/$defs/Pet"}})
    assert set(
        referenced_defs(api.operations[0].outputs[0].message.contents[0].schema, api.schema_map())
    ) == {"Pet"}


def test_examples_that_contradict_their_schema_are_dropped_with_a_warning() -> None:
    good = ir.Example(name="good", value=ir.freeze({"id": 1}))
    bad = ir.Example(
        name="bad", value=ir.freeze({"id": "one"}), source=ir.Source(file="spec.yaml", pointer="/x")
    )
    warnings: list[Diagnostic] = []
    api = check_examples.run(_api({"$ref": "#/$defs/Pet"}, (good, bad)), warnings)
    assert [e.name for e in api.operations[0].outputs[0].message.contents[0].examples] == ["good"]
    (warning,) = warnings
    assert warning.level == "warning" and warning.pointer == "/x" and "'bad'" in warning.message
