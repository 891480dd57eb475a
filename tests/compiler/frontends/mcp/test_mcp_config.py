"""The MCP config front end: every construct of a config read into the IR,
the published schema, and located errors for configs that break it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import compile_specs
from mockc.compiler.errors import SpecError
from mockc.compiler.frontends.mcp import CONFIG_SCHEMA_FILE, load
from mockc.compiler.frontends.registry import front_end_for

ROOT = Path(__file__).resolve().parents[4]
EXAMPLE = ROOT / "examples" / "mcp" / "notes.mcp.yaml"


def _operation(api: ir.Api, operation_id: str) -> ir.Operation:
    return api.operation(operation_id)


def test_the_example_is_sniffed_as_an_mcp_config_and_read() -> None:
    assert front_end_for(EXAMPLE).name == "mcp"
    api = load(EXAMPLE)
    assert (api.name, api.title, api.version) == ("notes", "Notes", "1.0.0")
    assert api.description == "Search and read the team's notes."
    assert [op.id for op in api.operations] == [
        "tool_search_notes",
        "tool_add_note",
        "resource_readme",
        "resource_logo",
        "resource_note",
        "prompt_summarise",
    ]


def test_a_tool_keeps_its_schemas_title_and_hints() -> None:
    tool = _operation(load(EXAMPLE), "tool_search_notes")
    binding = tool.binding
    assert isinstance(binding, ir.McpBinding)
    assert (binding.primitive, binding.name, binding.title) == (
        "tool",
        "search_notes",
        "Search notes",
    )
    assert binding.annotations == ir.McpToolAnnotations(read_only=True, open_world=False)
    assert tool.input is not None
    assert ir.thaw(tool.input.contents[0].schema)["required"] == ["query"]
    result, error, *steps = tool.outputs
    assert (result.key, error.key, error.is_error) == ("result", "isError", True)
    assert [output.key for output in steps] == ["content", "sampling", "elicitation"]
    content = result.message.contents[0]
    assert content.media_type == "application/json"
    assert ir.thaw(content.schema)["required"] == ["total", "notes"]
    assert tool.source is not None and (tool.source.line, tool.source.pointer) == (10, "/tools/0")


def test_a_text_tool_answers_its_result_text() -> None:
    content = _operation(load(EXAMPLE), "tool_add_note").outputs[0].message.contents[0]
    assert content.media_type == "text/plain"
    assert [example.value for example in content.examples] == ["Note added."]


def test_resources_text_blob_and_template() -> None:
    api = load(EXAMPLE)
    readme, logo, note = (_operation(api, f"resource_{n}") for n in ("readme", "logo", "note"))
    assert isinstance(readme.binding, ir.McpBinding)
    assert (readme.binding.uri_template, readme.binding.mime_type) == (
        "notes://readme",
        "text/markdown",
    )
    logo_content = logo.outputs[0].message.contents[0]
    assert ir.thaw(logo_content.schema)["contentEncoding"] == "base64"
    assert logo_content.examples[0].value == "iVBORw0KGgo="
    assert isinstance(note.binding, ir.McpBinding)
    assert [p.name for p in note.binding.parameters] == ["id"]
    assert note.binding.parameters[0].location is ir.ParameterLocation.PATH


def test_a_prompt_keeps_its_arguments_and_messages() -> None:
    prompt = _operation(load(EXAMPLE), "prompt_summarise")
    assert isinstance(prompt.binding, ir.McpBinding)
    assert [(a.name, a.required) for a in prompt.binding.arguments] == [
        ("id", True),
        ("style", False),
    ]
    messages = ir.thaw(prompt.outputs[0].message.contents[0].examples[0].value)
    assert messages[0]["content"]["text"] == "Summarise note {id} in {style} style."


def test_the_published_schema_is_the_one_configs_are_checked_against() -> None:
    published = ROOT / "docs" / "mcp-config.schema.json"
    assert json.loads(published.read_text()) == json.loads(CONFIG_SCHEMA_FILE.read_text())


BAD_YAML = """mcp: "1"
tools:
  - name: ok
  - title: no name here
    inputSchema: {type: object}
resources:
  - uri: a://b
    name: both
    text: t
    blob: AAAA
