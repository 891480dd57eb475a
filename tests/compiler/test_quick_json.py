"""JSON specs are read with orjson when it reads them exactly as the json
module does; anything else goes the json module's way, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockc.compiler.frontends.documents.limits import MAX_DOCUMENT_DEPTH, quick_json
from tests.support.corpus import CORPUS

JSON_SPECS = sorted(CORPUS.rglob("*.json"))


def test_the_corpus_has_json_specs() -> None:
    assert len(JSON_SPECS) >= 5


@pytest.mark.parametrize("path", JSON_SPECS, ids=lambda path: str(path.relative_to(CORPUS)))
def test_corpus_json_reads_as_the_json_module_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    try:
        expected = json.loads(text)
    except ValueError:
        assert quick_json(text, MAX_DOCUMENT_DEPTH) is None
        return
    found = quick_json(text, MAX_DOCUMENT_DEPTH)
    if found is not None:  # repr tells 1 from 1.0, which == does not
        assert repr(found[0]) == repr(expected)


@pytest.mark.parametrize(
    "text",
    [
        '{"n": 123456789012345678901234567890}',  # orjson: a float
        '{"n": -1234567890123456789}',
        "[1,\n  12345678901234567890]",
        "12345678901234567890",
        '{"n": NaN}',
        '{"n": 1e400}',
        '{"s": "\\ud800"}',
        "1],[2",
        "{",
        '{"a": 1} {"b": 2}',
    ],
)
def test_what_orjson_would_read_otherwise_is_left_to_the_json_module(text: str) -> None:
    assert quick_json(text, MAX_DOCUMENT_DEPTH) is None


def test_depth_is_bounded_exactly() -> None:
    deepest = "[" * MAX_DOCUMENT_DEPTH + "]" * MAX_DOCUMENT_DEPTH
    assert quick_json(deepest, MAX_DOCUMENT_DEPTH) is not None
    assert quick_json("[" + deepest + "]", MAX_DOCUMENT_DEPTH) is None


def test_a_document_of_null_is_told_from_no_answer() -> None:
    assert quick_json("null", MAX_DOCUMENT_DEPTH) == (None,)


@pytest.mark.parametrize(
    "text",
    [
        '{"log": "rekor.sigstore.dev - 2605736670972794746\\n9375055"}',
        '{"sha": "a1234567890123456789012345"}',
        '{"n": 1.12345678901234567890123}',
        '{"n": 12, "s": "x 12345678901234567890 y"}',
    ],
)
def test_long_digit_runs_that_are_no_integers_are_read_by_orjson(text: str) -> None:
    found = quick_json(text, MAX_DOCUMENT_DEPTH)
    assert found is not None
    assert repr(found[0]) == repr(json.loads(text))
