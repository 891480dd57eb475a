"""Which front end reads a spec file: by suffix, then by content.

A front end registers itself with one :class:`FrontEnd` entry: its name, the
file suffixes it claims, a pattern that recognises its files, its loader
(imported when first used) and the targets it feeds. The built-in entries are
the first rows of :data:`FRONT_ENDS`; a plug-in adds its own with
:func:`register_front_end` before the driver runs.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, SpecError, UnsupportedSpecError

Loader = Callable[..., ir.Api]


def imported_when_used(module: str, function: str) -> Loader:
    """``module.function`` (an absolute module name), imported on the first
    call: a front end pulls in its language's libraries (graphql-core,
    protobuf), which reading another language does not need."""

    def load(*args: Any, **kwargs: Any) -> ir.Api:
        loaded: Loader = getattr(importlib.import_module(module), function)
        return loaded(*args, **kwargs)

    return load


@dataclass(frozen=True, kw_only=True)
class FrontEnd:
    name: str
    suffixes: tuple[str, ...]
    sniff: re.Pattern[str]
    """Matches the head of a file in this format."""
    load: Loader
    targets: tuple[str, ...]
    """The targets this format's operations are served by (registry names), the
    default first: each operation goes to the first of them that serves its
    binding kind (``mockc.targets.registry.binding_kind``)."""
    options: frozenset[str] = frozenset({"allow_remote_refs", "warnings"})
    """The keyword options ``load`` takes (the driver passes only these)."""
    together: bool = False
    """``load`` takes every spec of this format at once (a sequence of paths),
    because they are compiled together (proto files import each other)."""

    @property
    def target(self) -> str:
        """The target a spec of this format is served by, unless the user says otherwise."""
        return self.targets[0]


FRONT_ENDS: list[FrontEnd] = [
    FrontEnd(
        name="openapi",
        suffixes=(".yaml", ".yml", ".json"),
        sniff=re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE),
        load=imported_when_used(f"{__package__}.openapi", "load"),
        targets=("http",),
    ),
    FrontEnd(
        name="proto",
        suffixes=(".proto",),
        sniff=re.compile(
            r"^\s*(syntax\s*=|edition\s*=|package\s+[\w.]+\s*;|(message|service)\s+\w+\s*\{)",
            re.MULTILINE,
        ),
        load=imported_when_used(f"{__package__}.proto", "load"),
        targets=("grpc",),
        options=frozenset({"include_paths", "warnings"}),
        together=True,
    ),
    FrontEnd(
        name="graphql",
        suffixes=(".graphql", ".graphqls", ".gql", ".json"),
        # SDL definitions, or an introspection result in JSON (OpenAPI claims .json
        # too: its sniff is tried first and needs a top-level openapi/swagger key)
        sniff=re.compile(
            r'"__schema"\s*:|^\s*(schema\s*\{|extend\s+(schema|type|interface|union|enum|input|scalar)\b'
            r"|(type|interface|input|enum|union|scalar)\s+[_A-Za-z]\w*\s*(\{|@|=|implements\b|$)"
            r"|directive\s+@)",
            re.MULTILINE,
        ),
        load=imported_when_used(f"{__package__}.graphql", "load_all"),
        targets=("graphql",),
        together=True,
    ),
    FrontEnd(
        name="channels",
        suffixes=(".json",),
        # the format marker: a top-level "mockc": "channels/<version>" member
        sniff=re.compile(r'"mockc"\s*:\s*"channels/'),
        load=imported_when_used(f"{__package__}.channels", "load"),
        targets=("sse", "websocket", "mqtt", "amqp", "kafka"),
        options=frozenset({"warnings"}),
    ),
    FrontEnd(
        name="wsdl",
        suffixes=(".wsdl",),
        sniff=re.compile(r"<(\w+:)?definitions\b[^>]*schemas\.xmlsoap\.org/wsdl/"),
        load=imported_when_used(f"{__package__}.wsdl", "load"),
        targets=("soap",),
    ),
    FrontEnd(
        name="asyncapi",
        suffixes=(".yaml", ".yml", ".json"),
        sniff=re.compile(r"""^\s*["']?asyncapi["']?\s*:""", re.MULTILINE),
        load=imported_when_used(f"{__package__}.asyncapi", "load"),
        # a channel goes to the first that serves its protocol (sse, websocket…)
        targets=("sse", "websocket", "mqtt", "amqp", "kafka"),
    ),
    FrontEnd(
        name="mcp",
        suffixes=(".yaml", ".yml", ".json"),
        # a top-level "mcp" key (the config format's version), or a $schema naming ours
        sniff=re.compile(r"""^(\s*"mcp"|mcp|'mcp')\s*:|mcp-config\.schema\.json""", re.MULTILINE),
        load=imported_when_used(f"{__package__}.mcp", "load"),
        targets=("mcp",),
        options=frozenset({"warnings"}),
    ),
]
"""Every front end, in the order their patterns are tried: the built-in ones,
then plug-ins in registration order."""


def register_front_end(front_end: FrontEnd) -> FrontEnd:
    """Make ``front_end`` known (replacing an entry of the same name); returns it."""
    for index, known in enumerate(FRONT_ENDS):
        if known.name == front_end.name:
            FRONT_ENDS[index] = front_end
            return front_end
    FRONT_ENDS.append(front_end)
    return front_end


def unregister_front_end(name: str) -> None:
    """Forget the front end ``name`` (a plug-in unloading); unknown names are ignored."""
    FRONT_ENDS[:] = [front_end for front_end in FRONT_ENDS if front_end.name != name]


_HEAD_BYTES = 64 * 1024


def front_end_for(path: Path) -> FrontEnd:
    try:
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        raise SpecError(Diagnostic(file=str(path), message="no such file")) from None
    except IsADirectoryError:
        raise SpecError(
            Diagnostic(file=str(path), message="is a folder, not a spec file")
        ) from None
    except OSError as exc:
        raise SpecError(
            Diagnostic(file=str(path), message=f"cannot read: {exc.strerror}")
        ) from None
    by_suffix = [fe for fe in FRONT_ENDS if path.suffix.lower() in fe.suffixes]
    for front_end in by_suffix or FRONT_ENDS:
        if front_end.sniff.search(head):
            return front_end
    if by_suffix:  # the first claimant of the suffix reports what is wrong with the file
        return by_suffix[0]
    known = ", ".join(fe.name for fe in FRONT_ENDS)
    raise UnsupportedSpecError(
        Diagnostic(
            file=str(path),
            pointer="",
            message=f"not a spec mockc can read (it reads: {known}); "
            "an OpenAPI document needs a top-level 'openapi' or 'swagger' key",
        )
    )
