"""Walking ``$ref``s of IR schemas (which named schemas a schema needs is
``mockc.runtime.http.schemas.referenced_defs``, shared with the runtime)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from mockc.compiler import ir

_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})
"""Keywords whose values are instance data, not schemas: a ``$ref`` in them is text."""


def refs_in(schema: ir.JsonValue) -> Iterator[str]:
    """Every ``$ref`` of ``schema`` and its subschemas (not of its example data)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(value for key, value in node.items() if key not in _DATA_KEYWORDS)
        elif isinstance(node, tuple):
            stack.extend(node)


def def_name(ref: str) -> str | None:
    """``Pet`` for ``#/$defs/Pet``; None for any other reference."""
    if ref.startswith(ir.SCHEMA_REF_PREFIX):
        return ref[len(ir.SCHEMA_REF_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return None
