"""A mock bound to its operation: what the index holds and a request meets.

Sequence positions are kept per mock, in memory, per process: an
``itertools.count`` advanced atomically, so concurrent requests never share a
position and no lock is taken. When the state store is shared (Redis), they
are a counter there instead (:attr:`ServedMock.shared_positions`), so replicas
answering in turn go on with one sequence. Random choices (the
``random`` sequence, delay ranges, fault rates, crud uuids) draw from a
``random.Random`` seeded by the server seed and the mock's id, so one seed
replays the same choices for the same order of requests.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect_right
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from ..engine import Encoder, Operation, Reply, Request, Trigger
from ..exceptions import RuntimeFailure
from ..expressions import RenderLimitError, Scope
from ..state import StateStore
from .crud import CrudHandler
from .definition import MockDefinition
from .matching import Condition
from .replicas import SharedPositions
from .responses import BoundResponse, data_reply
from .triggers import render_reactions, static_triggers

__all__ = ["BindError", "ServedMock"]


class BindError(RuntimeFailure, ValueError):
    """A mock cannot be bound to its operation (its static body cannot be encoded)."""

    def __init__(self, message: str, position: tuple[int, int]) -> None:
        super().__init__(message)
        self.message = message
        self.line, self.column = position


class ServedMock:
    """A definition bound to an operation, an encoder and the state store."""

    __slots__ = (
        "_counter",
        "_seed",
        "actions",
        "conditions",
        "crud",
        "cumulative",
        "definition",
        "fast_reply",
        "encoder",
        "key",
        "needs_scope",
        "reactions",
        "responses",
        "rng",
        "scenario",
        "sequence",
        "shared_positions",
        "single",
        "source",
        "stream",
        "templated_triggers",
        "triggers",
    )

    def __init__(
        self,
        definition: MockDefinition,
        operation: Operation,
        *,
        encoder: Encoder,
        state: StateStore,
        seed: int = 0,
        scenario: str | None = None,
        defs: Mapping[str, Any] | None = None,
        fake: Any = None,
    ) -> None:
        """Raises BindError when a static body cannot be encoded. ``defs`` and
        ``fake`` (a FakeData) shape crud records and errors after the contract."""
        self.definition = definition
        self.scenario = scenario
        self.key = definition.id if scenario is None else f"{scenario}/{definition.id}"
        self.source = f"mock:{self.key}"
        self.encoder = encoder
        self.conditions: tuple[Condition, ...] = definition.conditions
        self.actions = definition.actions
        self.sequence = definition.sequence
        responses = []
        for spec in definition.responses:
            try:
                responses.append(BoundResponse(spec, operation, encoder, self.source))
            except Exception as error:
                message = f"the body cannot be encoded: {error}"
                raise BindError(message, spec.body_at) from error
        self.responses = tuple(responses)
        self.single = self.responses[0] if len(self.responses) == 1 else None
        self.stream = definition.stream
        """How a streaming answer goes on; every reply of this mock carries it."""
        self.cumulative = list(accumulate(spec.weight for spec in definition.responses))
        self.crud = (
            CrudHandler(
                definition.crud, operation, encoder, state, self.source, defs=defs, fake=fake
            )
            if definition.crud is not None
            else None
        )
        self.reactions = definition.then
        self.triggers = static_triggers(definition.then)
        """The ``then`` triggers of every answer, when their templates are static."""
        self.templated_triggers = any(not reaction.is_static for reaction in definition.then)
        self.needs_scope = (
            bool(self.actions)
            or self.templated_triggers
            or any(response.needs_scope for response in self.responses)
            or any(condition.needs_scope for condition in self.conditions)
        )
        single = self.single
        self.fast_reply = (
            single.prebuilt
            if single is not None
            and not self.actions
            and self.crud is None
            and not self.templated_triggers
            else None
        )
        if self.stream is not None or definition.then:
            for response in self.responses:
                if response.prebuilt is not None:
                    response.prebuilt.stream = self.stream
                    response.prebuilt.triggers = self.triggers
        """The reply of every request, when nothing about it varies."""
        self._seed = f"{seed}:{self.key}"
        self._counter = itertools.count()
        self.rng = random.Random(self._seed)
        self.shared_positions: SharedPositions | None = None
        """Where the position of the sequence comes from when replicas share it."""

    @property
    def id(self) -> str:
        return self.definition.id

    def reset(self) -> None:
        """Back to the first response of the sequence and the first random draw."""
        self._counter = itertools.count()
        self.rng = random.Random(self._seed)

    def answer(self, request: Request, scope: Scope | None) -> Reply:
        """The reply of this (matching) mock: actions run, then the response renders."""
        try:
            if self.actions and not request.stream_index:  # once per call, not per message
                scope = scope or Scope(request)
                for action in self.actions:
                    action.evaluate(scope)
            if self.crud is not None:
                reply = self.crud.handle(request, self.rng)
                if self.reactions:
                    reply.triggers = self._triggers(request, scope)
                return reply
            response = self.single
            if response is None:
                response = self._next(request.stream_index)
            reply = response.render(scope, self.rng)
            if self.stream is not None:
                reply.stream = self.stream
            if self.reactions:
                reply.triggers = self._triggers(request, scope)
            return reply
        except RenderLimitError as error:
            body = {
                "title": "Mock failed to render",
                "detail": f"mock {self.key} ({self.definition.file}): {error}",
            }
            return data_reply("500", body, self.source, self.encoder)

    def _triggers(self, request: Request, scope: Scope | None) -> tuple[Trigger, ...]:
        """What this answer makes other operations emit: ``then``, rendered for it."""
        if not self.templated_triggers:
            return self.triggers
        return render_reactions(self.reactions, scope or Scope(request))

    def _next(self, stream_index: int | None = None) -> BoundResponse:
        """The next response of the sequence: of the server's, or, for the messages
        of one streaming answer, of that answer's (``stream_index`` counts them)."""
        responses = self.responses
        if self.sequence == "random":
            point = self.rng.random() * self.cumulative[-1]
            index = bisect_right(self.cumulative, point)
            return responses[min(index, len(responses) - 1)]
        position = self._position() if stream_index is None else stream_index
        if self.sequence == "once-each":
            return responses[min(position, len(responses) - 1)]
        return responses[position % len(responses)]

    def _position(self) -> int:
        shared = self.shared_positions
        if shared is not None:
            position = shared.next(self.key)
            if position is not None:
                return position
        return next(self._counter)
