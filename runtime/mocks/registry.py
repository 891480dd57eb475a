"""The live set of mocks of one server: loading, answering, and the admin operations.

``respond`` is the hot path. It reads one dict (operation id → mocks in match
order) without a lock; every change builds a new dict and swaps the reference,
so a request sees the old set or the new one, never a mixture. Changes
(admin writes, reloads, scenario switches) take a lock among themselves.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..engine import Encoder, Operation, Reply, Request
from ..expressions import FakeProvider, Scope
from ..state import StateStore
from .definition import MockDocument, is_safe_name, load_mock_document
from .files import (
    MOCKS_DIR,
    SCENARIOS_DIR,
    display_path,
    dump_document,
    read_active_scenario,
    write_active_scenario,
    write_atomic,
)
from .folder import duplicate_problems, load_folder
from .index import OperationMocks, build_index
from .problems import ERROR, MockError, MockProblem, sort_problems
from .responses import copy_reply
from .scenarios import ScenarioFolders
from .served import ServedMock

__all__ = ["LISTING_KEYS", "UNMATCHED_POLICIES", "MockRegistry"]

UNMATCHED_POLICIES = ("fallback", "404")
LISTING_KEYS = frozenset({"file", "scenario", "served", "problems"})
"""Keys a listing adds to a mock's document; dropped from documents written back."""


