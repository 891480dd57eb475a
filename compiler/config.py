"""Project config: the mock servers of a repository, in ``mockc.toml`` or in
``[tool.mockc]`` of ``pyproject.toml``.

.. code-block:: toml

    [[servers]]
    name = "petstore"                      # unique; names the server in reports
    specs = ["specs/petstore.yaml"]        # or spec = "…"; relative to this file
    out = "mock-servers/petstore"          # the output folder
    target = "http"                        # optional: inferred from the specs
    seed = 0                               # optional options: seed, link_runtime,
    link_runtime = false                   #   allow_remote_refs, models
    allow_remote_refs = false
    models = false                         # true: also models.py, typed hooks

In ``pyproject.toml`` the tables are ``[[tool.mockc.servers]]``. Every error
names the file and, where it can, the line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .driver import TARGETS
from .errors import Diagnostic, MockcError
from .frontends.registry import FRONT_ENDS

__all__ = [
    "CONFIG_FILE",
    "Config",
    "ConfigError",
    "ServerConfig",
    "find_config",
    "find_specs",
    "load_config",
    "starter_config",
]

CONFIG_FILE = "mockc.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_OUT = "mock-servers"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_KEYS = {
    "name": str,
    "spec": str,
    "specs": list,
    "out": str,
    "target": str,
    "seed": int,
    "link_runtime": bool,
    "allow_remote_refs": bool,
    "models": bool,
}
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
_HEAD_BYTES = 64 * 1024
_GENERIC_STEMS = frozenset({"openapi", "swagger", "api", "spec", "schema", "index", "main"})


class ConfigError(MockcError):
    """The project config is malformed."""


@dataclass(frozen=True, kw_only=True)
class ServerConfig:
    name: str
    specs: tuple[Path, ...]
    """Absolute paths."""
    out: Path
    """Absolute path."""
    target: str | None = None
    seed: int = 0
    link_runtime: bool = False
    allow_remote_refs: bool = False
    models: bool = False
    """Also write models.py and type the hook stubs (``mockc generate --models``)."""
    line: int | None = None
    """Where the server is declared in the config file."""


@dataclass(frozen=True, kw_only=True)
class Config:
    path: Path
    servers: tuple[ServerConfig, ...]

    def uses(self, path: Path) -> list[ServerConfig]:
        """The servers whose configured specs include ``path``."""
        resolved = path.resolve()
        return [server for server in self.servers if resolved in server.specs]


def find_config(start: Path) -> Path | None:
    """``mockc.toml``, or a ``pyproject.toml`` with ``[tool.mockc]``, in
    ``start`` or the nearest folder above it (not above a git repository's root)."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(Diagnostic(file=str(path), message="no such file")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Diagnostic(file=str(path), message=f"cannot read: {exc}")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_position(exc)
        raise ConfigError(
            Diagnostic(file=str(path), line=line, column=column, message=f"not valid TOML: {exc}")
        ) from None
    prefix = ""
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("mockc")
        prefix = "tool.mockc."
        if not isinstance(data, dict):
            raise ConfigError(Diagnostic(file=str(path), message="has no [tool.mockc] section"))
    locator = _Locator(text, prefix)
    unknown = sorted(set(data) - {"servers"})
    if unknown:
        raise ConfigError(
            Diagnostic(
                file=str(path),
                line=locator.top_level(unknown[0]),
                message=f"unknown key {prefix}{unknown[0]!r} (expected: [[{prefix}servers]])",
            )
        )
    servers = data.get("servers")
    if not isinstance(servers, list) or not servers:
        raise ConfigError(
            Diagnostic(
                file=str(path),
                line=locator.top_level("servers"),
                message=f"no servers: add a [[{prefix}servers]] table (mockc init writes one)",
            )
        )
    parsed: list[ServerConfig] = []
    names: dict[str, int | None] = {}
    for index, table in enumerate(servers):
        server = _server(path, table, index, locator)
        if server.name in names:
            raise ConfigError(
                Diagnostic(
                    file=str(path),
                    line=server.line,
                    message=f"server name {server.name!r} is used twice "
                    f"(first at line {names[server.name]})",
                )
            )
        names[server.name] = server.line
        parsed.append(server)
    return Config(path=path.resolve(), servers=tuple(parsed))


def _server(path: Path, table: Any, index: int, locator: _Locator) -> ServerConfig:
    line = locator.server(index)

    def fail(message: str, key: str | None = None) -> ConfigError:
        where = locator.server(index, key) if key else line
        return ConfigError(Diagnostic(file=str(path), line=where, message=message))

    if not isinstance(table, dict):
        raise fail(f"server {index + 1} is not a table")
    label = (
        f"server {table.get('name')!r}"
        if isinstance(table.get("name"), str)
        else (f"server {index + 1}")
    )
    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise fail(f"{label}: unknown key {key!r} (known: {', '.join(_KEYS)})", key)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise fail(f"{label}: {key} must be a {_type_name(expected)}", key)
    name = table.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail(
            f"{label}: needs a name of letters, digits, '.', '_' or '-'",
            "name" if "name" in table else None,
        )
    if "spec" in table and "specs" in table:
        raise fail(f"{label}: give spec or specs, not both", "specs")
    specs = table.get("specs", [table["spec"]] if "spec" in table else [])
    if not specs or not all(isinstance(spec, str) and spec for spec in specs):
        raise fail(f"{label}: specs must list one or more spec files", "specs")
    out = table.get("out")
    if not isinstance(out, str) or not out:
        raise fail(f"{label}: needs out, the output folder", "out" if "out" in table else None)
    target = table.get("target")
    if target is not None and target not in TARGETS:
        raise fail(f"{label}: unknown target {target!r} (known: {', '.join(TARGETS)})", "target")
    root = path.resolve().parent
    return ServerConfig(
        name=name,
        specs=tuple((root / spec).resolve() for spec in specs),
        out=(root / out).resolve(),
        target=target,
        seed=table.get("seed", 0),
        link_runtime=table.get("link_runtime", False),
        allow_remote_refs=table.get("allow_remote_refs", False),
        models=table.get("models", False),
        line=line,
    )


# -- mockc init ------------------------------------------------------------------------


def find_specs(roots: Iterable[Path]) -> list[Path]:
    """Spec files under ``roots`` (files are taken as given): every file a
    front end recognises, skipping hidden folders, virtualenvs, dependency
    folders and generated servers (folders with ``.mockc/``)."""
    suffixes = {suffix for front_end in FRONT_ENDS for suffix in front_end.suffixes}
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for candidate in _walk(root):
            if candidate.suffix.lower() in suffixes and _is_spec(candidate):
                if candidate.suffix.lower() == ".wsdl" and not _serves_a_port(candidate):
                    continue  # an abstract WSDL: what other WSDLs import
                found.append(candidate)
    return sorted(dict.fromkeys(found))


_PORT_ADDRESS = re.compile(rb"<(\w+:)?address\b[^>]*\blocation\s*=")
_MAX_WSDL_BYTES = 16 * 1024 * 1024


def _serves_a_port(path: Path) -> bool:
    """A WSDL with a port address (``soap:address``): one mockc serves."""
    try:
        if path.stat().st_size > _MAX_WSDL_BYTES:
            return True  # let generate say what is wrong with it
        return _PORT_ADDRESS.search(path.read_bytes()) is not None
    except OSError:
        return False


def starter_config(specs: Sequence[Path], root: Path) -> str:
    """A ``mockc.toml`` with one server per spec, paths relative to ``root``."""
    lines = [
        "# mockc project config: the mock servers of this repository.",
        "# `mockc generate` regenerates them all; `mockc generate SPEC…` only those using SPEC.",
        "# Keys per server: name, specs (or spec), out, and optionally target, seed,",
        "# link_runtime, allow_remote_refs, models. Paths are relative to this file.",
    ]
    taken: set[str] = set()
    for spec in specs:
        name = _server_name(spec, taken)
        taken.add(name)
        relative = _relative(spec, root)
        lines += [
            "",
            "[[servers]]",
            f"name = {_toml_string(name)}",
            f"specs = [{_toml_string(relative)}]",
            f"out = {_toml_string(f'{DEFAULT_OUT}/{name}')}",
        ]
    return "\n".join(lines) + "\n"


def _walk(folder: Path) -> Iterable[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    if any(entry.name == ".mockc" for entry in entries):
        return  # a generated server
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIPPED_FOLDERS:
            continue
        if entry.is_dir() and not entry.is_symlink():
            if (entry / "pyvenv.cfg").exists():
                continue
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def _is_spec(path: Path) -> bool:
    """A file whose head a front end recognises (not merely its suffix: most
    YAML and JSON files are not specs)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    return any(
        path.suffix.lower() in front_end.suffixes and front_end.sniff.search(head)
        for front_end in FRONT_ENDS
    )


def _server_name(spec: Path, taken: set[str]) -> str:
    stem = spec.stem.lower()
    base = spec.resolve().parent.name if stem in _GENERIC_STEMS else spec.stem
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", base).strip("-.") or "server"
    if not _NAME.fullmatch(name):
        name = f"server-{name}"
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name}-{number}"
        number += 1
    return candidate


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is a JSON string


# -- locating things in the config text -------------------------------------------------


def _has_tool_section(pyproject: Path) -> bool:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "mockc" in data["tool"]


def _toml_position(error: tomllib.TOMLDecodeError) -> tuple[int | None, int | None]:
    found = re.search(r"at line (\d+), column (\d+)", str(error))
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class _Locator:
    """Line numbers of ``[[servers]]`` tables and their keys (tomllib gives none)."""

    def __init__(self, text: str, prefix: str) -> None:
        self.lines = text.splitlines()
        self.prefix = prefix
        self.tables: list[int] = []  # 0-based line of each [[servers]] header
        for number, line in enumerate(self.lines):
            match = _HEADER.match(line)
            if match:
                name = match.group(2).replace(" ", "")
                if match.group(1) == "[[" and name == f"{prefix}servers":
                    self.tables.append(number)

    def server(self, index: int, key: str | None = None) -> int | None:
        if index >= len(self.tables):
            return self.top_level("servers")
        start = self.tables[index]
        if key is not None:
            for number in range(start + 1, len(self.lines)):
                if _HEADER.match(self.lines[number]):
                    break
                match = _KEY.match(self.lines[number])
                if match and match.group(1) == key:
                    return number + 1
        return start + 1

    def top_level(self, key: str) -> int | None:
        """The line of ``key`` in the config's own table, when it can be found."""
        section = self.prefix.rstrip(".")
        current = ""
        for number, line in enumerate(self.lines):
            header = _HEADER.match(line)
            if header:
                current = header.group(2).replace(" ", "")
                if current == f"{self.prefix}{key}":
                    return number + 1
                continue
            match = _KEY.match(line)
            if match and match.group(1) == key and current == section:
                return number + 1
        return None


def _type_name(expected: type) -> str:
    return {str: "string", list: "list of strings", int: "number", bool: "true or false"}[expected]
