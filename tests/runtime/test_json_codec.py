"""The one JSON encoder of responses, admin documents and the journal, and the one
bounded reader of client JSON."""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockc.runtime.json_codec import (
    DEFAULT_MAX_DEPTH,
    MAX_DEPTH_CEILING,
    JsonLimitError,
    json_bytes,
    json_text,
    parse_json,
)

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


# -- parse_json: client JSON, bounded ---------------------------------------------------


@pytest.mark.parametrize("depth", [1, 100, DEFAULT_MAX_DEPTH])
@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_nesting_up_to_the_limit_is_read(depth: int, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    text = opening * depth + "1" + closing * depth
    assert parse_json(text.encode()) == json.loads(text)


@pytest.mark.parametrize("depth", [DEFAULT_MAX_DEPTH + 1, 1_025, 200_000])
def test_nesting_past_the_limit_is_a_limit_error_naming_it(depth: int) -> None:
    with pytest.raises(JsonLimitError, match=f"deeper than {DEFAULT_MAX_DEPTH} levels") as error:
        parse_json(b"[" * depth + b"]" * depth)
    assert (error.value.limit, error.value.maximum) == ("depth", DEFAULT_MAX_DEPTH)


def test_the_depth_limit_is_a_parameter() -> None:
    assert parse_json(b"[[[1]]]", max_depth=3) == [[[1]]]
    with pytest.raises(JsonLimitError, match="deeper than 2 levels"):
        parse_json(b"[[[1]]]", max_depth=2)
    deep = b"[" * 512 + b"]" * 512
    assert parse_json(deep, max_depth=MAX_DEPTH_CEILING) is not None
    with pytest.raises(ValueError, match="max_depth must be from 1 to 512"):
        parse_json(b"[]", max_depth=MAX_DEPTH_CEILING + 1)


def test_slow_path_documents_honour_the_highest_limit() -> None:
    # a 20-digit integer sends the text to the json module, which recurses per level
    deep = b"[" * 511 + b"12345678901234567890" + b"]" * 511
    assert parse_json(deep, max_depth=MAX_DEPTH_CEILING) is not None


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps(["[" * 1_000, "{" * 1_000, '\\"[['])
    assert parse_json(text.encode()) == json.loads(text)


def test_integers_past_64_bits_are_read_exactly() -> None:
    for number in (2**63, 2**64, -(2**63) - 1, 10**100, -(10**4_299)):
        assert parse_json(json.dumps({"n": number}).encode()) == {"n": number}


def test_integers_past_python_conversion_limit_are_a_limit_error() -> None:
    with pytest.raises(JsonLimitError, match="integer of 5000 digits") as error:
        parse_json(b'{"n": -' + b"7" * 5_000 + b"}")
    assert error.value.limit == "integer digits"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["\\ud800"]', "lone UTF-16 surrogate \\ud800"),
        ('{"\\uDC00": 1}', "lone UTF-16 surrogate \\udc00"),
        ("[NaN]", "NaN is not a JSON value"),
        ("[1,", "Expecting value"),
        ("", "Expecting value"),
    ],
)
def test_what_is_not_json_is_a_decode_error_with_a_position(text: str, message: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=re.escape(message)) as error:
        parse_json(text.encode())
    assert error.value.lineno >= 1 and error.value.colno >= 1


def test_invalid_utf8_is_a_decode_error_naming_the_byte() -> None:
    with pytest.raises(json.JSONDecodeError, match=r"not valid UTF-8 \(byte 3\)"):
        parse_json(b'["a\xff"]')


def test_surrogate_pairs_and_escaped_backslashes_are_fine() -> None:
    assert parse_json(b'["\\ud83d\\ude00", "\\\\ud800"]') == ["\U0001f600", "\\ud800"]


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=_json_values)
def test_parse_json_reads_what_the_json_module_reads(value: object) -> None:
    text = json.dumps(value)
    assert parse_json(text.encode()) == json.loads(text)
    assert parse_json(text) == json.loads(text)
