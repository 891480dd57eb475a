"""A copy of the runtime for the output folder (``_vendor/mockc_runtime/``).

The runtime's source files are read as data; nothing of the runtime is
imported here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

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
PROTOCOL_SUBPACKAGES = frozenset({"http", "grpc", "graphql", "soap", "channels", "mcp"})
"""Runtime subpackages that adapt one protocol; every other subpackage is core."""


def _runtime_dir() -> Path:
    spec = importlib.util.find_spec("mockc.runtime")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mockc runtime package cannot be found")
    return Path(next(iter(spec.submodule_search_locations)))


ASSETS_DIR = "assets"
"""A folder of files a runtime package serves as they are (GraphiQL's scripts):
vendored with its package, whatever their suffix."""


def _is_runtime_file(relative: Path) -> bool:
    if relative.suffix == ".py":
        return True
    return ASSETS_DIR in relative.parts[:-1] and "__pycache__" not in relative.parts


def runtime_files(subpackages: tuple[str, ...], prefix: str = "_vendor") -> list[GeneratedFile]:
    """Every module of the runtime core (engine, mocks, state, journal, admin…)
    plus the named protocol subpackages, with the files under their ``assets/``."""
    root = _runtime_dir()
    files: list[GeneratedFile] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or not _is_runtime_file(relative):
            continue
        package = relative.parts[0] if len(relative.parts) > 1 else ""
        if package in PROTOCOL_SUBPACKAGES and package not in subpackages:
            continue
        files.append(
            GeneratedFile(
                path=f"{prefix}/{VENDOR_PACKAGE}/{relative.as_posix()}",
                content=path.read_bytes(),
            )
        )
    return files
