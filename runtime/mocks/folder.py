"""Reading a folder of mock files, and ``mockc validate OUT/mocks``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..engine import Operation
from .definition import MockDocument, load_mock_document
from .files import display_path, mock_files
from .problems import MockProblem, sort_problems

__all__ = ["duplicate_problems", "load_folder", "validate_mock_folder"]


def load_folder(
    folder: Path,
    *,
    base: Path | None = None,
    operations: Mapping[str, Operation] | None = None,
    scenario: str | None = None,
    defs: Mapping[str, Any] | None = None,
) -> list[MockDocument]:
    """Every mock file under ``folder``, read and compiled, in file order; problems
    name files relative to ``base`` (default: as found under ``folder``)."""
    return [
        load_mock_document(
            path,
            file=display_path(path, base) if base is not None else path.as_posix(),
            operations=operations,
            scenario=scenario,
            defs=defs,
        )
        for path in mock_files(folder)
    ]


def duplicate_problems(documents: Iterable[MockDocument]) -> dict[str, MockProblem]:
    """File → the problem of a mock whose id an earlier file (in file order) has too.
    Only mocks without errors take part: a broken file never keeps a good one
    from being served."""
    first: dict[str, MockDocument] = {}
    problems: dict[str, MockProblem] = {}
    for document in sorted(documents, key=lambda document: document.file):
        if document.definition is None:
            continue
        earlier = first.setdefault(document.id, document)
        if earlier is not document:
            problems[document.file] = MockProblem(
                document.file,
                *document.id_at,
                f"duplicate id '{document.id}': {earlier.file} has it too",
            )
    return problems


def validate_mock_folder(
    folder: Path,
    operations: Mapping[str, Operation] | None = None,
    defs: Mapping[str, Any] | None = None,
) -> list[MockProblem]:
    """Every problem of every mock file under ``folder``, sorted by file, then line.

    Unknown operations are errors only when ``operations`` is given, bodies that
    contradict their response schema warnings only when ``defs`` is given too; an
    id used by two files is an error on the later file, naming the earlier one."""
    if not folder.is_dir():
        return [MockProblem(folder.as_posix(), 0, 0, "no such folder")]
    documents = load_folder(folder, operations=operations, defs=defs)
    problems = [problem for document in documents for problem in document.problems]
    problems.extend(duplicate_problems(documents).values())
    return sort_problems(problems)
