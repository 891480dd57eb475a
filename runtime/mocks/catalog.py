"""Every mock file a server has read, base and scenarios, with its problems."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from .definition import MockDocument
from .folder import duplicate_problems
from .problems import MockProblem, sort_problems

__all__ = ["Catalog"]


class Catalog:
    """The documents of one server by file (relative to the server folder), and
    the problems found beyond each file's own: duplicate ids, unencodable bodies,
    scenario folders."""

    def __init__(self) -> None:
        self.documents: dict[str, MockDocument] = {}
        self.duplicates: dict[str, MockProblem] = {}
        self.bind_problems: dict[str, MockProblem] = {}
        self.own_problems: list[MockProblem] = []

    def replace(self, documents: Iterable[MockDocument]) -> None:
        self.documents = {document.file: document for document in documents}
        self.bind_problems = {}
        self.refresh()

    def put(self, document: MockDocument) -> None:
        self.documents[document.file] = document
        self.refresh()

    def put_all(self, documents: Iterable[MockDocument]) -> None:
        self.documents.update((document.file, document) for document in documents)
        self.refresh()

    def drop(self, file: str) -> None:
        self.documents.pop(file, None)
        self.bind_problems.pop(file, None)
        self.refresh()

    def drop_scenario(self, name: str) -> None:
        for file in [f for f, d in self.documents.items() if d.scenario == name]:
            self.drop(file)

    def refresh(self) -> None:
        """Recompute duplicate ids, within the base mocks and within each scenario."""
        groups: dict[str | None, list[MockDocument]] = {}
        for document in self.documents.values():
            groups.setdefault(document.scenario, []).append(document)
        self.duplicates = {}
        for group in groups.values():
            self.duplicates.update(duplicate_problems(group))

    def problems(self) -> list[MockProblem]:
        """Every problem, sorted by file, then line."""
        found = list(self.own_problems)
        for document in self.documents.values():
            found.extend(self.problems_of(document))
        return sort_problems(found)

    def problems_of(self, document: MockDocument) -> list[MockProblem]:
        found = list(document.problems)
        for extra in (self.duplicates, self.bind_problems):
            if document.file in extra:
                found.append(extra[document.file])
        return found

    def ordered(self, scenario: str | None | bool = True) -> list[MockDocument]:
        """Base mocks first, then scenarios by name; by file within each. With a
        scenario name (or None: the base mocks), that set only."""
        documents = sorted(
            self.documents.values(),
            key=lambda d: (d.scenario is not None, d.scenario or "", d.file),
        )
        if scenario is True:
            return documents
        return [document for document in documents if document.scenario == scenario]

    def ids(self, scenario: str | None, excluding: MockDocument | None = None) -> set[str]:
        """The ids taken in the base mocks (None) or in a scenario."""
        return {
            d.id for d in self.documents.values() if d.scenario == scenario and d is not excluding
        }

    def find(self, mock_id: str, active: str | None) -> MockDocument | None:
        """``SCENARIO/ID``, or ``ID``: the base mock, else the active scenario's,
        else the first scenario's by name."""
        documents = list(self.documents.values())
        if "/" in mock_id:
            scenario, _, mock_id = mock_id.partition("/")
            documents = [d for d in documents if d.scenario == scenario]
        rank = {None: 0, active: 1}
        documents.sort(key=lambda d: (rank.get(d.scenario, 2), d.scenario or "", d.file))
        return next((d for d in documents if d.id == mock_id), None)

    def listing(self, document: MockDocument, served: bool) -> dict[str, Any]:
        """The document as the admin API shows it: its keys (a copy), then ``file``,
        ``scenario``, ``served`` and ``problems`` (when there are any)."""
        data = document.data if isinstance(document.data, dict) else {}
        listing: dict[str, Any] = {"id": document.id}
        listing.update(copy.deepcopy(data))
        listing["id"] = document.id
        listing["file"] = document.file
        listing["scenario"] = document.scenario
        listing["served"] = served
        problems = self.problems_of(document)
        if problems:
            listing["problems"] = [problem.render() for problem in problems]
        return listing
