"""The import layering of ARCHITECTURE.md, checked on the source tree."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["mockc", *path.relative_to(ROOT).with_suffix("").parts[:-1]]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def _violations(
    folder: str, forbidden: tuple[str, ...], *, absolute_mockc: bool = True
) -> list[str]:
    problems = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for lineno, module in _imports(path):
            if module.startswith(forbidden):
                problems.append(f"{path.relative_to(ROOT)}:{lineno}: imports {module}")
        if not absolute_mockc:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and not node.level
                    and (node.module or "").startswith("mockc")
                ):
                    problems.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: absolute import of {node.module}"
                    )
                if isinstance(node, ast.Import) and any(
                    a.name.startswith("mockc") for a in node.names
                ):
                    problems.append(
                        f"{path.relative_to(ROOT)}:{node.lineno}: absolute import of mockc"
                    )
    return problems


def test_runtime_imports_nothing_of_the_compiler_or_targets() -> None:
    forbidden = ("mockc.compiler", "mockc.targets", "zeep", "libcst", "jinja2", "click")
    assert _violations("runtime", forbidden) == []


# The runtime reads mock files (YAML) and compiles their expressions (lark)
# at start-up and when mocks are edited live through the admin API, so those
# parsers are run-time dependencies; everything else is the servers' own.
RUNTIME_THIRD_PARTY = frozenset(
    {
        "aio_pika",  # the RabbitMQ (AMQP 0-9-1) adapter's client, and its
        "aiormq",  # protocol layers (aiormq, pamqp) and
        "pamqp",
        "yarl",  # URL type (a dependency of aio-pika)
        "aiokafka",  # the Kafka adapter
        "defusedxml",  # XML request bodies (the HTTP adapter)
        "faker",
        "fastavro",  # Avro payloads of the broker adapters (runtime/broker/avro.py)
        "google",  # protobuf (google.protobuf) and google.rpc: the gRPC adapter
        "granian",
        "graphql",
        "grpc",
        "grpc_health",
        "grpc_reflection",
        "grpc_status",
        "jsonschema_rs",
        "lark",
        "lxml",  # SOAP envelopes (the SOAP adapter)
        "mcp",  # the MCP adapter: the official SDK
        "mcp_types",
        "anyio",  # the MCP SDK's memory streams, which its event store hands over
        "aiomqtt",  # the MQTT adapter's client
        "paho",  # aiomqtt's MQTT 5 properties and subscription options
        "opentelemetry",  # optional: runtime/telemetry imports it when OTLP export is set
        "orjson",
        "prometheus_client",
        "redis",
        "regex",
        "xmlschema",  # SOAP requests and answers checked against the WSDL's schemas
        "yaml",
    }
)


def test_runtime_imports_only_the_stdlib_and_its_pinned_libraries() -> None:
    import sys

    problems = []
    for path in sorted((ROOT / "runtime").rglob("*.py")):
        for lineno, module in _imports(path):
            top = module.split(".")[0]
            if top in ("mockc", "__future__") or top in sys.stdlib_module_names:
                continue
            if top not in RUNTIME_THIRD_PARTY:
                problems.append(f"{path.relative_to(ROOT)}:{lineno}: imports {module}")
    assert problems == []


def test_runtime_uses_relative_imports_only_so_it_can_be_vendored() -> None:
    assert _violations("runtime", (), absolute_mockc=False) == []


def test_ir_imports_only_the_standard_library() -> None:
    forbidden = (
        "mockc.compiler.frontends",
        "mockc.compiler.passes",
        "mockc.targets",
        "mockc.runtime",
        "jinja2",
        "yaml",
    )
    assert _violations("compiler/ir", forbidden) == []


CONTRACT_FORMAT_IMPORT = ("mockc.runtime.contract", "mockc.runtime.contract.CONTRACT_FORMAT")
"""The one exception, in targets/common/contract.py: the contract format number is
declared once, by the runtime that reads contract.json; the targets writing it import it."""


def _is_contract_format_import(problem: str) -> bool:
    where, _, module = problem.partition(": imports ")
    return where.startswith("targets/common/contract.py:") and module in CONTRACT_FORMAT_IMPORT


def test_targets_import_no_front_end_and_no_runtime() -> None:
    found = _violations(
        "targets", ("mockc.compiler.frontends", "mockc.runtime", "mockc.compiler.driver")
    )
    assert [problem for problem in found if not _is_contract_format_import(problem)] == []


@pytest.mark.parametrize(
    "target",
    sorted(
        p.name
        for p in (ROOT / "targets").iterdir()
        if p.is_dir() and p.name not in ("common", "__pycache__")
    ),
)
def test_a_target_imports_no_other_target(target: str) -> None:
    others = tuple(
        f"mockc.targets.{p.name}"
        for p in (ROOT / "targets").iterdir()
        if p.is_dir() and p.name not in (target, "common", "__pycache__")
    )
    assert _violations(f"targets/{target}", others) == [] if others else True


def test_front_ends_import_no_target_and_no_other_front_end() -> None:
    frontends = ROOT / "compiler" / "frontends"
    problems = _violations("compiler/frontends", ("mockc.targets", "mockc.runtime"))
    for module in sorted(
        p
        for p in frontends.iterdir()
        if p.name not in ("__init__.py", "__pycache__", "registry.py")
    ):
        name = module.stem if module.is_file() else module.name
        shared = ("documents", "jsonschema")
        if name in shared:
            continue
        others = tuple(
            f"mockc.compiler.frontends.{p.stem if p.is_file() else p.name}"
            for p in frontends.iterdir()
            if p.name not in ("__init__.py", "__pycache__", "registry.py", module.name)
            and (p.stem if p.is_file() else p.name) not in shared
        )
        if others:
            problems += (
                _violations(str(module.relative_to(ROOT)), others)
                if module.is_dir()
                else [
                    f"{module.name}:{lineno}: imports {imported}"
                    for lineno, imported in _imports(module)
                    if imported.startswith(others)
                ]
            )
    assert problems == []


def test_the_layering_check_can_fail(tmp_path: Path) -> None:
    """The checker itself sees a forbidden import."""
    assert _imports(ROOT / "compiler" / "driver.py")
    assert any(m.startswith("mockc.targets") for _, m in _imports(ROOT / "compiler" / "driver.py"))


def test_the_driver_and_the_registries_name_no_protocol_package() -> None:
    """Protocols come in through the registries' entries (module names, imported
    when used), so adding one edits no import of the pipeline."""
    protocols = tuple(
        f"mockc.targets.{p.name}"
        for p in (ROOT / "targets").iterdir()
        if p.is_dir() and p.name not in ("common", "__pycache__")
    ) + tuple(
        f"mockc.compiler.frontends.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "compiler" / "frontends").iterdir()
        if p.name not in ("__init__.py", "__pycache__", "registry.py")
    )
    problems = [
        f"{path}:{lineno}: imports {module}"
        for path in ("compiler/driver.py", "compiler/frontends/registry.py", "targets/registry.py")
        for lineno, module in _imports(ROOT / path)
        if module.startswith(protocols)
    ]
    assert problems == []
