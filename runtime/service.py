"""Everything around the engine that every protocol adapter shares.

A :class:`MockService` holds the engine, the mocks, the state store, the
journal and the metrics of one server. An adapter builds its protocol-neutral
:class:`~.engine.Request`, calls :meth:`MockService.handle`, writes the reply
in its wire format, then calls :meth:`MockService.record`. The admin API
(``runtime/admin``) works on the same object, whatever the protocol.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .agent import AgentDesk
from .engine import (
    KEYED_OUTPUTS,
    Encoder,
    Engine,
    Hook,
    MediaChooser,
    Operation,
    OutputPolicy,
    Reply,
    Request,
)
from .engine.emit import Emitter, ScheduledEmit
from .events import EventHub
from .expressions import FakeProvider
from .journal import Entry, Journal, JournalError, Metrics, open_journal
from .journal.metrics import MESSAGE_DIRECTIONS
from .mocks import MockProblem, MockRegistry
from .settings import CoreSettings
from .state import StateStore, open_store
from .sync import start_sync
from .telemetry import tracer_from_environment

__all__ = ["MockService", "ServiceProblem"]


@dataclass(frozen=True, slots=True)
class ServiceProblem:
    """Something wrong found at start-up that did not stop the server."""

    message: str


class MockService:
    """The engine, mocks, state, journal and metrics of one server."""

    def __init__(
        self,
        directory: Path,
        operations: Iterable[Operation],
        defs: Mapping[str, Any],
        *,
        encoder: Encoder,
        settings: CoreSettings,
        protocol: str,
        name: str,
        hooks: Mapping[str, Hook] | None = None,
        choose_media_type: MediaChooser | None = None,
        outputs: OutputPolicy = KEYED_OUTPUTS,
        schedules: Iterable[ScheduledEmit] = (),
    ) -> None:
        """``outputs`` is the adapter's reading of output keys (its
        ``runtime/<protocol>/outputs.py``): here, how an injected error looks.
        ``schedules`` are emit schedules the contract declares (they run beside
        the mocks' ``emit`` schedules)."""
        self.directory = directory
        self.outputs = outputs
        self.settings = settings
        self.protocol = protocol
        operations = tuple(operations)
        self.state: StateStore = open_store(
            settings.state_url, namespace=settings.state_namespace or name
        )
        self.fake = FakeProvider(seed=settings.seed)
        self.mocks = MockRegistry(
            directory,
            {operation.id: operation for operation in operations},
            state=self.state,
            encoder=encoder,
            seed=settings.seed,
            unmatched=settings.unmatched,
            serve_orphaned=settings.serve_orphaned,
            fake=self.fake,
            scenario=settings.scenario,
            defs=defs,
            agent_unmatched=settings.agent == "unmatched",
        )
        self.load_problems: list[MockProblem] = self.mocks.load()
        extra: dict[str, Any] = {}
        if choose_media_type is not None:
            extra["choose_media_type"] = choose_media_type
        self.engine = Engine(
            operations,
            defs,
            encoder=encoder,
            seed=settings.seed,
            hooks=hooks,
            responders=(self.mocks,),
            **extra,
        )
        self.agent = AgentDesk(
            operations=self.engine.operations,
            defs=defs,
            protocol=protocol,
            mode=settings.agent,
            window_ms=settings.agent_window_ms,
            timeout_ms=settings.agent_timeout_ms,
            fallback=settings.agent_fallback,
            redacted=settings.journal_redact,
            encode=self.engine.encode_reply,
            mocks=self.mocks,
        )
        """Requests waiting for an agent's answer (runtime/agent)."""
        self.events = EventHub()
        """Open streams of streaming operations; the emit path publishes to them."""
        self.emitter = Emitter(self.engine.handle, self.events, self.engine.fixed_reply)
        """Messages operations send on their own: schedules, on demand, reactions."""
        self.declared_schedules = tuple(schedules)
        self.emitter.schedule(self._schedules())
        self.metrics = Metrics(protocol)
        self.metrics.set_active_mocks(self.mocks.active_mock_count)
        self.change_listeners: list[Callable[[], None]] = []
        """Called (on any thread) after the mocks changed: an adapter's notifications."""
        self.mocks.on_follow = self.mocks_changed
        self.journal: Journal = self._open_journal()
        self._random = random.Random(settings.seed)
        low, high = settings.delay_ms
        self._delay = (low, high) if high > 0 else None
        self.sync = start_sync(self)
        """Pulls mocks from an orchestrator when MOCKC_SYNC_FROM is set (runtime/sync)."""
        self.tracer = tracer_from_environment(name)
        """A span per request when OTEL_EXPORTER_OTLP_ENDPOINT is set (runtime/telemetry)."""

    def _open_journal(self) -> Journal:
        path = self.settings.journal_path(self.directory)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return open_journal(path, max_entries=self.settings.journal_max)
        except JournalError as error:
            print(f"mockc: {error}; serving without a journal", file=sys.stderr, flush=True)
            return open_journal(None)

    @property
    def operations(self) -> Mapping[str, Operation]:
        return self.engine.operations

    def handle(self, request: Request) -> Reply:
        """The engine's answer, with the server-wide latency and error rate applied.
        When it marks the request for an agent (``request.agent``), this is the
        fallback: adapters that await call :meth:`answer` instead."""
        return self._finish(request, self.engine.handle(request))

    def finish(self, request: Request, reply: Reply) -> Reply:
        """:meth:`handle` of a request whose reply the adapter already has from
        :meth:`.Engine.fixed_reply` (the same for every request, so the adapter
        need not decode what nothing reads): the server-wide latency and error
        rate applied."""
        return self._finish(request, reply)

    async def answer(self, request: Request) -> Reply:
        """:meth:`handle`, waiting for an agent's answer when the request is marked
        for one (without blocking the event loop; the fallback after the timeout)."""
        reply = self.engine.handle(request)
        if request.agent is not None:
            reply = await self.agent.answer(request, reply)
        return self._finish(request, reply)

    def _finish(self, request: Request, reply: Reply) -> Reply:
        if reply.fault == "duplicate" and not self.outputs.duplicates:
            reply.fault = None  # only broker channels send a message twice
        if reply.fault == "gone" and not getattr(self.outputs, "disappears", False):
            reply.fault = None  # only MCP tools, prompts and resources disappear
        if self._delay is not None:
            low, high = self._delay
            reply.delay_ms += low if low == high else self._random.uniform(low, high)
        rate = self.settings.error_rate
        if rate and self._random.random() < rate:
            return self.outputs.injected_fault(reply.delay_ms)
        if reply.triggers:
            self.emitter.react(reply.triggers, request)
        return reply

    def record(self, entry: Entry) -> None:
        """Count a finished request in the metrics and the journal (cheap: no I/O)."""
        if not entry.admin:
            self.metrics.observe(
                entry.operation, entry.status, entry.duration_ms / 1000.0, entry.matched
            )
            if entry.method in MESSAGE_DIRECTIONS:
                clients = entry.clients
                delivered = len(clients) if clients is not None and entry.method == "sent" else 1
                self.metrics.count_message(entry.operation, entry.method, delivered)
            if self.tracer is not None:
                self.tracer.record(entry)
        self.journal.record(entry)

    def record_all(self, entries: Sequence[Entry]) -> None:
        """:meth:`record` each of ``entries`` (none of the admin API), the metrics'
        lock taken once."""
        self.metrics.observe_entries(entries)
        tracer = self.tracer
        journal = self.journal
        for entry in entries:
            if tracer is not None:
                tracer.record(entry)
            journal.record(entry)

    def mocks_changed(self) -> None:
        self.metrics.set_active_mocks(self.mocks.active_mock_count)
        self.emitter.schedule(self._schedules())
        for listener in list(self.change_listeners):
            listener()

    def _schedules(self) -> list[ScheduledEmit]:
        """The contract's schedules, then the ``emit`` schedules of the mocks being served."""
        return [
            *self.declared_schedules,
            *(
                ScheduledEmit(definition.operation, f"mock:{definition.id}", definition.emit)
                for definition in self.mocks.served_definitions()
                if definition.emit is not None
            ),
        ]

    def reset(self) -> None:
        """Forget state and restart every response sequence."""
        self.state.clear()
        self.mocks.reset()

    def close(self) -> None:
        """Flush the journal and release the state store; call before the process exits."""
        self.emitter.close()
        if self.sync is not None:
            self.sync.stop()
        if self.tracer is not None:
            self.tracer.close()
        self.mocks.close()
        self.journal.close()
        self.state.close()


def matched_of(reply: Reply | None, request: Request | None) -> bool | None:
    """True when a mock answered, False when mocks existed but none matched."""
    if reply is None or request is None:
        return None
    if reply.source.startswith("mock:"):
        return True
    if request.near_miss is not None:
        return False
    return None
