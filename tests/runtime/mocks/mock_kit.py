"""Helpers of the mock tests: a server folder, the operations of a small pet
store, a real MemoryStore and the HTTP adapter's encoder."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from mockc.runtime.engine import Content, Operation, Output, Reply, Request
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.http.outputs import OUTPUTS as HTTP_OUTPUTS
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore

PET = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}


def _json_output(status: str, schema: Any = PET) -> Output:
    return Output(status, (Content("application/json", schema),))


def http_operation(operation_id: str, outputs: tuple[Output, ...], **fields: Any) -> Operation:
    """An operation whose outputs are keyed by HTTP status (the HTTP adapter's policy)."""
    return Operation(operation_id, outputs, policy=HTTP_OUTPUTS, **fields)


OPERATIONS: dict[str, Operation] = {
    operation.id: operation
    for operation in (
        http_operation("showPetById", (_json_output("200"), _json_output("404"))),
        http_operation("listPets", (_json_output("200", {"type": "array"}),)),
        http_operation("createPets", (_json_output("201"),)),
        http_operation("replacePet", (_json_output("200"), _json_output("404"))),
        http_operation("patchPet", (_json_output("200"),)),
        http_operation("deletePet", (Output("204"),)),
        http_operation("deleteOld", (_json_output("200"),)),
        http_operation("getReadme", (Output("200", (Content("text/plain"),)),)),
        http_operation("ping", ()),
        http_operation("other", (_json_output("200"),)),
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
