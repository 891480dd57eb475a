"""Running protoc (from grpcio-tools) to turn ``.proto`` files into a descriptor set.

protoc runs in a subprocess so that its messages, which it writes straight to
the process's standard error, can be read and turned into located
diagnostics (``file:line:col: message``). Include paths are the user's
(``-I``), then roots inferred from each file (see :func:`include_roots`), then
the well-known types bundled with grpcio-tools.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from google.protobuf import descriptor_pb2

from ...errors import Diagnostic, RefError, SpecError

__all__ = ["Compiled", "bundled_include", "compile_protos", "include_roots"]

PROTOC_TIMEOUT_SECONDS = 120.0
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)\s*;", re.MULTILINE)
_IMPORT = re.compile(r"^\s*import\s+(?:public\s+|weak\s+)?\"([^\"]+)\"\s*;", re.MULTILINE)
_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")
_FILE_ONLY = re.compile(r"^(?P<file>[^:]+\.proto): (?P<message>.*)$")
_WARNING = "warning: "


@dataclass(frozen=True, kw_only=True)
class Compiled:
    """What protoc gave: the descriptor set and where each file was read from."""

    files: descriptor_pb2.FileDescriptorSet
    """Every file of the closure, imports first, with source info."""
    entries: tuple[str, ...]
    """The virtual names (``google/pubsub/v1/pubsub.proto``) of the files asked for."""
    disk: dict[str, str]
    """Virtual name → the path it was read from, as the user would write it;
    files bundled with grpcio-tools are absent."""
    warnings: tuple[Diagnostic, ...]


def bundled_include() -> Path:
    """The folder of well-known ``.proto`` files that ships with grpcio-tools."""
    spec = importlib.util.find_spec("grpc_tools")
    if spec is None or not spec.submodule_search_locations:
        raise SpecError(
            "reading .proto files needs grpcio-tools, which is not installed "
            "(pip install grpcio-tools)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "_proto"


def include_roots(entry: Path, explicit: Sequence[Path]) -> list[Path]:
    """Where protoc looks for ``entry``'s imports: the ``explicit`` folders, then
    the folder the file's package names (``google/pubsub/v1/x.proto`` with
    ``package google.pubsub.v1`` → the folder above ``google``), then, for each
    import found in none of those, the nearest folder above the file that holds
    it, then the file's own folder."""
    roots = list(explicit)
    try:
        text = entry.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return [*roots, entry.parent]
    folder = entry.parent
    package = _PACKAGE.search(text)
    if package:
        parts = package.group(1).split(".")
        if len(folder.parts) > len(parts) and list(folder.parts[-len(parts) :]) == parts:
            _add(roots, Path(*folder.parts[: -len(parts)]))
    bundled = bundled_include()
    for name in _IMPORT.findall(text):
        if any((root / name).is_file() for root in [*roots, bundled]):
            continue
        for above in (folder, *folder.parents):
            if (above / name).is_file():
                _add(roots, above)
                break
    if not any(_within(entry, root) for root in roots):
        _add(roots, folder)
    return roots


def _add(roots: list[Path], root: Path) -> None:
    if root not in roots:
        roots.append(root)


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def compile_protos(entries: Sequence[Path], include_paths: Sequence[Path] = ()) -> Compiled:
    """The descriptor set of ``entries`` and their imports; raises SpecError
    (RefError for a missing import) with every problem protoc found."""
    for entry in entries:
        if not entry.is_file():
            raise SpecError(Diagnostic(file=str(entry), message="no such file"))
    roots: list[Path] = []
    for entry in entries:
        for root in include_roots(entry, include_paths):
            _add(roots, root)
    bundled = bundled_include()
    with tempfile.TemporaryDirectory(prefix="mockc-protoc-") as temp:
        out = Path(temp) / "descriptors.binpb"
        command = [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            *(f"--proto_path={root}" for root in roots),
            f"--proto_path={bundled}",
            "--include_imports",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *(str(entry) for entry in entries),
        ]
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=PROTOC_TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "PYTHONWARNINGS": "ignore"},
            )
        except subprocess.TimeoutExpired:
            raise SpecError(
                f"protoc did not finish within {PROTOC_TIMEOUT_SECONDS:.0f} s"
            ) from None
        located = _Locator(roots, entries)
        problems = [located.diagnostic(line) for line in result.stderr.splitlines() if line.strip()]
        errors = [problem for problem in problems if problem.level == "error"]
        if result.returncode != 0 or not out.is_file():
            if not errors:
                errors = [Diagnostic(message=f"protoc failed: {result.stderr.strip()}")]
            kind = RefError if any("not found" in e.message for e in errors) else SpecError
            raise kind(_without_echoes(errors))
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    names = {file.name for file in files.file}
    entry_names = tuple(located.virtual(entry) for entry in entries)
    disk = {}
    for name in names:
        found = next((root / name for root in roots if (root / name).is_file()), None)
        if found is not None:
            disk[name] = str(found)
    for entry, name in zip(entries, entry_names, strict=True):
        disk[name] = str(entry)
    warnings = tuple(problem for problem in problems if problem.level == "warning")
    return Compiled(files=files, entries=entry_names, disk=disk, warnings=warnings)


class _Locator:
    """Turns protoc's file names (virtual, relative to an include root) back into
    the paths the user knows."""

    def __init__(self, roots: Sequence[Path], entries: Sequence[Path]) -> None:
        self.roots = list(roots)
        self.by_virtual = {self.virtual(entry): str(entry) for entry in entries}

    def virtual(self, entry: Path) -> str:
        for root in self.roots:
            try:
                return entry.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue
        return entry.name

    def disk(self, name: str) -> str:
        if name in self.by_virtual:
            return self.by_virtual[name]
        for root in self.roots:
            if (root / name).is_file():
                return str(root / name)
        return name

    def diagnostic(self, text: str) -> Diagnostic:
        found = _LOCATED.match(text)
        if found:
            message, level = _level(found.group("message"))
            return Diagnostic(
                file=self.disk(found.group("file")),
                line=int(found.group("line")),
                column=int(found.group("column")),
                message=message,
                level=level,
            )
        found = _FILE_ONLY.match(text)
        if found:
            message, level = _level(found.group("message"))
            if message == "File not found.":
                message = (
                    "file not found in the include paths (add its folder with -I DIR); "
                    "searched: " + ", ".join(str(root) for root in self.roots)
                )
            return Diagnostic(file=found.group("file"), message=message, level=level)
        message, level = _level(text.strip())
        return Diagnostic(message=message, level=level)


def _level(message: str) -> tuple[str, str]:
    if message.startswith(_WARNING):
        return message[len(_WARNING) :], "warning"
    return message, "error"


def _without_echoes(errors: list[Diagnostic]) -> list[Diagnostic]:
    """A missing import is reported twice by protoc (the file, then the import
    line naming it); keep the located report and fold the search path into it."""
    located = [error for error in errors if error.line is not None]
    missing = {error.file: error for error in errors if error.line is None and error.file}
    kept: list[Diagnostic] = []
    for error in errors:
        if (
            error.line is None
            and error.file
            and any(f'"{error.file}"' in other.message for other in located)
        ):
            continue
        if error.line is not None:
            for name, original in missing.items():
                if f'Import "{name}" was not found' in error.message:
                    detail = original.message.partition("; ")[2]
                    error = Diagnostic(
                        file=error.file,
                        line=error.line,
                        column=error.column,
                        message=f'import "{name}" was not found (add its folder with -I DIR; '
                        f"{detail})",
                    )
        kept.append(error)
    return kept
