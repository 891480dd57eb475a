"""The settings tables of the READMEs say what the servers do (runtime/settings/table.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from mockc.runtime.settings import PROTOCOL_NAMES, SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "settings_tables", ROOT / "scripts" / "settings_tables.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_settings_tables_are_rendered_from_the_code() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _tables().rendered_readme(text) == text, (
        "README.md's settings tables differ from runtime/settings/table.py: "
        "run python scripts/settings_tables.py --write"
    )


def test_a_changed_declaration_changes_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    tables = _tables()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    monkeypatch.setattr(tables, "SETTINGS", SETTINGS[1:])
    assert tables.rendered_readme(text) != text


EXAMPLE_SPECS = {
    "http": "examples/petstore/openapi.yaml",
    "grpc": "examples/route_guide/route_guide.proto",
    "graphql": "examples/swapi/schema.graphql",
    "websocket": "examples/websocket-chat/chat.json",
    "soap": "tests/corpus/wsdl/dneonline-calculator/calculator.wsdl",
    "sse": "tests/corpus/asyncapi/gitter-streaming/asyncapi-3.0.0.yml",
    "mcp": "examples/mcp/notes.mcp.yaml",
    "mqtt": "tests/corpus/asyncapi/streetlights-mqtt/asyncapi-3.0.0.yml",
    "amqp": "tests/corpus/asyncapi/rpc-server/asyncapi-3.0.0.yml",
    "kafka": "tests/corpus/asyncapi/streetlights-kafka/asyncapi-3.0.0.yml",
}


def _generated_readme(protocol: str) -> str:
    """The README.md a server of ``protocol`` is generated with (base template
    and the target's blocks, rendered)."""
    from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files

    compiled = compile_specs([ROOT / EXAMPLE_SPECS[protocol]])
    files = plan_files(compiled, GenerateOptions(link_runtime=True))
    readme = next(file for file in files if file.path == "README.md")
    return readme.content.decode("utf-8")


def test_every_protocol_of_the_settings_table_has_an_example() -> None:
    assert set(EXAMPLE_SPECS) == set(PROTOCOL_NAMES)


@pytest.mark.parametrize("protocol", sorted(PROTOCOL_NAMES))
def test_generated_readmes_name_only_settings_their_server_honours(protocol: str) -> None:
    named = set(re.findall(r"`((?:MOCKC_)[A-Z_]+|PORT|HOST)`", _generated_readme(protocol)))
    honoured = {s.env for s in SETTINGS if s.env and protocol in s.protocols}
    assert named and named <= honoured, named - honoured
