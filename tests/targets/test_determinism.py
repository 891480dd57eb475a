"""Every target writes byte-identical output from the same inputs in separate
processes with different hash seeds (set and dict orders, ``id()`` values and
string hashes all differ between them), and in checkouts at different paths:
each case copies its specs into two checkout-like folders at different depths
and generates next to them, so nothing of where the project lives may leak
into the output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mockc.targets.registry import registered_targets
from tests.support.corpus import CORPUS, ROOT

LINEECHO = """# lineecho 1
name: duo
GREET greet: hello, world
GET /status status: up
"""


@dataclass(frozen=True)
class Case:
    folder: Path | None
    """Copied whole into each checkout (multi-file specs keep their relative refs)."""
    specs: tuple[str, ...]
    """Paths of the specs inside the copied folder."""
    targets: tuple[str, ...]
    """The targets whose servers the case writes."""
    text: str = ""
    """A spec written into the checkout instead of a copied folder (``specs[0]``)."""
    plugin: bool = False
    """Run the CLI with the line-echo plug-in registered (tests/plugins)."""
    options: tuple[str, ...] = ()
    """More options of ``mockc generate`` (``--target``)."""


CASES = {
    "http": Case(ROOT / "examples" / "petstore", ("openapi.yaml",), ("http",)),
    "http-multifile": Case(
        CORPUS / "openapi" / "redocly-cafe-multifile-v31", ("openapi/openapi.yaml",), ("http",)
    ),
    "grpc": Case(
        CORPUS / "proto" / "googleapis-pubsub-v1", ("google/pubsub/v1/pubsub.proto",), ("grpc",)
    ),
    "graphql": Case(CORPUS / "graphql" / "swapi", ("schema.graphql",), ("graphql",)),
    "websocket": Case(ROOT / "examples" / "websocket-chat", ("chat.json",), ("websocket",)),
    "soap": Case(CORPUS / "wsdl" / "onvif", ("ptz.wsdl",), ("soap",)),
    "sse": Case(CORPUS / "asyncapi" / "gitter-streaming", ("asyncapi-3.0.0.yml",), ("sse",)),
    "amqp": Case(CORPUS / "asyncapi" / "rpc-server", ("asyncapi-2.6.0.yml",), ("amqp",)),
    "mcp": Case(ROOT / "examples" / "mcp", ("notes.mcp.yaml",), ("mcp",)),
    "mcp-from-openapi": Case(
        CORPUS / "openapi" / "oai-petstore-expanded-v3",
        ("petstore-expanded.yaml",),
        ("mcp",),
        options=("--target", "mcp"),
    ),
    "mqtt": Case(CORPUS / "asyncapi" / "streetlights-mqtt", ("asyncapi-3.0.0.yml",), ("mqtt",)),
    "kafka": Case(CORPUS / "asyncapi" / "streetlights-kafka", ("asyncapi-3.0.0.yml",), ("kafka",)),
    "lineecho-and-http": Case(
        None, ("duo.lineecho",), ("lineecho", "http"), text=LINEECHO, plugin=True
    ),
}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(case: Case, checkout: Path, hash_seed: str) -> dict[str, bytes]:
    specs = checkout / "specs"
    if case.folder is not None:
        shutil.copytree(case.folder, specs)
    else:
        specs.mkdir(parents=True)
        (specs / case.specs[0]).write_text(case.text, encoding="utf-8")
    module = "tests.plugins.lineecho.cli" if case.plugin else "mockc.compiler.cli"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-m", module, "generate", *(str(specs / spec) for spec in case.specs)]
        + ["-o", str(checkout / "out"), "-q", *case.options],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return _tree(checkout / "out")


def test_every_registered_target_has_a_case() -> None:
    covered = {target for case in CASES.values() for target in case.targets}
    assert {target.name for target in registered_targets()} <= covered


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_byte_identical_across_processes_hash_seeds_and_checkouts(
    name: str, tmp_path: Path
) -> None:
    case = CASES[name]
    first = _generate(case, tmp_path / "home" / "ada" / "src" / "checkout-one", "1")
    second = _generate(case, tmp_path / "ci" / "builds" / "7" / "w" / "checkout-two", "4242")
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
    prefixes = [""] if len(case.targets) == 1 else [f"{target}/" for target in case.targets]
    for prefix in prefixes:
        assert any(path.startswith(f"{prefix}mocks/") for path in first)
        assert f"{prefix}server.py" in first
