"""A running server seen from one test: :class:`ServerForTest`.

What the test adds it takes back: mocks it adds are removed and a scenario it
switches to is switched back after it; journal assertions look only at the
requests made since the test began."""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

from .admin import AdminClient
from .calls import Call
from .errors import AdminError
from .server import MockServer

__all__ = ["AGENT_PRIORITY", "RUN_HEADER", "ServerForTest"]

RUN_HEADER = "X-Mockc-Run"
AGENT_PRIORITY = 100
"""The priority of :meth:`ServerForTest.request_mock`'s mocks: before the
generated ones (priority 0)."""


class ServerForTest:
    """The ``mock_server`` fixture's value."""

    def __init__(self, server: MockServer, *, run_id: str | None = None) -> None:
        """``run_id`` names the test's run (:attr:`run_headers`); default: a
        random one. The fixtures give the test's node id."""
        self.server = server
        self.admin: AdminClient = server.admin
        self.started_after = server.admin.last_entry_id()
        """The journal entry before the test's first request."""
        self._mocks: list[str] = []
        self._scenario_before: str | None = None
        self._scenario_switched = False
        if run_id is None or not _is_header_text(run_id):
            run_id = f"test-{uuid.uuid4().hex[:12]}"
        self.run_id = run_id
        """This test's run id (see :attr:`run_headers`)."""

    # -- addresses -------------------------------------------------------------

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def graphql_url(self) -> str:
        return self.server.graphql_url

    @property
    def target(self) -> str:
        return self.server.target

    @property
    def admin_url(self) -> str:
        return self.server.admin_url

    @property
    def protocol(self) -> str:
        return self.server.protocol

    @property
    def operations(self) -> tuple[str, ...]:
        return self.server.operations

    def log(self) -> str:
        return self.server.log()

    # -- mocks and scenarios, taken back after the test --------------------------

    def add_mock(self, mock: Mapping[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Add a mock for this test (``add_mock(operation="getPet",
        response={"status": 404})``); it is removed after the test."""
        created = self.admin.add_mock({**(mock or {}), **fields})
        self._mocks.append(str(created["id"]))
        return created

    def use_scenario(self, name: str | None) -> None:
        """Switch scenarios for this test; the one before is active again after it."""
        if not self._scenario_switched:
            self._scenario_before = self.admin.info().get("active_scenario")
            self._scenario_switched = True
        self.admin.use_scenario(name)

    def reset(self) -> None:
        """Reset the server's state (records created, sequence positions)."""
        self.admin.reset()

    def emit(self, operation: str, data: Any = None, *, count: int = 1) -> dict[str, Any]:
        """Make ``operation`` emit now (``POST /__mockc/emit/{operation}``)."""
        return self.admin.emit(operation, data, count=count)

    # -- the journal of this test --------------------------------------------------

    def calls(self, operation: str | None = None) -> list[Call]:
        """The requests this test made (so far), oldest first."""
        return self.admin.calls(operation, after=self.started_after)

    def journal(self) -> list[dict[str, Any]]:
        """The journal entries of this test's requests, oldest first."""
        return [dict(call.entry) for call in self.calls()]

    def assert_called(
        self, operation: str, *, times: int | None = None, **conditions: Any
    ) -> list[Call]:
        """Assert this test called ``operation`` with ``conditions``; see
        :meth:`AdminClient.assert_called`."""
        __tracebackhide__ = True
        return self.admin.assert_called(
            operation, times=times, after=self.started_after, **conditions
        )

    def assert_not_called(self, operation: str, **conditions: Any) -> None:
        """Assert this test made no call of ``operation`` meeting ``conditions``."""
        __tracebackhide__ = True
        self.admin.assert_not_called(operation, after=self.started_after, **conditions)

    # -- agent-provided mock data (docs/agent.md) -----------------------------------

    @property
    def run_headers(self) -> dict[str, str]:
        """The header that puts a request in this test's run (``X-Mockc-Run``):
        the agent sees, and claims, this test's requests apart from others'."""
        return {RUN_HEADER: self.run_id}

    def request_mock(
        self,
        operation: str,
        *,
        match: Mapping[str, Any] | None = None,
        priority: int = AGENT_PRIORITY,
        **fields: Any,
    ) -> dict[str, Any]:
        """Have an agent answer ``operation``'s requests (those ``match`` picks)
        during this test: adds a ``source: agent`` mock, removed after the test.
        Without an answer in time, the server's fallback answers."""
        mock: dict[str, Any] = {
            "operation": operation,
            "source": "agent",
            "priority": priority,
            **fields,
        }
        if match is not None:
            mock["match"] = dict(match)
        return self.add_mock(mock)

    def wait_for_pending(
        self, count: int = 1, *, run_id: str | None = None, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` requests wait for the agent (of ``run_id``; of
        every run by default); the runs with waiting requests, as
        :meth:`AdminClient.agent_runs` lists them. AssertionError on timeout."""
        __tracebackhide__ = True
        deadline = time.monotonic() + timeout
        while True:
            runs = [
                row for row in self.admin.agent_runs() if run_id is None or row["run_id"] == run_id
            ]
            waiting = sum(int(row["waiting_requests"]) for row in runs)
            if waiting >= count:
                return runs
            if time.monotonic() >= deadline:
                where = f" in run {run_id!r}" if run_id is not None else ""
                raise AssertionError(
                    f"expected {count} request(s) waiting for the agent{where} within "
                    f"{timeout:g} s, found {waiting}"
                )
            time.sleep(0.02)

    def finish(self) -> None:
        """Take back what the test added (called by the fixture after the test)."""
        for mock_id in reversed(self._mocks):
            try:
                self.admin.remove_mock(mock_id)
            except AdminError as error:
                if error.status != 404:  # 404: the test removed it itself
                    raise
        self._mocks.clear()
        if self._scenario_switched:
            self.admin.use_scenario(self._scenario_before)
            self._scenario_switched = False


def _is_header_text(text: str) -> bool:
    """Whether ``text`` can be a run id: printable ASCII, at most 200 characters
    (what a header carries and the server keeps)."""
    return 0 < len(text) <= 200 and text.isascii() and text.isprintable()
