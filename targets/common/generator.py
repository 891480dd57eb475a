"""What every target's ``generate(api, options)`` does alike.

A target subclasses :class:`ServerGenerator` and supplies only what is its
own: the binding its operations have, its requirements and port, a row per
operation for the README table, a hook docstring, its contract, and any extra
files and template values. The skeleton writes ``contract.json``, the extra
files, the server files of the base templates (:data:`.emit.SERVER_FILES`,
with the target's blocks filled in) and the vendored runtime, in that order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mockc.compiler import ir

from ..registry import target_named
from .contract import contract_file
from .emit import (
    GeneratedFile,
    TargetOptions,
    docstring_text,
    generated_header,
    hook_context,
    pinned_requirements,
    python_docstring,
    server_files,
    source_names,
)
from .vendor import runtime_files

INSTALL_COMMAND = "pip install --no-cache-dir -r requirements.txt"
START_COMMAND = ("python", "server.py")

Contract = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Hook:
    """One stub of ``handlers.py``."""

    name: str
    docstring: str


class ServerGenerator:
    """The skeleton of a target; subclasses set the class attributes and
    override the methods below ``generate``."""

    name: ClassVar[str]
    """The target's registry name: its entry names the runtime adapters to vendor."""
    binding: ClassVar[type | tuple[type, ...]]
    """The IR binding class (or classes) of the operations this target serves."""
    templates: ClassVar[Path | None] = None
    """The target's own templates (each extends ``base/<file>.j2``); None: none."""
    requirements: ClassVar[tuple[str, ...]]
    """The runtime's pinned dependencies for this protocol, core included."""
    port: ClassVar[int] = 8080
    source_limit: ClassVar[int | None] = None
    """At most this many spec files named in the README (the rest counted)."""
    build_contract: ClassVar[Callable[..., Contract]]
    """``build_contract(api, generated_by=...)``: the target's ``contract.json``."""

    def generate(self, api: ir.Api, options: TargetOptions) -> list[GeneratedFile]:
        header = generated_header(options, api.sources)
        operations = [op for op in api.operations if isinstance(op.binding, self.binding)]
        contract = type(self).build_contract(api, generated_by=f"mockc {options.version}")
        title = api.title or api.name
        adapters = target_named(self.name).adapters
        context: dict[str, object] = {
            "header": header,
            "title": title,
            "title_text": docstring_text(title),
            "sources": source_names(options, api.sources, limit=self.source_limit),
            "service": api.name.replace("_", "-"),
            "port": self.port,
            "seed": options.seed,
            "vendored": not options.link_runtime,
            "requirements": pinned_requirements(options, self.requirements),
            "install_command": INSTALL_COMMAND,
            "start_command_json": json.dumps(list(START_COMMAND)),
            "adapter": adapters[0].package,
            "operations": [self.row(op) for op in operations],
            "hooks": [
                Hook(name=op.id, docstring=python_docstring(self.hook_doc(op))) for op in operations
            ],
            **hook_context(options, (op.id for op in operations)),
            **self.context(api, operations, contract),
        }
        files = [
            contract_file(contract),
            *self.extra_files(api, header),
            *server_files(self.templates, context),
        ]
        if not options.link_runtime:
            files.extend(runtime_files(adapters))
        return files

    def row(self, operation: ir.Operation) -> Mapping[str, str]:
        """The README table's row of an operation."""
        raise NotImplementedError

    def hook_doc(self, operation: ir.Operation) -> str:
        """The docstring of an operation's stub in ``handlers.py``."""
        raise NotImplementedError

    def context(
        self, api: ir.Api, operations: list[ir.Operation], contract: Contract
    ) -> Mapping[str, object]:
        """Template values of the target's own blocks."""
        return {}

    def extra_files(self, api: ir.Api, header: str) -> list[GeneratedFile]:
        """Files only this target writes (after ``contract.json``)."""
        return []
