"""The floor of the GraphQL benchmark: graphql-core executing the benchmark query
on a hand-written resolver map, in the same stack as a generated server.

Same schema (SWAPI), same transport (an ASGI app served by granian's embedded
server, one worker, no lifespan), same request handling (JSON body, documents
parsed and validated once per query text, synchronous execution, compact JSON
answer). Only the answers differ: here a resolver returns a Python dict
written by hand; a generated server asks its mocks and fakes the rest.

    python bench/graphql_floor_app.py SCHEMA PORT
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path
from typing import Any

from graphql import build_schema, execute, parse, validate
from graphql.execution.execute import assume_not_awaitable

PEOPLE = {
    "1": {
        "id": "cGVvcGxlOjE=",
        "name": "Luke Skywalker",
        "height": 172,
        "mass": 77.0,
        "birthYear": "19BBY",
        "homeworld": {"name": "Tatooine", "population": 200000.0, "climates": ["arid"]},
        "filmConnection": {
            "totalCount": 4,
            "films": [
                {"title": "A New Hope", "director": "George Lucas", "episodeID": 4},
                {"title": "The Empire Strikes Back", "director": "Irvin Kershner", "episodeID": 5},
                {"title": "Return of the Jedi", "director": "Richard Marquand", "episodeID": 6},
                {"title": "Revenge of the Sith", "director": "George Lucas", "episodeID": 3},
            ],
        },
    }
}


def resolve_person(root: Any, info: Any, id: str | None = None, personID: str | None = None) -> Any:
    return PEOPLE.get(id or personID or "")


def resolve_films(connection: Any, info: Any, **args: Any) -> Any:
    return connection


class FloorApp:
    def __init__(self, sdl: str) -> None:
        self.schema = build_schema(sdl, assume_valid=True)
        root = self.schema.query_type
        assert root is not None
        root.fields["person"].resolve = resolve_person
        self.documents: dict[str, Any] = {}
        self.encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)

    def prepare(self, query: str) -> Any:
        found = self.documents.get(query)
        if found is None:
            document = parse(query)
            errors = validate(self.schema, document)
            found = self.documents[query] = (document, errors)
        return found

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/health":
            await self._send(send, 200, b'{"status":"ok"}')
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        params = json.loads(b"".join(chunks))
        document, errors = self.prepare(params["query"])
        if errors:
            body = {"errors": [error.formatted for error in errors]}
        else:
            result = execute(
                self.schema,
                document,
                variable_values=params.get("variables"),
                operation_name=params.get("operationName"),
                is_awaitable=assume_not_awaitable,
            )
            body = {"data": result.data}  # type: ignore[union-attr]
            if result.errors:  # type: ignore[union-attr]
                body["errors"] = [error.formatted for error in result.errors]  # type: ignore[union-attr]
        await self._send(send, 200, self.encoder.encode(body).encode())

    async def _send(self, send: Any, status: int, body: bytes) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def serve(app: FloorApp, port: int) -> None:
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server.embed import Server

    server = Server(
        app,
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGINL,
        log_level=LogLevels("error"),
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, server.stop)
    await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(FloorApp(Path(sys.argv[1]).read_text()), int(sys.argv[2])))
