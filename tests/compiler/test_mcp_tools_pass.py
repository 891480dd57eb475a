"""The pass that makes HTTP operations MCP tools (``--target mcp``), on the IR."""

from __future__ import annotations

from pathlib import Path

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs, servers_of
from mockc.compiler.passes import mcp_tools
from mockc.compiler.passes.check_ir import IrChecker

ROOT = Path(__file__).resolve().parents[2]
PETSTORE = (
    ROOT / "tests" / "corpus" / "openapi" / "oai-petstore-expanded-v3" / "petstore-expanded.yaml"
)


def _operation(
    method: str, parameters: tuple[ir.Parameter, ...] = (), **kw: object
) -> ir.Operation:
    return ir.Operation(
        id=f"op_{method.lower()}",
        binding=ir.HttpBinding(method=method, path="/things/{id}", parameters=parameters),
        **kw,  # type: ignore[arg-type]
    )


def _tool(operation: ir.Operation) -> ir.Operation:
    api = mcp_tools.run(ir.Api(name="t", operations=(operation,)), [])
    IrChecker().check(api, after="mcp_tools")
    return api.operations[0]


def _parameter(name: str, location: ir.ParameterLocation) -> ir.Parameter:
    return ir.Parameter(name=name, location=location, schema=ir.freeze({"type": "string"}))


def test_hints_follow_the_method() -> None:
    hints = {
        method: _tool(_operation(method)).binding.annotations  # type: ignore[union-attr]
        for method in ("GET", "PUT", "DELETE", "POST", "PATCH")
    }
    assert hints["GET"] == ir.McpToolAnnotations(read_only=True, idempotent=True)
    assert hints["DELETE"] == ir.McpToolAnnotations(
        read_only=False, destructive=True, idempotent=True
    )
    assert hints["PUT"] == ir.McpToolAnnotations(read_only=False, destructive=True, idempotent=True)
    assert hints["POST"] == hints["PATCH"]
    assert hints["POST"] == ir.McpToolAnnotations(
        read_only=False, destructive=False, idempotent=False
    )


def test_arguments_of_one_name_in_two_places_are_told_apart_and_the_body_too() -> None:
    path, query = ir.ParameterLocation.PATH, ir.ParameterLocation.QUERY
    body = ir.Message(
        required=True,
        contents=(ir.Content(media_type="application/json", schema=ir.freeze({"type": "object"})),),
    )
    tool = _tool(
        _operation(
            "POST",
            (_parameter("id", path), _parameter("id", query), _parameter("body", query)),
            input=body,
        )
    )
    binding = tool.binding
    assert isinstance(binding, ir.McpBinding)
    assert [p.name for p in binding.parameters] == ["path_id", "query_id", "body"]
    assert binding.body_argument == "request_body"
    assert tool.alternate_bindings[0] == _operation("POST").binding.__class__(
        method="POST",
        path="/things/{id}",
        parameters=(_parameter("id", path), _parameter("id", query), _parameter("body", query)),
    )
    assert tool.input is not None
    schema = ir.thaw(tool.input.contents[0].schema)
    assert list(schema["properties"]) == ["path_id", "query_id", "body", "request_body"]
    assert schema["required"] == ["request_body"]


def test_a_response_without_json_is_text_and_an_array_is_wrapped() -> None:
    no_content = _tool(_operation("DELETE", outputs=(ir.Output(key="204", description="Gone"),)))
    result = no_content.outputs[0]
    assert (result.key, result.message.contents[0].media_type) == ("result", "text/plain")
    assert result.message.contents[0].examples[0].value == "204 Gone"
    listed = _tool(
        _operation(
            "GET",
            outputs=(
                ir.Output(
                    key="200",
                    message=ir.Message(
                        contents=(
                            ir.Content(
                                media_type="application/json",
                                schema=ir.freeze({"type": "array"}),
                                examples=(ir.Example(name="two", value=ir.freeze([1, 2])),),
                            ),
                        )
                    ),
                ),
            ),
        )
    )
    content = listed.outputs[0].message.contents[0]
    assert ir.thaw(content.schema)["properties"] == {"result": {"type": "array"}}
    assert ir.thaw(content.examples[0].value) == {"result": [1, 2]}


def test_the_driver_makes_tools_only_for_the_mcp_target() -> None:
    compiled = compile_specs([PETSTORE])
    (http,) = servers_of(compiled, "http")
    assert all(isinstance(op.binding, ir.HttpBinding) for op in http.api.operations)
    (mcp,) = servers_of(compiled, "mcp")
    tools = {op.id: op for op in mcp.api.operations}
    assert all(isinstance(op.binding, ir.McpBinding) for op in tools.values())
    find = tools["findPets"]
    assert find.outputs[0].key == "result"
    assert find.input is not None
    schema = ir.thaw(find.input.contents[0].schema)
    assert set(schema["properties"]) == {"tags", "limit"}
    output = ir.thaw(find.outputs[0].message.contents[0].schema)
    assert output["properties"]["result"]["items"] == {"$ref": "#/$defs/Pet"}
