"""``mockc generate --models``: models.py, a type per named schema and per
operation's input and output, and the typed signatures of the hook stubs.

models.py holds TypedDicts, type aliases and Protocols only. It is a generated
file (rewritten on every generation); handlers.py imports it under
``TYPE_CHECKING``, so a running server neither loads it nor needs anything to
load it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import ir
from ..errors import Diagnostic
from .codegen import generate_schema_types
from .document import build_document
from .hooks import hook_signature, hook_types_code

__all__ = ["MODELS_FILE", "Models", "plan_models"]

MODELS_FILE = "models.py"

DOCSTRING = '"""Types of the hooks in handlers.py: for editors and type checkers only."""'


@dataclass(frozen=True, kw_only=True)
class Models:
    content: bytes
    """models.py."""
    signatures: Mapping[str, str]
    """Per operation id: its hook's typed signature (see :func:`.hooks.hook_signature`)."""
    diagnostics: tuple[Diagnostic, ...]
    """Warnings: schemas whose types could not be generated (typed Any)."""


def plan_models(api: ir.Api, *, header: str) -> Models:
    """models.py for ``api``; ``header`` is its ``@generated`` line (without ``#``)."""
    document = build_document(api)
    types = generate_schema_types(
        document,
        header=f"# {header}\n{DOCSTRING}",
        spec_file=api.sources[0] if api.sources else "",
    )
    code = types.code + hook_types_code(document.hooks, types.defined)
    return Models(
        content=code.encode(),
        signatures={hook.operation_id: hook_signature(hook) for hook in document.hooks},
        diagnostics=types.diagnostics,
    )
