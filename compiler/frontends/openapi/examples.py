"""Examples written next to media types, parameters and headers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import ir
from ..documents import Location
from .context import Context, json_value, text


def read_examples(ctx: Context, holder: Mapping[str, Any], at: Location) -> tuple[ir.Example, ...]:
    """OpenAPI 3 ``example`` (named "default") and ``examples`` (one per key, with
    ``$ref``s to ``components/examples`` followed; ``externalValue`` ones skipped)."""
    found: list[ir.Example] = []
    if "example" in holder:
        here = at.child("example")
        found.append(
            ir.Example(name="default", value=json_value(holder["example"]), source=ctx.source(here))
        )
    raw = holder.get("examples")
    if isinstance(raw, Mapping):
        for name, item in raw.items():
            example = _named_example(ctx, str(name), item, at.child("examples", name))
            if example is not None:
                found.append(example)
    elif isinstance(raw, list):
        ctx.warn(
            at.child("examples"), "examples must be a mapping of Example objects; read as values"
        )
        for index, value in enumerate(raw):
            here = at.child("examples", index)
            found.append(
                ir.Example(name=str(index + 1), value=json_value(value), source=ctx.source(here))
            )
    elif raw is not None:
        ctx.warn(at.child("examples"), "examples must be a mapping; ignored")
    return tuple(found)


def _named_example(ctx: Context, name: str, item: Any, at: Location) -> ir.Example | None:
    followed = ctx.follow(item, at)
    if followed is None:
        return None
    value, where = followed
    if not isinstance(value, Mapping):
        ctx.warn(where, "an Example object must be a mapping; ignored")
        return None
    if "value" not in value:
        if "externalValue" not in value:
            ctx.warn(where, "example has no value; ignored")
        return None
    return ir.Example(
        name=name,
        value=json_value(value["value"]),
        summary=text(value.get("summary")),
        source=ctx.source(where),
    )


def media_example(ctx: Context, value: Any, at: Location) -> ir.Example:
    """A Swagger 2.0 response example (``examples: {<media type>: <value>}``)."""
    return ir.Example(name="default", value=json_value(value), source=ctx.source(at))
