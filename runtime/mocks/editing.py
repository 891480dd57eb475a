"""Checking a mock document sent through the admin API before it is written."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..engine import Operation
from .definition import MockDocument, is_safe_name, load_mock_document
from .files import UnwritableDocument, display_path, dump_document
from .problems import ERROR, MockError, MockProblem

__all__ = ["LISTING_KEYS", "check_document", "duplicate_problem", "file_name", "free_id"]

LISTING_KEYS = frozenset({"file", "scenario", "served", "problems"})
"""Keys a listing adds to a mock's document; dropped from documents written back."""


def check_document(
    path: Path,
    document: Mapping[str, Any],
    *,
    format: str,
    directory: Path,
    operations: Mapping[str, Operation],
    scenario: str | None,
    defs: Mapping[str, Any] | None = None,
) -> MockDocument:
    """``document`` read as the file ``path`` would be once written (``id`` first,
    listing keys dropped); MockError with every error when it is not valid."""
    ordered = {"id": document["id"]}
    ordered.update((key, value) for key, value in document.items() if key not in LISTING_KEYS)
    try:
        text = dump_document(ordered, format)
    except UnwritableDocument as error:
        raise MockError([MockProblem(display_path(path, directory), 0, 0, str(error))]) from None
    loaded = load_mock_document(
        path,
        text,
        file=display_path(path, directory),
        operations=operations,
        scenario=scenario,
        defs=defs,
    )
    if loaded.has_errors:
        raise MockError([problem for problem in loaded.problems if problem.level == ERROR])
    return loaded


def free_id(operation: Any, taken: set[str]) -> str:
    """An id for a mock sent without one: its operation's, then ``-2``, ``-3``…"""
    stem = operation if isinstance(operation, str) and is_safe_name(operation) else "mock"
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def file_name(mock_id: Any, folder: Path) -> str:
    """``<id>.yaml``, or ``<id>-2.yaml``… when a file of another mock has that name."""
    if not isinstance(mock_id, str) or not is_safe_name(mock_id):
        return "new-mock.yaml"
    name, number = f"{mock_id}.yaml", 1
    while (folder / name).exists():
        number += 1
        name = f"{mock_id}-{number}.yaml"
    return name


def duplicate_problem(document: MockDocument, scenario: str | None) -> MockProblem:
    where = f"scenario {scenario}" if scenario else "the base mocks"
    return MockProblem(
        document.file, *document.id_at, f"duplicate id '{document.id}': {where} have it already"
    )
