"""A copy of the runtime for the output folder (``_vendor/mockc_runtime/``).

The runtime's source files are read as data; nothing of the runtime is
imported here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .emit import GeneratedFile

VENDOR_PACKAGE = "mockc_runtime"


def _runtime_dir() -> Path:
    spec = importlib.util.find_spec("mockc.runtime")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the mockc runtime package cannot be found")
    return Path(next(iter(spec.submodule_search_locations)))


def runtime_files(subpackages: tuple[str, ...], prefix: str = "_vendor") -> list[GeneratedFile]:
    """Every module of the runtime core plus the named protocol subpackages."""
    root = _runtime_dir()
    files: list[GeneratedFile] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if len(relative.parts) > 1 and relative.parts[0] not in subpackages:
            continue
        files.append(
            GeneratedFile(
                path=f"{prefix}/{VENDOR_PACKAGE}/{relative.as_posix()}",
                content=path.read_bytes(),
            )
        )
    return files
