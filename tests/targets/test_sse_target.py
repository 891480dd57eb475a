"""The SSE target: the files it writes from an AsyncAPI document's SSE channels."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.runtime.contract import CONTRACT_FORMAT, engine_operations
from mockc.runtime.sse.outputs import OUTPUTS
from mockc.targets.sse.generator import SseServer
from tests.support.corpus import CORPUS

GITTER = CORPUS / "asyncapi" / "gitter-streaming" / "asyncapi-3.0.0.yml"
ROOT = Path(__file__).resolve().parents[2]


def _files() -> dict[str, bytes]:
    compiled = compile_specs([GITTER])
    return {f.path: f.content for f in plan_files(compiled, GenerateOptions())}


def test_the_contract_has_the_channel_binding_and_one_output_per_event_type() -> None:
    contract = json.loads(_files()["contract.json"])
    assert contract["format"] == CONTRACT_FORMAT
    assert contract["protocol"] == "sse"
    (operation,) = contract["operations"]
    binding = operation["binding"]
    assert binding["kind"] == "channel"
    assert binding["path"] == "/rooms/{roomId}/{resource}"
    assert [p["name"] for p in binding["parameters"]] == ["roomId", "resource"]
    assert [(o["key"], o["event"]) for o in operation["outputs"]] == [
        ("chatMessage", "chatMessage"),
        ("heartbeat", "heartbeat"),
    ]
    (engine_operation,) = engine_operations(contract, OUTPUTS)
    assert engine_operation.path == ("roomId", "resource")


def test_readme_handlers_and_requirements() -> None:
    files = _files()
    readme = files["README.md"].decode()
    assert "| `sendRoomInfo` | GET | `/rooms/{roomId}/{resource}` | send |" in readme
    assert "MOCKC_SSE_HEARTBEAT_MS" in readme and "Last-Event-ID" in readme
    handlers = ast.parse(files["handlers.py"])
    assert [f.name for f in handlers.body if isinstance(f, ast.FunctionDef)] == ["sendRoomInfo"]
    assert "from mockc_runtime.sse.server import main" in files["server.py"].decode()
    mock = yaml.safe_load(files["mocks/sendRoomInfo.yaml"])
    assert mock["response"]["status"] == "chatMessage"
    pinned = files["requirements.txt"].decode().split()
    assert set(SseServer.requirements) <= set(pinned)
    pyproject = (ROOT / "pyproject.toml").read_text()
    for requirement in SseServer.requirements:
        assert f'"{requirement}"' in pyproject


def test_the_target_needs_only_the_ir() -> None:
    for path in (ROOT / "targets" / "sse").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 0
        }
        assert all(not name.startswith("mockc.compiler.frontends") for name in imported), path
