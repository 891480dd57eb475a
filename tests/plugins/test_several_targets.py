"""A front end whose operations go to two targets (docs/architecture.md,
"Registries"): each operation is routed by its binding kind, and each target
gets its own server in a subfolder of the output folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockc.compiler import ir
from mockc.compiler.driver import (
    Compiled,
    GenerateOptions,
    compile_specs,
    generate,
    servers_of,
)
from mockc.compiler.errors import GenerationError
from mockc.targets import registry
from tests.plugins import lineecho

SPEC = """# lineecho 1
name: duo
GREET greet: hello, world
GET /status status: up
TIME time: noon
"""


@pytest.fixture(autouse=True)
def plugin() -> Iterator[None]:
    lineecho.register()
    try:
        yield
    finally:
        lineecho.unregister()


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "duo.lineecho"
    path.write_text(SPEC, encoding="utf-8")
    return path


def test_operations_are_routed_to_the_target_serving_their_binding(spec: Path) -> None:
    servers = servers_of(compile_specs([spec]))
    assert [(s.target, s.folder) for s in servers] == [("lineecho", "lineecho"), ("http", "http")]
    assert [op.id for op in servers[0].api.operations] == ["greet", "time"]
    assert [op.id for op in servers[1].api.operations] == ["status"]


def test_one_target_serving_everything_fills_the_output_folder(tmp_path: Path) -> None:
    spec = tmp_path / "echo.lineecho"
    spec.write_text("# lineecho 1\nGREET greet: hi\n", encoding="utf-8")
    (server,) = servers_of(compile_specs([spec]))
    assert (server.target, server.folder) == ("lineecho", "")


def test_a_forced_target_gets_every_operation(spec: Path) -> None:
    (server,) = servers_of(compile_specs([spec]), "http")
    assert server.target == "http" and len(server.api.operations) == 3


def test_an_operation_no_target_of_the_format_serves_is_a_located_error(spec: Path) -> None:
    compiled = compile_specs([spec])
    kafka = ir.ChannelBinding(protocol="kafka", channel="orders", action="send")
    odd = ir.Operation(id="orders", binding=kafka, source=ir.Source(file="duo.lineecho", line=9))
    api = ir.Api(name="duo", operations=(*compiled.api.operations, odd))
    with pytest.raises(GenerationError) as raised:
        servers_of(
            Compiled(api=api, target="lineecho", targets=("lineecho", "http"), diagnostics=())
        )
    assert "orders" in str(raised.value) and "kafka" in str(raised.value)
    assert raised.value.diagnostics[0].line == 9


def test_each_target_gets_a_server_folder_and_regeneration_keeps_user_edits(
    spec: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    compiled, report = generate([spec], out, GenerateOptions())
    assert compiled.operation_ids == ("greet", "status", "time")
    http = json.loads((out / "http" / "contract.json").read_text())
    assert [op["id"] for op in http["operations"]] == ["status"]
    line = json.loads((out / "lineecho" / "contract.json").read_text())
    assert [op["id"] for op in line["operations"]] == ["greet", "time"]
    assert sorted(p.name for p in (out / "http" / "mocks").iterdir()) == ["status.yaml"]
    assert (out / "http" / "_vendor" / "mockc_runtime" / "http" / "app.py").is_file()
    index = (out / "README.md").read_text()
    assert "| `lineecho/` | lineecho | 2 |" in index and "| `http/` | http | 1 |" in index
    assert "http/server.py" in report.written and "lineecho/mocks/greet.yaml" in report.written

    hooks = out / "http" / "handlers.py"
    hooks.write_text(hooks.read_text() + "\n\nMINE = 1\n")
    mock = out / "lineecho" / "mocks" / "greet.yaml"
    mock.write_text(mock.read_text().replace("hello, world", "hi there"))
    _, again = generate([spec], out, GenerateOptions())
    assert "MINE = 1" in hooks.read_text()
    assert "hi there" in mock.read_text()
    assert not again.written or all(not path.endswith("greet.yaml") for path in again.written)


def test_targets_register_and_unregister() -> None:
    assert "lineecho" in registry.TARGETS
    lineecho.unregister()
    assert "lineecho" not in registry.TARGETS
    with pytest.raises(registry.UnknownTargetError, match="unknown target 'lineecho'"):
        registry.target_named("lineecho")
    lineecho.register()
