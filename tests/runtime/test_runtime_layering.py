"""Which runtime packages may import which: the adapters share the core and the
web toolkit, never each other (a gRPC server is vendored without the HTTP adapter)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "runtime"
ADAPTERS = ("http", "grpc", "graphql")
"""The protocol adapters: ``runtime/<protocol>/``."""


def _module_name(path: Path) -> str:
    parts = ["mockc", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """``mockc`` modules imported by ``path`` (relative imports resolved), with
    each imported name as a candidate submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
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
    return [(line, name) for line, name in found if name.startswith("mockc.")]


def _files() -> dict[str, Path]:
    return {_module_name(path): path for path in RUNTIME.rglob("*.py")}


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    problems = []
    for path in sorted((RUNTIME / folder).rglob("*.py")):
        for line, module in _imports(path):
            if module == forbidden or module.startswith(forbidden):
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    return problems


def _reachable(start: str) -> set[str]:
    """The runtime modules ``start`` imports, transitively (packages' ``__init__`` too)."""
    files = _files()
    seen: set[str] = set()
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen or name not in files:
            continue
        seen.add(name)
        parts = name.split(".")
        pending.extend(".".join(parts[:end]) for end in range(2, len(parts)))
        pending.extend(module for _, module in _imports(files[name]))
    return seen


@pytest.mark.parametrize("folder", ["grpc", "graphql", "admin", "web"])
def test_only_the_http_adapter_imports_runtime_http(folder: str) -> None:
    assert _violations(folder, ("mockc.runtime.http.", "mockc.runtime.http")) == []


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_an_adapter_imports_no_other_adapter(adapter: str) -> None:
    others = tuple(f"mockc.runtime.{other}" for other in ADAPTERS if other != adapter)
    assert _violations(adapter, others) == []


def test_the_web_toolkit_and_the_admin_api_import_no_adapter() -> None:
    adapters = tuple(f"mockc.runtime.{adapter}" for adapter in ADAPTERS)
    assert _violations("web", adapters) + _violations("admin", adapters) == []


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_a_server_needs_its_adapter_and_the_core_only(adapter: str) -> None:
    """What ``runtime/<adapter>/server.py`` loads, transitively: no other adapter
    (so a generated server vendors ``runtime/<adapter>`` plus the core)."""
    reached = _reachable(f"mockc.runtime.{adapter}.server")
    assert f"mockc.runtime.{adapter}.app" in reached
    for other in ADAPTERS:
        if other != adapter:
            assert not {m for m in reached if m.startswith(f"mockc.runtime.{other}")}, other