class MockRegistry:
    """The mocks of the server in ``directory`` (``mocks/``, ``scenarios/NAME/``);
    a :class:`~..engine.Responder`."""

    def __init__(
        self,
        directory: Path,
        operations: Mapping[str, Operation],
        *,
        state: StateStore,
        encoder: Encoder,
        seed: int = 0,
        unmatched: str = "fallback",
        serve_orphaned: bool = False,
        fake: FakeProvider | None = None,
        scenario: str | None = None,
    ) -> None:
        if unmatched not in UNMATCHED_POLICIES:
            raise ValueError(f"unmatched must be one of {', '.join(UNMATCHED_POLICIES)}")
        self.directory = Path(directory)
        self.operations = dict(operations)
        self.state = state
        self.encoder = encoder
        self.seed = seed
        self.unmatched = unmatched
        self.serve_orphaned = serve_orphaned
        self.fake = fake
        self.scenarios = ScenarioFolders(self.directory / SCENARIOS_DIR)
        self._requested_scenario = scenario
        self._lock = threading.RLock()
        self._documents: dict[str, MockDocument] = {}
        self._served: dict[str, ServedMock] = {}
        self._bind_problems: dict[str, MockProblem] = {}
        self._duplicates: dict[str, MockProblem] = {}
        self._own_problems: list[MockProblem] = []
        self._index: dict[str, OperationMocks] = {}
        self._active: str | None = None
        self._count = 0
        self._loaded = False

    # -- the hot path ------------------------------------------------------

    def respond(self, operation: Operation, request: Request) -> Reply | None:
        """The reply of the first matching mock; None to let the spec answer."""
        entry = self._index.get(operation.id)
        if entry is None or request.prefer:
            return None
        if entry.fast_reply is not None:
            return copy_reply(entry.fast_reply)
        scope = Scope(request, self.state, self.fake) if entry.needs_scope else None
        mock = entry.select(request, scope)
        if mock is not None:
            return mock.answer(request, scope)
        if self.unmatched == "404":
            return self._unmatched(operation, request)
        return None

    def _unmatched(self, operation: Operation, request: Request) -> Reply:
        near = request.near_miss or []
        closest = f"; closest: {near[0]['mock']} ({near[0]['failed']})" if near else ""
        body = {
            "title": "No mock matched",
            "detail": f"no mock of operation {operation.id} matched the request{closest}",
            "near_miss": near,
        }
        media = "application/problem+json"
        content = self.encoder(body, media, None)
        return Reply("404", {}, None, media, content, 0.0, None, "unmatched")

    # -- loading -----------------------------------------------------------

    def load(self) -> list[MockProblem]:
        """(Re)read every mock and scenario file; bad files are reported and skipped,
        the others served. Sequence positions start over. Returns every problem."""
        with self._lock:
            documents = load_folder(
                self.directory / MOCKS_DIR, base=self.directory, operations=self.operations
            )
            self._own_problems = []
            for name, folder in self.scenarios.folders(self._own_problems, self.directory):
                documents += load_folder(
                    folder, base=self.directory, operations=self.operations, scenario=name
                )
            self._documents = {document.file: document for document in documents}
            self._served = {}
            self._bind_problems = {}
            if not self._loaded:
                requested = self._requested_scenario
                active = requested if requested else read_active_scenario(self.directory)
                self._loaded = True
            else:
                active = self._active
            if active is not None and not self.scenarios.exists(active):
                self._own_problems.append(
                    MockProblem(
                        f"{SCENARIOS_DIR}/{active}",
                        0,
                        0,
                        "the active scenario does not exist; serving the base mocks",
                    )
                )
                active = None
            self._active = active
            self._rebuild()
            return self.problems()

    def problems(self) -> list[MockProblem]:
        """Every problem of the loaded files, sorted by file, then line."""
        found = list(self._own_problems)
        for document in self._documents.values():
            found.extend(self._problems_of(document))
        return sort_problems(found)

    def _problems_of(self, document: MockDocument) -> list[MockProblem]:
        found = list(document.problems)
        for extra in (self._duplicates, self._bind_problems):
            if document.file in extra:
                found.append(extra[document.file])
        return found

    def _rebuild(self) -> None:
        groups: dict[str | None, list[MockDocument]] = {}
        for document in self._documents.values():
            groups.setdefault(document.scenario, []).append(document)
        self._duplicates = {}
        for group in groups.values():
            self._duplicates.update(duplicate_problems(group))
        served: dict[str, ServedMock] = {}
        for document in self._documents.values():
            mock = self._bind(document)
            if mock is not None:
                served[document.file] = mock
        self._served = served
        self._index = build_index(served.values())
        self._count = len(served)

    def _bind(self, document: MockDocument) -> ServedMock | None:
        definition = document.definition
        if (
            definition is None
            or document.file in self._duplicates
            or not definition.enabled
            or (definition.orphaned and not self.serve_orphaned)
            or (document.scenario is not None and document.scenario != self._active)
        ):
            return None
        operation = self.operations.get(definition.operation)
        if operation is None:
            return None
        mock = self._served.get(document.file)
        if mock is not None and mock.definition is definition:
            return mock
        try:
            mock = ServedMock(
                definition,
                operation,
                encoder=self.encoder,
                state=self.state,
                seed=self.seed,
                scenario=document.scenario,
            )
            self._bind_problems.pop(document.file, None)
            return mock
        except ValueError as error:
            line = definition.responses[0].line if definition.responses else 1
            self._bind_problems[document.file] = MockProblem(document.file, line, 1, str(error))
            return None

    # -- reading -----------------------------------------------------------

    @property
    def active_scenario(self) -> str | None:
        return self._active

    @property
    def active_mock_count(self) -> int:
        """How many mocks are being served (enabled, valid, base or active scenario)."""
        return self._count

    def list_mocks(self, operation: str | None = None) -> list[dict[str, Any]]:
        """Every mock on file (served or not), base mocks first, each with its
        ``file``, ``scenario``, ``served`` and ``problems`` (when it has any)."""
        documents = sorted(
            self._documents.values(),
            key=lambda d: (d.scenario is not None, d.scenario or "", d.file),
        )
        return [
            self._listing(document)
            for document in documents
            if operation is None or _operation_of(document) == operation
        ]

    def get_mock(self, mock_id: str) -> dict[str, Any] | None:
        """The mock ``ID`` (a base mock, else one of a scenario, the active one
        first) or ``SCENARIO/ID``."""
        document = self._find(mock_id)
        return None if document is None else self._listing(document)

    def _listing(self, document: MockDocument) -> dict[str, Any]:
        data = document.data if isinstance(document.data, dict) else {}
        listing: dict[str, Any] = {"id": document.id}
        listing.update(copy.deepcopy(data))
        listing["id"] = document.id
        listing["file"] = document.file
        listing["scenario"] = document.scenario
        listing["served"] = document.file in self._served
        problems = self._problems_of(document)
        if problems:
            listing["problems"] = [problem.render() for problem in problems]
        return listing

    def _find(self, mock_id: str) -> MockDocument | None:
        documents = list(self._documents.values())
        if "/" in mock_id:
            scenario, _, mock_id = mock_id.partition("/")
            documents = [d for d in documents if d.scenario == scenario]
        rank = {None: 0, self._active: 1}
        documents.sort(key=lambda d: (rank.get(d.scenario, 2), d.scenario or "", d.file))
        return next((d for d in documents if d.id == mock_id), None)

    # -- admin: mocks ------------------------------------------------------

    def create_mock(self, document: dict[str, Any], scenario: str | None = None) -> dict[str, Any]:
        """Validate and write a new mock (``<id>.yaml``); MockError when it is invalid
        or its id is taken. In a scenario that does not exist yet, creates it."""
        with self._lock:
            folder = self.directory / MOCKS_DIR
            if scenario is not None:
                self.scenarios.check_name(scenario)
                folder = self.scenarios.path(scenario)
            taken = {d.id for d in self._documents.values() if d.scenario == scenario}
            mock_id = document.get("id")
            if mock_id is None:
                mock_id = _free_id(document.get("operation"), taken)
            path = folder / _file_name(mock_id, folder)
            loaded = self._check(path, {**document, "id": mock_id}, "yaml", scenario)
            if loaded.id in taken:
                raise MockError([_duplicate(loaded, scenario)])
            write_atomic(path, dump_document(loaded.data, "yaml"))
            self._documents[loaded.file] = loaded
            self._rebuild()
            return self._listing(loaded)

    def replace_mock(self, mock_id: str, document: dict[str, Any]) -> dict[str, Any]:
        """Validate and rewrite the mock's file (same file, same format); KeyError
        when there is no such mock, MockError when the new one is invalid."""
        with self._lock:
            old = self._find(mock_id)
            if old is None or old.path is None:
                raise KeyError(mock_id)
            new_id = document.get("id", old.id)
            loaded = self._check(old.path, {**document, "id": new_id}, old.format, old.scenario)
            taken = {
                d.id
                for d in self._documents.values()
                if d.scenario == old.scenario and d is not old
            }
            if loaded.id in taken:
                raise MockError([_duplicate(loaded, old.scenario)])
            write_atomic(old.path, dump_document(loaded.data, old.format))
            self._documents[old.file] = loaded
            self._rebuild()
            return self._listing(loaded)

    def delete_mock(self, mock_id: str) -> bool:
        """Remove the mock's file; False when there is no such mock."""
        with self._lock:
            document = self._find(mock_id)
            if document is None:
                return False
            if document.path is not None:
                document.path.unlink(missing_ok=True)
            del self._documents[document.file]
            self._rebuild()
            return True

    def _check(
        self, path: Path, document: dict[str, Any], format: str, scenario: str | None
    ) -> MockDocument:
        ordered = {"id": document["id"]}
        ordered.update((k, v) for k, v in document.items() if k not in LISTING_KEYS)
        text = dump_document(ordered, format)
        loaded = load_mock_document(
            path,
            text,
            file=display_path(path, self.directory),
            operations=self.operations,
            scenario=scenario,
        )
        if loaded.has_errors:
            raise MockError([p for p in loaded.problems if p.level == ERROR])
        return loaded

    # -- admin: scenarios --------------------------------------------------

    def list_scenarios(self) -> list[dict[str, Any]]:
        """Every scenario: name, whether it is active, its mocks."""
        return [self._scenario(name) for name in self.scenarios.names()]

    def get_scenario(self, name: str) -> dict[str, Any] | None:
        return self._scenario(name) if self.scenarios.exists(name) else None

    def _scenario(self, name: str) -> dict[str, Any]:
        mocks = [
            self._listing(document)
            for document in sorted(self._documents.values(), key=lambda d: d.file)
            if document.scenario == name
        ]
        return {"name": name, "active": name == self._active, "mocks": mocks}

    def create_scenario(self, name: str, mocks: list[dict[str, Any]]) -> dict[str, Any]:
        """Write a new scenario folder with ``mocks`` (all valid, or none is written)."""
        with self._lock:
            self.scenarios.check_name(name)
            if self.scenarios.exists(name):
                raise MockError(
                    [MockProblem(f"{SCENARIOS_DIR}/{name}", 0, 0, "the scenario exists already")]
                )
            folder = self.scenarios.path(name)
            loaded: list[MockDocument] = []
            problems: list[MockProblem] = []
            taken: set[str] = set()
            for given in mocks:
                mock_id = given.get("id")
                if mock_id is None:
                    mock_id = _free_id(given.get("operation"), taken)
                path = folder / f"{mock_id}.yaml" if isinstance(mock_id, str) else folder / "x"
                try:
                    checked = self._check(path, {**given, "id": mock_id}, "yaml", name)
                except MockError as error:
                    problems.extend(error.problems)
                    continue
                if checked.id in taken:
                    problems.append(_duplicate(checked, name))
                taken.add(checked.id)
                loaded.append(checked)
            if problems:
                raise MockError(problems)
            files = {Path(d.file).name: dump_document(d.data, "yaml") for d in loaded}
            self.scenarios.write(name, files)
            for document in loaded:
                self._documents[document.file] = document
            self._rebuild()
            return self._scenario(name)

    def delete_scenario(self, name: str) -> bool:
        """Remove the scenario's folder; the base mocks answer if it was active."""
        with self._lock:
            if not self.scenarios.exists(name):
                return False
            self.scenarios.delete(name)
            self._documents = {f: d for f, d in self._documents.items() if d.scenario != name}
            if self._active == name:
                self._active = None
                write_active_scenario(self.directory, None)
            self._rebuild()
            return True

    def activate_scenario(self, name: str | None) -> None:
        """Serve scenario ``name`` before the base mocks (None: base mocks only);
        remembered across restarts. KeyError when there is no such scenario."""
        with self._lock:
            if name is not None and not self.scenarios.exists(name):
                raise KeyError(name)
            write_active_scenario(self.directory, name)
            self._active = name
            self._rebuild()

    def reset(self) -> None:
        """Every sequence back to its first response, every random draw replayed."""
        for mock in list(self._served.values()):
            mock.reset()


def _operation_of(document: MockDocument) -> Any:
    return document.data.get("operation") if isinstance(document.data, dict) else None


def _free_id(operation: Any, taken: set[str]) -> str:
    stem = operation if isinstance(operation, str) and is_safe_name(operation) else "mock"
    candidate, number = stem, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def _file_name(mock_id: Any, folder: Path) -> str:
    if not isinstance(mock_id, str) or not is_safe_name(mock_id):
        return "new-mock.yaml"
    name, number = f"{mock_id}.yaml", 1
    while (folder / name).exists():
        number += 1
        name = f"{mock_id}-{number}.yaml"
    return name


def _duplicate(document: MockDocument, scenario: str | None) -> MockProblem:
    where = f"scenario {scenario}" if scenario else "the base mocks"
    return MockProblem(
        document.file, *document.id_at, f"duplicate id '{document.id}': {where} have it already"
    )
