"""The one JSON encoder of responses, admin documents and the journal."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockc.runtime.json_codec import json_bytes, json_text

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_what_json_can_hold_round_trips(value: Any) -> None:
    assert json.loads(json_bytes(value)) == value
    assert json.loads(json_text(value)) == value


def test_compact_utf8_in_insertion_order() -> None:
    assert json_bytes({"b": 1, "a": ["é", None, True, 2.5]}) == (
        '{"b":1,"a":["é",null,true,2.5]}'.encode()
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"n": 2**70}, '{"n":1180591620717411303424}'),
        ({"h": "bad \udcff"}, '{"h":"bad \\udcff"}'),
        ({"h": "bad \udcff", "ok": "é"}, '{"h":"bad \\udcff","ok":"\\u00e9"}'),
        ({1: "one", None: 0}, '{"1":"one","null":0}'),
        ({(1, 2): "pair"}, "\"{(1, 2): 'pair'}\""),
        ({"set": {1, 2}, "raw": b"x"}, '{"set":"{1, 2}","raw":"b\'x\'"}'),
        ({"price": Decimal("1.50")}, '{"price":"1.50"}'),
        ([math.nan, math.inf], "[null,null]"),
        (
            {"at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)},
            '{"at":"2026-01-02T03:04:05+00:00"}',
        ),
        (
            {"id": uuid.UUID(int=1)},
            '{"id":"00000000-0000-0000-0000-000000000001"}',
        ),
    ],
)
def test_values_beyond_json(value: Any, text: str) -> None:
    assert json_text(value) == text
    assert json_bytes(value) == text.encode()


@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_nesting_never_raises(depth: int) -> None:
    deep: Any = []
    for _ in range(depth):
        deep = [deep]
    text = json_text(deep)
    assert json.loads(text) is not None
    assert json_bytes(deep) == text.encode()