"""


def test_a_config_breaking_the_schema_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.mcp.yaml"
    path.write_text(BAD_YAML)
    with pytest.raises(SpecError) as caught:
        load(path)
    by_pointer = {d.pointer: d for d in caught.value.diagnostics}
    assert by_pointer["/tools/1"].line == 4
    assert '"name" is a required property' in by_pointer["/tools/1"].message
    assert by_pointer["/resources/0"].line == 7
    assert all(d.file == str(path) for d in caught.value.diagnostics)


def test_a_json_config_error_is_located_too(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "mcp": "1",\n  "prompts": [\n    {"name": 7}\n  ]\n}\n')
    assert front_end_for(path).name == "mcp"
    with pytest.raises(SpecError) as caught:
        load(path)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.pointer, diagnostic.line) == ("/prompts/0/name", 4)


def test_duplicate_names_and_unsupported_templates_are_located(tmp_path: Path) -> None:
    path = tmp_path / "dup.mcp.yaml"
    path.write_text('mcp: "1"\ntools:\n  - name: a\n  - name: a\n')
    with pytest.raises(SpecError) as caught:
        load(path)
    assert [(d.pointer, d.line) for d in caught.value.diagnostics] == [("/tools/1/name", 4)]
    path.write_text('mcp: "1"\nresourceTemplates:\n  - uriTemplate: "f://{+path}"\n    name: f\n')
    with pytest.raises(SpecError, match="not supported yet") as caught:
        load(path)
    assert caught.value.diagnostics[0].line == 3


def test_tool_schemas_definitions_become_named_schemas(tmp_path: Path) -> None:
    """Two tools defining ``Item`` differently: the second is ``Item_2``; refs follow."""
    config = tmp_path / "defs.mcp.yaml"
    config.write_text(
        """mcp: "1"
tools:
  - name: one
    inputSchema:
      type: object
      properties: {item: {$ref: "#/$defs/Item"}}
      $defs:
        Item: {type: object, properties: {tag: {$ref: "#/$defs/Tag"}}}
        Tag: {type: string}
  - name: two
    inputSchema:
      type: object
      properties: {item: {$ref: "#/definitions/Item"}}
      definitions:
        Item: {type: integer}
""",
        encoding="utf-8",
    )
    api = compile_specs([config]).api
    named = {schema.name: ir.thaw(schema.schema) for schema in api.schemas}
    assert named == {
        "Item": {"type": "object", "properties": {"tag": {"$ref": "#/$defs/Tag"}}},
        "Item_2": {"type": "integer"},
        "Tag": {"type": "string"},
    }
    inputs = [ir.thaw(op.input.contents[0].schema) for op in api.operations if op.input]
    assert [schema["properties"]["item"]["$ref"] for schema in inputs] == [
        "#/$defs/Item",
        "#/$defs/Item_2",
    ]
    assert all("$defs" not in schema and "definitions" not in schema for schema in inputs)


CONTENT_YAML = """mcp: "1"
prompts:
  - name: look
    arguments: [{name: uri, required: true}]
    messages:
      - role: user
        content: {type: image, mimeType: image/png, data: iVBORw0KGgo=}
      - role: user
        content: {type: resource, resource: {uri: "{uri}", text: "About {uri}"}}
      - role: assistant
        content: {type: resource_link, uri: "notes://{uri}", name: note}
"""


def test_prompt_messages_hold_any_content_block(tmp_path: Path) -> None:
    path = tmp_path / "content.mcp.yaml"
    path.write_text(CONTENT_YAML)
    prompt = _operation(load(path), "prompt_look")
    messages = ir.thaw(prompt.outputs[0].message.contents[0].examples[0].value)
    assert [message["content"]["type"] for message in messages] == [
        "image",
        "resource",
        "resource_link",
    ]
    schema = ir.thaw(prompt.outputs[0].message.contents[0].schema)
    assert "$ref" not in json.dumps(schema)  # stands alone in the contract


def test_a_content_block_mcp_does_not_know_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.mcp.yaml"
    path.write_text(
        CONTENT_YAML.replace("data: iVBORw0KGgo=", "data: not base64!").replace(
            "type: resource_link", "type: video"
        )
    )
    with pytest.raises(SpecError) as caught:
        load(path)
    lines = sorted(
        (d.pointer, d.line) for d in caught.value.diagnostics if d.pointer.startswith("/prompts")
    )
    assert lines == [
        ("/prompts/0/messages/0/content", 7),
        ("/prompts/0/messages/2/content", 11),
    ]
