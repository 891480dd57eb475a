"""Which front end reads a spec file: by suffix, then by content."""

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


def _imported_when_used(module: str, function: str) -> Loader:
    """``module.function``, imported on the first call: a front end pulls in
    its language's libraries (graphql-core, protobuf), which reading another
    language does not need."""

    def load(*args: Any, **kwargs: Any) -> ir.Api:
        loaded: Loader = getattr(importlib.import_module(f"{__package__}.{module}"), function)
        return loaded(*args, **kwargs)

    return load


@dataclass(frozen=True, kw_only=True)
class FrontEnd:
    name: str
    suffixes: tuple[str, ...]
    sniff: re.Pattern[str]
    """Matches the head of a file in this format."""
    load: Loader
    target: str
    """The target a spec of this format is served by, unless the user says otherwise."""
    options: frozenset[str] = frozenset({"allow_remote_refs", "warnings"})
    """The keyword options ``load`` takes (the driver passes only these)."""
    together: bool = False
    """``load`` takes every spec of this format at once (a sequence of paths),
    because they are compiled together (proto files import each other)."""


FRONT_ENDS: tuple[FrontEnd, ...] = (
    FrontEnd(
        name="openapi",
        suffixes=(".yaml", ".yml", ".json"),
        sniff=re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE),
        load=_imported_when_used("openapi", "load"),
        target="http",
    ),
    FrontEnd(
        name="proto",
        suffixes=(".proto",),
        sniff=re.compile(
            r"^\s*(syntax\s*=|edition\s*=|package\s+[\w.]+\s*;|(message|service)\s+\w+\s*\{)",
            re.MULTILINE,
        ),
        load=_imported_when_used("proto", "load"),
        target="grpc",
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
        load=_imported_when_used("graphql", "load_all"),
        target="graphql",
        together=True,
    ),
)

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
