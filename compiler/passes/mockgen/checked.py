"""Bodies of generated mocks, each checked against its schema before it is written."""

from __future__ import annotations

import json
from typing import Any

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic
from mockc.runtime.fake import FakeData

from ..check_examples import first_error, is_json
from ..schemas import api_schemas

__all__ = ["CheckedFakes"]


class CheckedFakes:
    """The bodies mockc serves by default, each validated against its schema
    before it is written.

    Fake data: a value assembled from property-level examples can break its
    schema (an object valid under several ``oneOf`` branches); then values made
    up without examples are used, and a warning names the operation. A spec
    example chosen as the body is checked with the validators the example
    check compiled (the passes share them, :mod:`..schemas`); one that fails
    is replaced by fake data, with a warning."""

    def __init__(self, api: ir.Api, seed: int, warnings: list[Diagnostic]) -> None:
        self.schemas = api_schemas(api)
        self.defs = self.schemas.plain
        self.seed = seed
        self.fake = FakeData(self.defs, seed=seed)
        self.plain: FakeData | None = None
        self.warnings = warnings
        self.operation: ir.Operation | None = None

    def example(self, content: ir.Content, value: Any, *, key: str) -> Any:
        """``value``, an example of ``content``, if it is valid; else fake data."""
        if content.schema is None or not is_json(content.media_type):
            return value
        validator = self.schemas.validator(content.schema)
        reason = None if validator is None else first_error(validator, value)
        if reason is None:
            return value
        self._warn(
            f"{key.replace('/', ' ', 2)}: the example chosen for the body does not match "
            f"its schema ({reason}); the generated mock holds fake data instead"
        )
        return self.generate(ir.thaw(content.schema), key=key)

    def _warn(self, message: str) -> None:
        source = self.operation.source if self.operation is not None else None
        self.warnings.append(
            Diagnostic.at(
                source,
                level="warning",
                message=message,
            )
        )

    def generate(self, schema: Any, *, key: str = "") -> Any:
        value = self.fake.generate(schema, key=key)
        if self.fake.is_valid(schema, value):
            return value
        self.plain = self.plain or FakeData(self.defs, seed=self.seed, use_examples=False)
        made_up = self.plain.generate(schema, key=key)
        other = next(
            (
                candidate
                for candidate in (made_up, *_fewer_fields(value), *_fewer_fields(made_up))
                if self.fake.is_valid(schema, candidate)
            ),
            None,
        )
        valid = other is not None
        where = key.replace("/", " ", 2)
        self._warn(
            f"{where}: the body assembled from the schema's examples does not match the schema"
            + (
                f"; the generated mock holds one that does: {_short(other)}"
                if valid
                else ", nor does made-up data; the mock holds it anyway"
            )
        )
        return other if other is not None else value


def _fewer_fields(value: Any) -> list[Any]:
    """An object with one field left out, then with one field only (optional
    fields can make an object valid under several ``oneOf`` branches)."""
    if not isinstance(value, dict) or len(value) < 2:
        return []
    keys = list(value)
    return [{k: v for k, v in value.items() if k != key} for key in keys] + [
        {key: value[key]} for key in keys
    ]


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
