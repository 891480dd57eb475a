"""The live set of mocks of one server: loading, answering, and the admin operations.

``respond`` is the hot path. It reads one dict (operation id → mocks in match
order) without a lock; every change builds a new dict and swaps the reference,
so a request sees the old set or the new one, never a mixture. Changes
(admin writes, reloads, scenario switches) take a lock among themselves.

When the state store is shared (Redis), so are the active scenario and the
positions of response sequences (``replicas.py``): a switch made through one
replica is followed by the others (a thread checks every 200 ms).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from ..engine import AgentRoute, Encoder, Operation, Reply, Request
from ..expressions import FakeProvider, Scope
from ..state import StateStore
from .catalog import Catalog
from .definition import MockDefinition, MockDocument, is_safe_name, load_mock_document
from .editing import LISTING_KEYS, check_document, duplicate_problem, file_name, free_id
from .files import (
    MOCKS_DIR,
    SCENARIOS_DIR,
    display_path,
    dump_document,
    read_active_scenario,
    write_active_scenario,
    write_atomic,
)
from .folder import load_folder
from .index import OperationMocks, build_index
from .pending import take as take_pending
from .problems import MockError, MockProblem
from .replicas import SharedPositions, SharedScenario
from .responses import copy_reply
from .scenarios import ScenarioFolders
from .served import BindError, ServedMock

__all__ = ["LISTING_KEYS", "UNMATCHED_POLICIES", "MockRegistry"]

UNMATCHED_POLICIES = ("fallback", "404")

log = logging.getLogger("mockc.state")


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
        defs: Mapping[str, Any] | None = None,
        agent_unmatched: bool = False,
    ) -> None:
        """``agent_unmatched``: requests no mock matches (the generated mock of an
        operation, its id the operation's and without conditions, does not count)
        are marked for an agent (``request.agent``; see runtime/agent)."""
        if unmatched not in UNMATCHED_POLICIES:
            raise ValueError(f"unmatched must be one of {', '.join(UNMATCHED_POLICIES)}")
        self.directory = Path(directory)
        self.operations = dict(operations)
        self.defs = defs
        """The contract's named schemas: bodies of mocks sent through the admin API
        are checked against their operation's response schemas when given (not
        at start-up, which stays fast on large specs: ``mockc validate`` checks files)."""
        self.state = state
        self.encoder = encoder
        self.seed = seed
        self.unmatched = unmatched
        self.agent_unmatched = agent_unmatched
        self.serve_orphaned = serve_orphaned
        self.fake = fake
        self.scenarios = ScenarioFolders(self.directory / SCENARIOS_DIR)
        self._requested_scenario = scenario
        self._lock = threading.RLock()
        self._catalog = Catalog()
        self._served: dict[str, ServedMock] = {}
        self._index: dict[str, OperationMocks] = {}
        self._active: str | None = None
        self._count = 0
        self._loaded = False
        self._fake_values: Any = None
        replicas = state.replicas()
        self._shared_scenario = SharedScenario(replicas) if replicas is not None else None
        self._shared_positions = SharedPositions(replicas) if replicas is not None else None
        self.on_follow: Callable[[], None] | None = None
        """Called after following another replica's scenario switch (the metrics'
        count of served mocks)."""
        self._pending_mocks = take_pending(self.directory)
        self._pending: frozenset[str] = frozenset(
            () if self._pending_mocks is None else self._pending_mocks.operation_ids
        )
        """Operations whose mock is written when first needed (:mod:`.pending`)."""

    # -- the hot path ------------------------------------------------------

    def respond(self, operation: Operation, request: Request) -> Reply | None:
        """The reply of the first matching mock; None to let the spec answer."""
        if self._pending and operation.id in self._pending:
            self._write_pending((operation.id,))
        entry = self._index.get(operation.id)
        if request.prefer:
            return None
        if entry is None:
            if self.agent_unmatched:
                request.agent = _UNMATCHED
            return None
        if entry.fast_reply is not None and not self.agent_unmatched:
            return copy_reply(entry.fast_reply)
        scope = Scope(request, self.state, self.fake) if entry.needs_scope else None
        mock = entry.select(request, scope)
        if mock is not None:
            definition = mock.definition
            if definition.agent:  # the spec's answer is the fallback
                request.agent = AgentRoute(mock.key, definition.priority, mock.scenario)
                return None
            if self.agent_unmatched and _is_generated(mock):
                request.agent = _UNMATCHED
            return mock.answer(request, scope)
        if self.agent_unmatched:
            request.agent = _UNMATCHED
        if self.unmatched == "404":
            return self._unmatched(operation, request)
        return None

    def fixed_reply(self, operation_id: str) -> Reply | None:
        """A copy of the reply of every request of ``operation_id`` when its first
        mock matches all and nothing about its answer varies; None otherwise
        (:meth:`.Engine.fixed_reply`)."""
        if self._pending and operation_id in self._pending:
            self._write_pending((operation_id,))
        entry = self._index.get(operation_id)
        if entry is None or entry.fast_reply is None or self.agent_unmatched:
            return None
        return copy_reply(entry.fast_reply)

    def _write_pending(self, operation_ids: Collection[str]) -> None:
        """Write and load the pending mocks of ``operation_ids`` (:mod:`.pending`)."""
        with self._lock:
            source = self._pending_mocks
            wanted = [id for id in operation_ids if id in self._pending]
            if source is None or not wanted:
                return
            self._pending = self._pending.difference(wanted)
            folder = self.directory / MOCKS_DIR
            documents = []
            for operation_id in wanted:
                try:
                    path = source.write(operation_id, folder)
                except Exception as error:  # the spec's fallback answers instead
                    log.error("the mock of %s could not be written: %s", operation_id, error)
                    continue
                documents.append(
                    load_mock_document(
                        path, file=display_path(path, self.directory), operations=self.operations
                    )
                )
            self._catalog.put_all(documents)
            self._rebuild()

    def _write_all_pending(self) -> None:
        """Every pending mock written: before anything reads or changes the whole set."""
        if self._pending:
            self._write_pending(sorted(self._pending))

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
            if self._loaded:
                self._write_all_pending()
            catalog = self._catalog
            documents = load_folder(
                self.directory / MOCKS_DIR,
                base=self.directory,
                operations=self.operations,
            )
            catalog.own_problems = []
            for name, folder in self.scenarios.folders(catalog.own_problems, self.directory):
                documents += load_folder(
                    folder,
                    base=self.directory,
                    operations=self.operations,
                    scenario=name,
                )
            catalog.replace(documents)
            self._served = {}
            if not self._loaded:
                active = self._startup_scenario()
                self._loaded = True
                if self._shared_scenario is not None:
                    self._shared_scenario.follow(self._follow_shared_scenario)
            else:
                active = self._active
            if active is not None and not self.scenarios.exists(active):
                message = "the active scenario does not exist; serving the base mocks"
                catalog.own_problems.append(MockProblem(f"{SCENARIOS_DIR}/{active}", 0, 0, message))
                active = None
            self._active = active
            self._rebuild()
            return catalog.problems()

    def _startup_scenario(self) -> str | None:
        requested = self._requested_scenario
        remembered = read_active_scenario(self.directory)
        shared = self._shared_scenario
        if shared is None:
            return requested if requested else remembered
        if requested and not self.scenarios.exists(requested):
            return requested  # reported as missing; not shared with the other replicas
        return shared.startup(requested, remembered)

    def _follow_shared_scenario(self, name: str | None) -> None:
        """Serve ``name``, the scenario another replica switched to."""
        with self._lock:
            if name is not None and not self.scenarios.exists(name):
                log.warning("the shared active scenario %r is not here; serving base mocks", name)
                name = None
            if name != self._active:
                self._active = name
                self._rebuild()
                if self.on_follow is not None:
                    self.on_follow()

    def problems(self) -> list[MockProblem]:
        """Every problem of the loaded files, sorted by file, then line."""
        self._write_all_pending()
        return self._catalog.problems()

    def _rebuild(self) -> None:
        """Bind what is to be served and swap in a new index."""
        served: dict[str, ServedMock] = {}
        for document in self._catalog.documents.values():
            mock = self._bind(document)
            if mock is not None:
                served[document.file] = mock
        positions = self._shared_positions
        if positions is not None:
            for mock in served.values():
                mock.shared_positions = positions
        self._served = served
        self._index = build_index(served.values())
        self._count = len(served)

    def _bind(self, document: MockDocument) -> ServedMock | None:
        definition = document.definition
        if (
            definition is None
            or document.file in self._catalog.duplicates
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
        bind_problems = self._catalog.bind_problems
        try:
            mock = ServedMock(
                definition,
                operation,
                encoder=self.encoder,
                state=self.state,
                seed=self.seed,
                scenario=document.scenario,
                defs=self.defs,
                fake=self._fake_data() if definition.crud is not None else None,
            )
        except BindError as error:
            problem = MockProblem(document.file, error.line, error.column, error.message)
            bind_problems[document.file] = problem
            return None
        bind_problems.pop(document.file, None)
        return mock

    def _fake_data(self) -> Any:
        """Fake data after the contract's schemas (crud records and errors), made once."""
        if self._fake_values is None:
            from ..fake import FakeData

            self._fake_values = FakeData(self.defs or {}, seed=self.seed)
        return self._fake_values

    # -- reading -----------------------------------------------------------

    @property
    def active_scenario(self) -> str | None:
        return self._active

    @property
    def active_mock_count(self) -> int:
        """How many mocks are being served (enabled, valid, base or active scenario);
        pending mocks count: each is served from the moment it is written."""
        return self._count + len(self._pending)

    def served_definitions(self) -> list[MockDefinition]:
        """The definitions of the mocks being served (the emit path reads their
        schedules), pending mocks aside: generated mocks carry no schedule."""
        return [mock.definition for mock in self._served.values()]

    def has_mocks(self, operation_id: str) -> bool:
        """Whether mocks are served for ``operation_id`` (cheap: one dict lookup), so
        that an adapter asks the engine only when a mock may answer (GraphQL type mocks)."""
        return operation_id in self._index or operation_id in self._pending

    def list_mocks(self, operation: str | None = None) -> list[dict[str, Any]]:
        """Every mock on file (served or not), base mocks first, each with its
        ``file``, ``scenario``, ``served`` and ``problems`` (when it has any)."""
        self._write_all_pending()
        return [
            self._listing(document)
            for document in self._catalog.ordered()
            if operation is None or _operation_of(document) == operation
        ]

    def get_mock(self, mock_id: str) -> dict[str, Any] | None:
        """The mock ``SCENARIO/ID``, or ``ID``: the base mock, else the active
        scenario's, else the first scenario's by name."""
        self._write_all_pending()
        document = self._catalog.find(mock_id, self._active)
        return None if document is None else self._listing(document)

    def _listing(self, document: MockDocument) -> dict[str, Any]:
        return self._catalog.listing(document, document.file in self._served)

    # -- admin: mocks ------------------------------------------------------

    def create_mock(self, document: dict[str, Any], scenario: str | None = None) -> dict[str, Any]:
        """Validate and write a new mock (``<id>.yaml``); MockError when it is invalid
        or its id is taken. In a scenario that does not exist yet, creates it."""
        with self._lock:
            self._write_all_pending()
            folder = self.directory / MOCKS_DIR
            if scenario is not None:
                self.scenarios.check_name(scenario)
                folder = self.scenarios.path(scenario)
            taken = self._catalog.ids(scenario)
            mock_id = document.get("id")
            if mock_id is None:
                mock_id = free_id(document.get("operation"), taken)
            path = folder / file_name(mock_id, folder)
            loaded = self._check(path, {**document, "id": mock_id}, "yaml", scenario)
            if loaded.id in taken:
                raise MockError([duplicate_problem(loaded, scenario)])
            write_atomic(path, dump_document(loaded.data, "yaml"))
            self._catalog.put(loaded)
            self._rebuild()
            return self._listing(loaded)

    def save_mock(
        self, document: dict[str, Any], *, subfolder: str, scenario: str | None = None
    ) -> str:
        """Write a new mock as JSON in ``mocks/<subfolder>/`` (or the scenario's
        folder) and serve it; ``document["id"]`` is a stem: ``-2``, ``-3``… are
        added until the id is free. Its file relative to the server folder;
        MockError when it is invalid."""
        with self._lock:
            folder = self.directory / MOCKS_DIR
            if scenario is not None:
                self.scenarios.check_name(scenario)
                folder = self.scenarios.path(scenario)
            if is_safe_name(subfolder):
                folder = folder / subfolder
            mock_id = free_id(document.get("id"), self._catalog.ids(scenario))
            path = folder / f"{mock_id}.json"
            number = 1
            while path.exists():
                number += 1
                path = folder / f"{mock_id}-{number}.json"
            loaded = self._check(path, {**document, "id": mock_id}, "json", scenario)
            write_atomic(path, dump_document(loaded.data, "json"))
            self._catalog.put(loaded)
            self._rebuild()
            return display_path(path, self.directory)

    def replace_mock(self, mock_id: str, document: dict[str, Any]) -> dict[str, Any]:
        """Validate and rewrite the mock's file (same file, same format); KeyError
        when there is no such mock, MockError when the new one is invalid."""
        with self._lock:
            self._write_all_pending()
            old = self._catalog.find(mock_id, self._active)
            if old is None or old.path is None:
                raise KeyError(mock_id)
            new_id = document.get("id")
            if new_id is None:
                new_id = old.id
            loaded = self._check(old.path, {**document, "id": new_id}, old.format, old.scenario)
            if loaded.id in self._catalog.ids(old.scenario, excluding=old):
                raise MockError([duplicate_problem(loaded, old.scenario)])
            write_atomic(old.path, dump_document(loaded.data, old.format))
            self._catalog.bind_problems.pop(old.file, None)
            self._catalog.put(loaded)
            self._rebuild()
            return self._listing(loaded)

    def delete_mock(self, mock_id: str) -> bool:
        """Remove the mock's file; False when there is no such mock."""
        with self._lock:
            self._write_all_pending()
            document = self._catalog.find(mock_id, self._active)
            if document is None:
                return False
            if document.path is not None:
                document.path.unlink(missing_ok=True)
            self._catalog.drop(document.file)
            self._rebuild()
            return True

    def _check(
        self, path: Path, document: dict[str, Any], format: str, scenario: str | None
    ) -> MockDocument:
        return check_document(
            path,
            document,
            format=format,
            directory=self.directory,
            operations=self.operations,
            scenario=scenario,
            defs=self.defs,
        )

    # -- admin: scenarios --------------------------------------------------

    def list_scenarios(self) -> list[dict[str, Any]]:
        """Every scenario: name, whether it is active, its mocks."""
        self._write_all_pending()
        return [self._scenario(name) for name in self.scenarios.names()]

    def get_scenario(self, name: str) -> dict[str, Any] | None:
        self._write_all_pending()
        return self._scenario(name) if self.scenarios.exists(name) else None

    def _scenario(self, name: str) -> dict[str, Any]:
        mocks = [self._listing(document) for document in self._catalog.ordered(name)]
        return {"name": name, "active": name == self._active, "mocks": mocks}

    def create_scenario(self, name: str, mocks: list[dict[str, Any]]) -> dict[str, Any]:
        """Write a new scenario folder with ``mocks`` (all valid, or none is written)."""
        with self._lock:
            self._write_all_pending()
            self.scenarios.check_name(name)
            if self.scenarios.exists(name):
                message = "the scenario exists already"
                raise MockError([MockProblem(f"{SCENARIOS_DIR}/{name}", 0, 0, message)])
            folder = self.scenarios.path(name)
            loaded: list[MockDocument] = []
            problems: list[MockProblem] = []
            taken: set[str] = set()
            for given in mocks:
                mock_id = given.get("id")
                if mock_id is None:
                    mock_id = free_id(given.get("operation"), taken)
                path = folder / file_name(mock_id, folder)
                try:
                    checked = self._check(path, {**given, "id": mock_id}, "yaml", name)
                except MockError as error:
                    problems.extend(error.problems)
                    continue
                if checked.id in taken:
                    problems.append(duplicate_problem(checked, name))
                taken.add(checked.id)
                loaded.append(checked)
            if problems:
                raise MockError(problems)
            files = {Path(d.file).name: dump_document(d.data, "yaml") for d in loaded}
            self.scenarios.write(name, files)
            for document in loaded:
                self._catalog.put(document)
            self._rebuild()
            return self._scenario(name)

    def delete_scenario(self, name: str) -> bool:
        """Remove the scenario's folder; the base mocks answer if it was active."""
        with self._lock:
            self._write_all_pending()
            if not self.scenarios.exists(name):
                return False
            self.scenarios.delete(name)
            self._catalog.drop_scenario(name)
            if self._active == name:
                self._share_scenario(None)
                self._active = None
                write_active_scenario(self.directory, None)
            self._rebuild()
            return True

    def activate_scenario(self, name: str | None) -> None:
        """Serve scenario ``name`` before the base mocks (None: base mocks only);
        remembered across restarts. KeyError when there is no such scenario."""
        with self._lock:
            self._write_all_pending()
            if name is not None and not self.scenarios.exists(name):
                raise KeyError(name)
            self._share_scenario(name)
            write_active_scenario(self.directory, name)
            self._active = name
            self._rebuild()

    def _share_scenario(self, name: str | None) -> None:
        """Make ``name`` every replica's active scenario, when the store is shared
        (StateError when it cannot be reached: then nothing changed)."""
        if self._shared_scenario is not None:
            self._shared_scenario.share(name)

    def close(self) -> None:
        """Stop following the shared active scenario (nothing to do otherwise)."""
        if self._shared_scenario is not None:
            self._shared_scenario.stop()

    def reset(self) -> None:
        """Every sequence back to its first response, every random draw replayed
        (the positions in a shared store go with its :meth:`~..state.StateStore.clear`)."""
        for mock in list(self._served.values()):
            mock.reset()


_UNMATCHED = AgentRoute()


def _is_generated(mock: ServedMock) -> bool:
    """Whether ``mock`` is its operation's generated mock, the fake answer written
    down (its id the operation's, no conditions): it does not count as a match
    when unmatched requests go to an agent."""
    definition = mock.definition
    return mock.scenario is None and not mock.conditions and definition.id == definition.operation


def _operation_of(document: MockDocument) -> Any:
    return document.data.get("operation") if isinstance(document.data, dict) else None
