"""Writing mock documents as files: what no file can hold is refused before writing."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from mockc.runtime.mocks.files import UnwritableDocument, dump_document
from mockc.runtime.mocks.source import MAX_DEPTH


def nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize("format", ["yaml", "json"])
def test_documents_as_deep_as_a_mock_file_may_be_are_written(format: str) -> None:
    document = {"operation": "x", "response": {"body": nested(MAX_DEPTH - 2)}}
    text = dump_document(document, format)
    assert yaml.safe_load(text) == document


@pytest.mark.parametrize("format", ["yaml", "json"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5_000])
def test_deeper_documents_are_refused_before_writing(format: str, depth: int) -> None:
    with pytest.raises(UnwritableDocument, match=f"nested more than {MAX_DEPTH} levels"):
        dump_document({"body": nested(depth)}, format)


@pytest.mark.parametrize("format", ["yaml", "json"])
@pytest.mark.parametrize(
    "document", [{"body": "\ud800"}, {"\udfff": 1}, {"body": ["ok", {"k": "a\udc00b"}]}]
)
def test_lone_surrogates_are_refused_before_writing(format: str, document: Any) -> None:
    with pytest.raises(UnwritableDocument, match="lone UTF-16 surrogate"):
        dump_document(document, format)
