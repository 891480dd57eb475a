"""Which mocks give an operation a fixed reply (the emit path asks for it once per
burst of messages) and which do not: anything that may vary from one request
or one call to the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from mock_kit import http_operation

from mockc.runtime.engine import Content, Output
from mockc.runtime.http.encoding import encode_body
from mockc.runtime.mocks import MockRegistry
from mockc.runtime.state import MemoryStore

FIXED = "response: {body: {id: 7}}\n"


@pytest.mark.parametrize(
    ("mock", "fixed"),
    [
        (FIXED, True),
        ("response: {body: {id: 7}, delay: 20}\n", True),
        ("response: {body: {id: '{{ request.path.id }}'}}\n", False),
        ("responses: [{body: {id: 1}}, {body: {id: 2}}]\n", False),
        ("response: {body: {id: 7}, delay: {min: 10, max: 20}}\n", False),
        ("response: {body: {id: 7}, fault: {kind: empty, rate: 0.5}}\n", False),
        ("match: {query: {k: '1'}}\nresponse: {body: {id: 7}}\n", False),
        ("response: {body: {id: 7}}\nactions: [\"state.put('k', 1)\"]\n", False),
    ],
)
def test_only_a_mock_whose_answer_never_varies_gives_a_fixed_reply(
    tmp_path: Path, mock: str, fixed: bool
) -> None:
    (tmp_path / "mocks").mkdir()
    (tmp_path / "mocks" / "op.yaml").write_text(f"operation: op\n{mock}")
    table = {"op": http_operation("op", (Output("200", (Content("application/json"),)),))}
    registry = MockRegistry(tmp_path, table, state=MemoryStore(), encoder=encode_body)
    assert registry.load() == []
    first, second = registry.fixed_reply("op"), registry.fixed_reply("op")
    if not fixed:
        assert first is None
        return
    assert first is not None and second is not None
    assert first.content == b'{"id":7}' and first is not second  # each its own copy
    assert registry.fixed_reply("other") is None  # no mock: the spec answers
