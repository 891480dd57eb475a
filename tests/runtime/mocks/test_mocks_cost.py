"""The hot path's cost does not grow with the mocks of other operations."""

from __future__ import annotations

import timeit
from pathlib import Path

from mock_kit import http_operation

from mockc.runtime.engine import Content, Operation, Output, Request
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore


def _server(root: Path, operations: int, per_operation: int) -> tuple[MockRegistry, Operation]:
    (root / "mocks").mkdir(parents=True)
    table = {}
    for number in range(operations):
        name = f"op{number}"
        table[name] = http_operation(name, (Output("200", (Content("application/json"),)),))
        for mock in range(per_operation):
            (root / "mocks" / f"{name}-{mock}.yaml").write_text(
                f"operation: {name}\nmatch: {{query: {{k: '{mock}'}}}}\n"
                f"response: {{body: {{id: {mock}}}}}\n"
            )
    registry = MockRegistry(root, table, state=MemoryStore(), encoder=encode_body)
    assert registry.load() == []
    return registry, table["op0"]


def _cost(registry: MockRegistry, operation: Operation, request: Request) -> float:
    assert registry.respond(operation, request) is not None
    best = min(timeit.repeat(lambda: registry.respond(operation, request), number=2000, repeat=7))
    return best / 2000


def test_ten_thousand_mocks_cost_a_request_what_ten_do(tmp_path: Path) -> None:
    small, small_operation = _server(tmp_path / "small", 1, 10)
    large, large_operation = _server(tmp_path / "large", 1000, 10)
    assert large.active_mock_count == 10_000
    request = Request("op0", query={"k": "9"})  # the last of the operation's ten mocks
    small_cost = _cost(small, small_operation, request)
    large_cost = _cost(large, large_operation, request)
    assert large_cost < 3 * small_cost
