"""A copy of the runtime for the output folder (``_vendor/mockc_runtime/``).

Which runtime packages a server gets follows the target registry: every
package that is no target's protocol adapter is core and always vendored; of
the adapters, the target's own, and those that the vendored code imports. So a
server carries the HTTP adapter only while something it runs imports it.

The runtime's source files are read as data; nothing of the runtime is
imported here.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from ..registry import RuntimeAdapter, adapter_packages
from .emit import GeneratedFile

VENDOR_PACKAGE = "mockc_runtime"
CORE_REQUIREMENTS = (
    "faker==40.54.0",
    "jsonschema-rs==0.60.3",
    "lark==1.3.1",
    "orjson==3.13.0",
    "prometheus-client==0.26.0",
    "pyyaml==6.0.3",
    "redis==8.1.0",
    "regex==2026.11.15",
)
"""What the runtime core needs at run time, pinned as in pyproject.toml."""
ASSETS_DIR = "assets"
"""A folder of files a runtime package serves as they are (GraphiQL's scripts):
vendored with its package, whatever their suffix."""


def _runtime_dir() -> Path:
    spec = importlib.util.find_spec("mockc.runtime")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mockc runtime package cannot be found")
    return Path(next(iter(spec.submodule_search_locations)))


def _is_runtime_file(relative: Path) -> bool:
    if relative.suffix == ".py":
        return True
    return ASSETS_DIR in relative.parts[:-1] and "__pycache__" not in relative.parts


def _package_of(relative: Path) -> str:
    """The runtime subpackage a file belongs to ("" for a top-level module)."""
    return relative.parts[0] if len(relative.parts) > 1 else ""


@cache
def _imported_packages(path: Path, package: tuple[str, ...]) -> frozenset[str]:
    """The runtime subpackages the module at ``path`` imports relatively;
    ``package`` is its package's path under the runtime (``("grpc",)``)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = list(package[: len(package) - node.level + 1])
        if node.module:
            found.add(([*base, *node.module.split(".")])[0])
        elif base:
            found.add(base[0])
        else:  # from .. import http: the names are the runtime's subpackages
            found.update(alias.name for alias in node.names)
    return frozenset(found)


def _sources(adapters: Sequence[RuntimeAdapter]) -> list[tuple[Path, Path]]:
    """(file, its path under ``mockc_runtime``) for the runtime and the plug-in adapters."""
    root = _runtime_dir()
    files = [(path, path.relative_to(root)) for path in sorted(root.rglob("*")) if path.is_file()]
    for adapter in adapters:
        if adapter.source is not None:
            files += [
                (path, Path(adapter.package) / path.relative_to(adapter.source))
                for path in sorted(adapter.source.rglob("*"))
                if path.is_file()
            ]
    return [(path, relative) for path, relative in files if _is_runtime_file(relative)]


def vendored_packages(adapters: Sequence[RuntimeAdapter]) -> frozenset[str]:
    """The runtime subpackages a server on ``adapters`` needs: the core, the
    adapters, and every adapter the vendored code imports."""
    protocol = adapter_packages() | {adapter.package for adapter in adapters}
    modules: dict[str, list[tuple[Path, Path]]] = {}
    for path, relative in _sources(adapters):
        if relative.suffix == ".py":
            modules.setdefault(_package_of(relative), []).append((path, relative))
    wanted = {package for package in modules if package not in protocol}
    wanted |= {adapter.package for adapter in adapters}
    pending = list(wanted)
    while pending:
        for path, relative in modules.get(pending.pop(), []):
            for imported in _imported_packages(path, relative.parts[:-1]):
                if imported in modules and imported not in wanted:
                    wanted.add(imported)
                    pending.append(imported)
    return frozenset(wanted)


def runtime_files(
    adapters: Sequence[RuntimeAdapter], prefix: str = "_vendor"
) -> list[GeneratedFile]:
    """Every module of the runtime core (engine, mocks, state, journal, admin…)
    plus the packages of ``adapters`` and those they import, with the files
    under their ``assets/``."""
    packages = vendored_packages(adapters)
    return [
        GeneratedFile(
            path=f"{prefix}/{VENDOR_PACKAGE}/{relative.as_posix()}",
            content=path.read_bytes(),
        )
        for path, relative in _sources(adapters)
        if _package_of(relative) in packages
    ]


def requirement_lines(*groups: Iterable[str]) -> tuple[str, ...]:
    """requirements, sorted by name whatever their case, once each."""
    return tuple(sorted(set().union(*map(set, groups)), key=str.lower))
