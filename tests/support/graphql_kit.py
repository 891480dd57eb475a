"""GraphQL test helpers: servers built in-process from SDL, queries built from a
schema, and results checked by graphql-core itself.

``check_result`` replays a result through graphql-core: the same document is
executed against the schema with resolvers that read the result back, so
graphql-core's own completion checks every value (non-null, list, scalar
coercion and range, enum values, abstract types through ``__typename``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    experimental_execute_incrementally,
    get_named_type,
    is_abstract_type,
    is_enum_type,
    is_input_object_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    parse,
    validate,
)

from mockc.compiler.frontends.graphql import load_all
from mockc.runtime.graphql.app import GraphqlApp, GraphqlOptions
from mockc.runtime.settings import CoreSettings
from mockc.targets.graphql.contract import build_contract
from mockc.targets.graphql.sdl import print_sdl

__all__ = [
    "SHOP_SDL",
    "InProcess",
    "Shop",
    "build_query",
    "check_result",
    "write_server",
]


SHOP_SDL = (
    Path(__file__).resolve().parents[1] / "runtime" / "graphql" / "fixtures" / "shop.graphql"
).read_text()
"""A small schema with every kind of GraphQL type (tests/runtime/graphql/fixtures)."""


def write_server(directory: Path, sdl: str, mocks: Mapping[str, Any] | None = None) -> Path:
    """A GraphQL server folder (contract.json, schema.graphql, mocks/) from ``sdl``."""
    directory.mkdir(parents=True, exist_ok=True)
    spec = directory / "spec.graphql"
    spec.write_text(sdl, encoding="utf-8")
    api = load_all([spec])
    contract = build_contract(api, generated_by="tests")
    (directory / "contract.json").write_text(json.dumps(contract), encoding="utf-8")
    (directory / "schema.graphql").write_text(print_sdl(api), encoding="utf-8")
    (directory / "mocks").mkdir(exist_ok=True)
    for name, mock in (mocks or {}).items():
        (directory / "mocks" / f"{name}.yaml").write_text(yaml.safe_dump(mock), encoding="utf-8")
    return directory


class InProcess:
    """A GraphQL app in this process, asked through httpx's ASGI transport."""

    def __init__(
        self,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        options: GraphqlOptions | None = None,
        hooks: Mapping[str, Any] | None = None,
    ) -> None:
        from mockc.runtime.graphql.contract import load_graphql_contract, read_sdl

        contract = load_graphql_contract(directory)
        self.sdl = read_sdl(directory, contract)
        self.app = GraphqlApp(
            contract,
            self.sdl,
            directory,
            settings=settings or CoreSettings(journal="off"),
            options=options,
            hooks=hooks,
        )
        self.schema = build_schema(self.sdl, assume_valid=True)
        """The schema without the server's resolvers (to check results with)."""

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(go())

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.request("POST", "/graphql", json=body, headers=headers)

    def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a query that must answer without errors."""
        response = self.post(query, variables)
        assert response.status_code == 200, response.text
        document = response.json()
        assert "errors" not in document, document["errors"]
        problems = check_result(self.schema, query, document, variables)
        assert problems == [], problems
        return document["data"]

    def close(self) -> None:
        self.app.close()


# -- checking results -------------------------------------------------------------


def check_result(
    schema: GraphQLSchema | str,
    query: str,
    result: Mapping[str, Any],
    variables: dict[str, Any] | None = None,
) -> list[str]:
    """Problems of ``result`` (a response document) as an answer to ``query``:
    graphql-core completes the result again and must find it valid and equal."""
    if isinstance(schema, str):
        schema = build_schema(schema, assume_valid=True)
    document = parse(query)
    errors = validate(schema, document)
    if errors:
        return [f"the query is invalid: {error.message}" for error in errors]
    if not isinstance(result, Mapping) or "data" not in result:
        return ["no data in the result"]

    def read(source: Any, info: Any, **_: Any) -> Any:
        return source.get(info.path.key) if isinstance(source, dict) else None

    def kind(value: Any, info: Any, abstract: Any) -> Any:
        return value.get("__typename") if isinstance(value, dict) else None

    # the incremental executor also runs schemas declaring @defer/@stream (the
    # plain one refuses them); the queries checked here defer nothing
    replay = experimental_execute_incrementally(
        schema,
        document,
        root_value=result["data"],
        variable_values=variables,
        field_resolver=read,
        type_resolver=kind,
    )
    assert not asyncio.iscoroutine(replay)
    problems = [
        f"{'.'.join(map(str, error.path or ()))}: {error.message}"
        for error in replay.errors or ()  # type: ignore[union-attr]
        if not _reported(error, result)
    ]
    if not problems and replay.data != result["data"]:  # type: ignore[union-attr]
        problems.append("the result changes when graphql-core completes it again")
    return problems


def _reported(error: Any, result: Mapping[str, Any]) -> bool:
    """A null the result explains with an error of its own at that path."""
    return any(
        list(given.get("path") or ()) == list(error.path or ())
        for given in result.get("errors") or ()
    )


# -- building queries ----------------------------------------------------------------


def build_query(
    schema: GraphQLSchema,
    root: str,
    field_name: str,
    *,
    depth: int = 3,
    leaves: int = 4,
    objects: int = 2,
    fragments: int = 3,
) -> str:
    """A document selecting ``root.field_name`` with a sample of nested fields
    (``__typename`` on every object; inline fragments on abstract types),
    required arguments given literal values."""
    root_type = getattr(schema, f"{root}_type")
    field = root_type.fields[field_name]
    selection = _select(schema, field, depth, leaves, objects, fragments)
    return f"{root} {{ {field_name}{_arguments(field)}{selection} }}"


def _select(
    schema: GraphQLSchema, field: GraphQLField, depth: int, leaves: int, objects: int, frags: int
) -> str:
    named = get_named_type(field.type)
    if is_leaf_type(named):
        return ""
    if is_abstract_type(named):
        parts = ["__typename"]
        for possible in schema.get_possible_types(named)[:frags]:
            inner = _object_fields(
                schema, possible, depth - 1, leaves, objects, frags, alias=f"{possible.name}_"
            )
            parts.append(f"... on {possible.name} {{ {inner} }}")
        return " { " + " ".join(parts) + " }"
    assert is_object_type(named)
    return " { " + _object_fields(schema, named, depth, leaves, objects, frags) + " }"


def _object_fields(
    schema: GraphQLSchema,
    type_: Any,
    depth: int,
    leaves: int,
    objects: int,
    frags: int,
    alias: str = "",
) -> str:
    """Fields of an object; in an inline fragment, aliased by type (``User_name:
    name``), so that fields of several possible types never conflict."""
    parts = ["__typename"]
    leaf_fields = [n for n, f in type_.fields.items() if is_leaf_type(get_named_type(f.type))]
    parts += [
        (f"{alias}{n}: " if alias else "") + n + _arguments(type_.fields[n])
        for n in leaf_fields[:leaves]
    ]
    if depth > 1:
        nested = [
            n
            for n, f in type_.fields.items()
            if not is_leaf_type(get_named_type(f.type)) and _fillable(f)
        ]
        for name in nested[:objects]:
            sub = type_.fields[name]
            parts.append(
                (f"{alias}{name}: " if alias else "")
                + name
                + _arguments(sub)
                + _select(schema, sub, depth - 1, leaves, objects, frags)
            )
    return " ".join(parts)


def _fillable(field: GraphQLField) -> bool:
    return all(_literal(arg.type, 0) is not None for arg in field.args.values())


def _arguments(field: GraphQLField) -> str:
    given = [
        f"{name}: {_literal(arg.type, 0)}"
        for name, arg in field.args.items()
        if is_non_null_type(arg.type) and arg.default is None
    ]
    return f"({', '.join(given)})" if given else ""


def _literal(type_: Any, depth: int) -> str | None:
    if depth > 4:
        return None
    if is_non_null_type(type_):
        return _literal(type_.of_type, depth)
    if is_list_type(type_):
        inner = _literal(type_.of_type, depth + 1)
        return None if inner is None else f"[{inner}]"
    named: GraphQLNamedType = type_
    if is_enum_type(named):
        assert isinstance(named, GraphQLEnumType)
        return next(iter(named.values))
    if is_input_object_type(named):
        assert isinstance(named, GraphQLInputObjectType)
        fields = []
        for name, value in named.fields.items():
            if is_non_null_type(value.type) and value.default is None:
                literal = _literal(value.type, depth + 1)
                if literal is None:
                    return None
                fields.append(f"{name}: {literal}")
        if named.is_one_of and not fields:
            name, value = next(iter(named.fields.items()))
            literal = _literal(value.type, depth + 1)
            if literal is None:
                return None
            fields.append(f"{name}: {literal}")
        return "{" + ", ".join(fields) + "}"
    return {"Int": "1", "Float": "1.5", "Boolean": "true", "ID": '"1"'}.get(named.name, '"x"')


def root_fields(schema: GraphQLSchema, root: str) -> list[str]:
    root_type: GraphQLObjectType | None = getattr(schema, f"{root}_type")
    return list(root_type.fields) if root_type is not None else []


Shop = Callable[..., InProcess]
"""The ``shop`` fixture: ``shop(mocks, settings=…, options=…, hooks=…)``."""


class Socket:
    """One WebSocket of an in-process app, driven message by message:
    ``async with Socket(app) as socket: await socket.send({...}); await socket.receive()``."""

    def __init__(self, app: Any, subprotocols: tuple[str, ...] = ("graphql-transport-ws",)) -> None:
        self.app = app
        self.subprotocols = list(subprotocols)
        self.inbound: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbound: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        self.accepted: dict[str, Any] = {}

    async def __aenter__(self) -> Socket:
        scope = {
            "type": "websocket",
            "path": "/graphql",
            "headers": [(b"x-client", b"tests")],
            "subprotocols": self.subprotocols,
        }
        self.task = asyncio.get_running_loop().create_task(
            self.app(scope, self.inbound.get, self.outbound.put)
        )
        await self.inbound.put({"type": "websocket.connect"})
        self.accepted = await self.message()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.inbound.put({"type": "websocket.disconnect", "code": 1000})
        assert self.task is not None
        await asyncio.wait_for(self.task, 5)

    async def send(self, data: Any) -> None:
        text = data if isinstance(data, str) else json.dumps(data)
        await self.inbound.put({"type": "websocket.receive", "text": text})

    async def message(self, timeout: float = 5.0) -> dict[str, Any]:
        """The next ASGI message the app sent."""
        return await asyncio.wait_for(self.outbound.get(), timeout)

    async def receive(self, timeout: float = 5.0) -> Any:
        """The next protocol message (decoded), or the close message."""
        message = await self.message(timeout)
        if message["type"] == "websocket.send":
            return json.loads(message["text"])
        return message
