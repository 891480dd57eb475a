"""Helpers of the mock tests: a server folder, the operations of a small pet
store, a real MemoryStore and the HTTP adapter's encoder."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from mockc.runtime.engine import Content, Operation, Output, Reply, Request
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore

PET = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}


def _json_output(status: str, schema: Any = PET) -> Output:
    return Output(status, (Content("application/json", schema),))


OPERATIONS: dict[str, Operation] = {
    operation.id: operation
    for operation in (
        Operation("showPetById", (_json_output("200"), _json_output("404"))),
        Operation("listPets", (_json_output("200", {"type": "array"}),)),
        Operation("createPets", (_json_output("201"),)),
        Operation("replacePet", (_json_output("200"), _json_output("404"))),
        Operation("patchPet", (_json_output("200"),)),
        Operation("deletePet", (Output("204"),)),
        Operation("deleteOld", (_json_output("200"),)),
        Operation("getReadme", (Output("200", (Content("text/plain"),)),)),
        Operation("ping", ()),
        Operation("other", (_json_output("200"),)),
    )
}


class Server:
    """A server folder: write mock files into it, then build registries over it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "mocks").mkdir(parents=True, exist_ok=True)
        self.state = MemoryStore()

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def mock(self, name: str, text: str) -> Path:
        return self.write(f"mocks/{name}", text)

    def registry(self, **options: Any) -> MockRegistry:
        options.setdefault("state", self.state)
        options.setdefault("encoder", encode_body)
        operations = options.pop("operations", OPERATIONS)
        registry = MockRegistry(self.root, operations, **options)
        registry.load()
        return registry


def ask(registry: MockRegistry, operation_id: str, **fields: Any) -> Reply | None:
    """The registry's answer to a request of ``operation_id`` with ``fields``."""
    fields.setdefault("headers", {})
    fields["headers"] = {name.lower(): value for name, value in fields["headers"].items()}
    request = Request(operation_id, **fields)
    return registry.respond(OPERATIONS[operation_id], request)


def body_of(reply: Reply | None) -> Any:
    assert reply is not None
    assert reply.content is not None
    return json.loads(reply.content)
