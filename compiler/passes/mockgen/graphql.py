"""Generated mocks of GraphQL root fields."""

from __future__ import annotations

import json
from typing import Any

from mockc.compiler import ir
from mockc.runtime.graphql.fakes import LeafFakes

from ..schemas import api_schemas
from .describe import describe, json_type

__all__ = ["GraphqlMocks"]

_GRAPHQL_LIST = 2
_GRAPHQL_FULL_LISTS = 2
"""Nested list levels that get :data:`_GRAPHQL_LIST` items; deeper ones get one."""
_LEAF_KINDS = ("ENUM", "SCALAR")


class GraphqlMocks:
    """Generated mocks of GraphQL root fields: the field's value with the leaf
    fields of the returned objects only (nested objects are left to fake data
    and type mocks, so a file stays small whatever the schema), values made by
    the server's own fake-data generator, arguments named like a field echoed
    (``user(login: …)`` answers that ``login``)."""

    def __init__(self, api: ir.Api, seed: int) -> None:
        self.defs: dict[str, Any] = {}
        scalars: dict[str, Any] = {}
        for name, schema in api_schemas(api).plain.items():
            if isinstance(schema, dict) and isinstance(schema.get("x-graphql"), dict):
                self.defs[name] = schema
                if schema["x-graphql"].get("kind") == "SCALAR":
                    scalars[name] = schema
        self.leaves = LeafFakes(seed, scalars)

    def document(self, operation: ir.Operation) -> dict[str, Any]:
        binding = operation.binding
        assert isinstance(binding, ir.GraphqlBinding)
        document: dict[str, Any] = {"id": operation.id, "operation": operation.id}
        summary = describe(operation)
        if summary:
            document["description"] = summary
        body = self._value(binding.return_type, operation.id, binding.field)
        args = None
        if operation.input is not None and operation.input.contents:
            args = ir.thaw(operation.input.contents[0].schema)
        document["response"] = {"body": _graphql_echo(body, args)}
        return document

    def _value(self, type_text: str, key: str, name: str, lists: int = 0) -> Any:
        type_text = type_text.removesuffix("!")
        if type_text.startswith("["):
            inner = type_text[1:-1]
            # lists of lists: one item past the second level, so the size stays linear
            count = _GRAPHQL_LIST if lists < _GRAPHQL_FULL_LISTS else 1
            return [self._value(inner, f"{key}[{n}]", name, lists + 1) for n in range(count)]
        named = self.defs.get(type_text)
        kind = named["x-graphql"].get("kind") if named is not None else None
        if named is None or kind in _LEAF_KINDS:
            values = named.get("enum") if named is not None and kind == "ENUM" else None
            return self.leaves.value(self.leaves.maker(type_text, values), key, name)
        typename = None
        if kind in ("INTERFACE", "UNION"):
            branches = named.get("anyOf") or []
            if not branches:
                return None
            typename = str(branches[0].get("$ref", "")).removeprefix(ir.SCHEMA_REF_PREFIX)
            named = self.defs.get(typename)
            if named is None:
                return None
        value: dict[str, Any] = {"__typename": typename} if typename else {}
        for field, schema in (named.get("properties") or {}).items():
            text = schema.get("x-graphql-type", "")
            base = text.replace("[", "").replace("]", "").replace("!", "")
            found = self.defs.get(base)
            if found is None or found["x-graphql"].get("kind") in _LEAF_KINDS:
                value[field] = self._value(text, f"{key}.{field}", field)
        return value


def _graphql_echo(body: Any, args: Any) -> Any:
    """Leaf fields named like an argument of the same JSON type become templates of it
    (with the generated value as the default when the argument is optional)."""
    if not isinstance(body, dict) or not isinstance(args, dict):
        return body
    required = set(args.get("required") or ())
    echoed = dict(body)
    for name, arg in (args.get("properties") or {}).items():
        kind = json_type(echoed.get(name))
        if name not in echoed or kind not in ("string", "integer"):
            continue
        declared = arg.get("type")
        if kind not in (declared if isinstance(declared, list) else [declared]):
            continue
        reference = (
            f"request.body.{name}"
            if name.isidentifier()
            else "request.body[" + json.dumps(name) + "]"
        )
        if name not in required:
            reference += " | default(" + json.dumps(echoed[name]) + ")"
        echoed[name] = "{{ " + reference + " }}"
    return echoed
