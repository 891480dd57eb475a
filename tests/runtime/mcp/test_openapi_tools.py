"""OpenAPI documents served as MCP tools (``--target mcp``): real corpus specs
generated into servers run as their own processes, listed and called by the
official SDK's client over streamable HTTP. Every tool is called with
arguments made from its ``inputSchema``, and every structured result is
checked against its ``outputSchema``."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mcp import Client

from mockc.compiler.driver import GenerateOptions, generate
from mockc.runtime.fake import FakeData
from tests.support.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus" / "openapi"
SPECS = {
    "petstore": CORPUS / "oai-petstore-v3" / "petstore.yaml",
    "petstore-expanded": CORPUS / "oai-petstore-expanded-v3" / "petstore-expanded.yaml",
    "uspto": CORPUS / "oai-uspto-v3" / "uspto.yaml",
    "adyen-transfers": CORPUS / "adyen-transfers-v31" / "TransferService-v4.yaml",
    "api-with-examples": CORPUS / "oai-api-with-examples-v3" / "api-with-examples.yaml",
}
PET_MOCK = """id: pet_seven
operation: showPetById
match:
  path:
    petId: "7"
response:
  status: result
  body: {id: 7, name: "Seven of {{ request.path.petId }}"}
"""


def _generated(tmp: Path, name: str) -> Path:
    out = tmp / name
    generate([SPECS[name]], out, GenerateOptions(target="mcp"))
    return out


async def _listed_and_called(url: str) -> tuple[list[Any], dict[str, Any]]:
    """Every tool, and each one's result for arguments made from its inputSchema."""
    async with Client(url) as client:
        tools = (await client.list_tools()).tools
        results = {}
        for tool in tools:
            schema = tool.input_schema
            arguments = FakeData(schema.get("$defs", {}), seed=3).generate(schema, key=tool.name)
            results[tool.name] = await client.call_tool(tool.name, arguments)
        return tools, results


def _served(out: Path) -> tuple[list[Any], dict[str, Any]]:
    with ServerProcess([sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off"}) as server:
        return asyncio.run(_listed_and_called(f"{server.url}/mcp"))


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_operation_is_a_tool_whose_results_fit_its_output_schema(
    name: str, tmp_path: Path
) -> None:
    out = _generated(tmp_path, name)
    contract = json.loads((out / "contract.json").read_text())
    tools, results = _served(out)
    assert sorted(tool.name for tool in tools) == sorted(op["id"] for op in contract["operations"])
    for tool in tools:
        jsonschema.Draft202012Validator.check_schema(tool.input_schema)
        assert tool.input_schema["type"] == "object"
        result = results[tool.name]
        assert not result.is_error, (tool.name, result.content)
        if tool.output_schema is not None:
            assert tool.output_schema["type"] == "object"
            jsonschema.validate(result.structured_content, tool.output_schema)
            assert json.loads(result.content[0].text) == result.structured_content
        else:
            assert result.structured_content is None and result.content[0].text


def test_petstore_tools_names_hints_arguments_and_mocks(tmp_path: Path) -> None:
    out = _generated(tmp_path, "petstore")
    (out / "mocks" / "pet_seven.yaml").write_text(PET_MOCK, encoding="utf-8")

    async def session(url: str) -> dict[str, Any]:
        async with Client(url) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            return {
                "tools": tools,
                "seven": await client.call_tool("showPetById", {"petId": "7"}),
                "other": await client.call_tool("showPetById", {"petId": "8"}),
                "listed": await client.call_tool("listPets", {"limit": 2}),
                "created": await client.call_tool("createPets", {"body": {"id": 1, "name": "Rex"}}),
                "no_body": await client.call_tool("createPets", {}),
                "too_many": await client.call_tool("listPets", {"limit": 1000}),
            }

    with ServerProcess([sys.executable, "server.py"], out, {"MOCKC_JOURNAL": "off"}) as server:
        seen = asyncio.run(session(f"{server.url}/mcp"))
    tools = seen["tools"]
    listing = tools["listPets"]
    assert (listing.title, listing.description) == ("List all pets", "List all pets")
    assert listing.annotations.read_only_hint and listing.annotations.idempotent_hint
    assert not tools["createPets"].annotations.read_only_hint
    assert tools["createPets"].annotations.destructive_hint is False
    assert listing.input_schema["properties"]["limit"]["maximum"] == 100
    assert tools["showPetById"].input_schema["required"] == ["petId"]
    assert tools["createPets"].input_schema["$defs"]["Pet"]["required"] == ["id", "name"]
    # an array answer is wrapped: structured content is an object
    assert listing.output_schema["properties"]["result"] == {"$ref": "#/$defs/Pets"}
    assert isinstance(seen["listed"].structured_content["result"], list)
    # a mock of the HTTP operation matches the path parameter the argument became
    assert seen["seven"].structured_content == {"id": 7, "name": "Seven of 7"}
    assert seen["other"].structured_content["id"] != 7
    assert seen["created"].content[0].text == "201 Null response"
    assert seen["no_body"].is_error
    assert '"body" is a required property' in seen["no_body"].content[0].text
    assert seen["too_many"].is_error
    assert "/limit: 1000 is greater than the maximum of 100" in seen["too_many"].content[0].text
