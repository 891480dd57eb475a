"""A running server seen from one test: :class:`ServerForTest`.

What the test adds it takes back: mocks it adds are removed and a scenario it
switches to is switched back after it; journal assertions look only at the
requests made since the test began."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .admin import AdminClient
from .calls import Call
from .errors import AdminError, NotSupportedYet
from .server import MockServer

__all__ = ["ServerForTest"]


class ServerForTest:
    """The ``mock_server`` fixture's value."""

    def __init__(self, server: MockServer) -> None:
        self.server = server
        self.admin: AdminClient = server.admin
        self.started_after = server.admin.last_entry_id()
        """The journal entry before the test's first request."""
        self._mocks: list[str] = []
        self._scenario_before: str | None = None
        self._scenario_switched = False

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

    # -- agent-provided mock data --------------------------------------------------

    def request_mock(self, *args: Any, **kwargs: Any) -> None:
        """Not supported yet: the servers have no agent workflow (claimed
        batches of pending requests) to route requests to."""
        raise NotSupportedYet(
            "mockc.testing.scoped.ServerForTest.request_mock: agent-provided mock data "
            "needs the agent workflow in the runtime, which is not built yet"
        )

    def wait_for_pending(self, *args: Any, **kwargs: Any) -> None:
        """Not supported yet: see :meth:`request_mock`."""
        raise NotSupportedYet(
            "mockc.testing.scoped.ServerForTest.wait_for_pending: agent-provided mock data "
            "needs the agent workflow in the runtime, which is not built yet"
        )

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
