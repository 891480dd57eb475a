"""The MCP target: the files of a generated server, from the IR alone."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common import TargetOptions
from mockc.targets.mcp import generate
from mockc.targets.mcp.generator import McpServer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "mcp" / "notes.mcp.yaml"


def _files() -> dict[str, bytes]:
    planned = plan_files(compile_specs([EXAMPLE]), GenerateOptions())
    return {file.path: file.content for file in planned}


def test_the_server_files_and_pinned_requirements() -> None:
    files = _files()
    written = sorted(name for name in files if not name.startswith(("_vendor/", "mocks/")))
    assert written == [
        ".dockerignore",
        ".gitignore",
        "Dockerfile",
        "README.md",
        "contract.json",
        "docker-compose.yml",
        "handlers.py",
        "k8s.yaml",
        "requirements.txt",
        "server.py",
    ]
    assert "_vendor/mockc_runtime/mcp/server.py" in files
    requirements = files["requirements.txt"].decode().splitlines()[1:]
    assert requirements == list(McpServer.requirements)
    pinned = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {"mcp==2.3.0", "mcp-types==2.3.0"} <= set(requirements) <= set(pinned)


def test_the_contract_has_an_mcp_binding_per_primitive() -> None:
    contract = json.loads(_files()["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "mcp")
    assert contract["mcp"]["server"]["instructions"] == "Search and read the team's notes."
    bindings = {spec["id"]: spec["binding"] for spec in contract["operations"]}
    assert bindings["tool_search_notes"]["annotations"] == {
        "readOnlyHint": True,
        "openWorldHint": False,
    }
    assert bindings["resource_note"]["variables"] == ["id"]
    assert bindings["resource_logo"]["mime_type"] == "image/png"
    assert [a["name"] for a in bindings["prompt_summarise"]["arguments"]] == ["id", "style"]


def test_the_readme_lists_every_primitive_and_handlers_has_a_hook_each() -> None:
    files = _files()
    readme = files["README.md"].decode()
    assert "| `tool_search_notes` | tool | `search_notes` |" in readme
    assert "| `resource_note` | resource | `notes://notes/{id}` |" in readme
    assert "python server.py --stdio" in readme
    module = ast.parse(files["handlers.py"])
    hooks = [node.name for node in module.body if isinstance(node, ast.FunctionDef)]
    assert hooks == [
        "tool_search_notes",
        "tool_add_note",
        "resource_readme",
        "resource_logo",
        "resource_note",
        "prompt_summarise",
    ]


def test_it_needs_only_the_ir() -> None:
    api = ir.Api(
        name="bare",
        operations=(
            ir.Operation(
                id="tool_ping",
                binding=ir.McpBinding(primitive="tool", name="ping"),
                outputs=(ir.Output(key="result"),),
            ),
        ),
    )
    files = {file.path: file.content for file in generate(api, TargetOptions(version="0.0.0"))}
    contract = json.loads(files["contract.json"])
    assert contract["operations"][0]["binding"]["name"] == "ping"
