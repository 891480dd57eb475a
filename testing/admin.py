"""A client for a mock server's admin API (``/__mockc/…``)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from .calls import Call, CallExpectation, describe_calls
from .errors import AdminError

__all__ = ["AdminClient"]

JOURNAL_PAGE = 10_000
"""The most entries the admin API returns at once."""

RECORD_GRACE = 1.0
"""Seconds :meth:`AdminClient.assert_called` waits for a call to be recorded:
a server records a request just after it has sent the answer."""


class AdminClient:
    """The admin API of one server at ``base_url`` (the HTTP port; for gRPC
    the admin port)."""

    def __init__(self, base_url: str, *, token: str | None = None, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One admin call; its JSON answer (None for none). Raises :class:`AdminError`."""
        response = self._http.request(method, "/__mockc" + path, **kwargs)
        if response.status_code >= 400:
            try:
                document: object = response.json()
            except ValueError:
                document = response.text
            raise AdminError(method, "/__mockc" + path, response.status_code, document)
        return response.json() if response.content else None

    # -- server ----------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Protocol, operations, active mocks and scenario, mock problems."""
        return dict(self.call("GET", "/info"))

    # -- mocks -----------------------------------------------------------------

    def add_mock(self, mock: Mapping[str, Any], *, scenario: str | None = None) -> dict[str, Any]:
        """Create a mock (the format of docs/mocks.md); the created mock, with its ``id``."""
        params = {"scenario": scenario} if scenario else None
        return dict(self.call("POST", "/mocks", json=dict(mock), params=params))

    def remove_mock(self, mock_id: str) -> None:
        self.call("DELETE", "/mocks/" + quote(mock_id, safe=""))

    def mocks(self, operation: str | None = None) -> list[dict[str, Any]]:
        params = {"operation": operation} if operation else None
        return list(self.call("GET", "/mocks", params=params)["mocks"])

    # -- scenarios and state -----------------------------------------------------

    def use_scenario(self, name: str | None) -> None:
        """Switch to the scenario ``name`` (None: back to the base mocks)."""
        self.call("PUT", "/scenarios/active", json={"name": name})

    def add_scenario(self, name: str, mocks: list[Mapping[str, Any]]) -> dict[str, Any]:
        return dict(self.call("POST", "/scenarios", json={"name": name, "mocks": list(mocks)}))

    def remove_scenario(self, name: str) -> None:
        self.call("DELETE", "/scenarios/" + quote(name, safe=""))

    def reset(self) -> None:
        """Reset the server's state (records, sequence positions)."""
        self.call("DELETE", "/state")

    def state(self) -> dict[str, Any]:
        return dict(self.call("GET", "/state"))

    # -- events ------------------------------------------------------------------

    def emit(self, operation: str, data: Any = None, *, count: int = 1) -> dict[str, Any]:
        """Make ``operation`` emit now: ``data`` as it is, or (None) the
        server's own answer, ``count`` times."""
        body: dict[str, Any] = {"count": count}
        if data is not None:
            body["data"] = data
        return dict(self.call("POST", "/emit/" + quote(operation, safe=""), json=body))

    # -- agent-provided mock data (docs/agent.md) ---------------------------------

    def agent_status(self) -> dict[str, Any]:
        """Mode, pending and claimed batches, waiting requests, runs with any."""
        return dict(self.call("GET", "/agent"))

    def agent_runs(self) -> list[dict[str, Any]]:
        """Per test run: ``run_id``, ``pending_batches``, ``claimed_batches``,
        ``waiting_requests``."""
        return list(self.call("GET", "/agent/runs")["runs"])

    def claim_batch(
        self, run_id: str | None = None, *, lease_ms: int | None = None
    ) -> dict[str, Any] | None:
        """Claim the next batch of pending requests (of ``run_id``): ``batch_id``,
        ``claim_token``, ``requests``…; None when nothing is pending."""
        body: dict[str, Any] = {}
        if run_id is not None:
            body["run_id"] = run_id
        if lease_ms is not None:
            body["lease_ms"] = lease_ms
        claimed = self.call("POST", "/agent/claim", json=body)
        return None if claimed is None else dict(claimed)

    def provide_batch(
        self, batch_id: str, claim_token: str, mocks: list[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """Answer claimed requests: ``mocks`` are ``{request_id, status?, body,
        headers?, save?}``; AdminError (422, with ``errors``) when data is invalid."""
        body = {"claim_token": claim_token, "mocks": [dict(mock) for mock in mocks]}
        return dict(
            self.call("POST", f"/agent/batches/{quote(batch_id, safe='')}/provide", json=body)
        )

    def release_batch(self, batch_id: str, claim_token: str, reason: str | None = None) -> None:
        """Give a claimed batch back to the queue."""
        body = {"claim_token": claim_token, **({"reason": reason} if reason else {})}
        self.call("POST", f"/agent/batches/{quote(batch_id, safe='')}/release", json=body)

    # -- journal -----------------------------------------------------------------

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first; ``filters`` are the journal search's
        (``operation``, ``method``, ``status``, ``path``, ``unmatched``, ``since``…)."""
        params = {"limit": JOURNAL_PAGE, **{k: _text(v) for k, v in filters.items()}}
        found = self.call("GET", "/journal", params=params)
        return list(reversed(found["entries"]))

    def clear_journal(self) -> None:
        self.call("DELETE", "/journal")

    def last_entry_id(self) -> int:
        """The id of the newest journal entry (0: none)."""
        entries = self.call("GET", "/journal", params={"limit": 1})["entries"]
        return int(entries[0]["id"]) if entries else 0

    def calls(self, operation: str | None = None, *, after: int = 0) -> list[Call]:
        """The requests recorded after the entry ``after``, oldest first."""
        filters = {"operation": operation} if operation else {}
        return [Call(entry) for entry in self.journal(**filters) if int(entry["id"]) > after]

    def assert_called(
        self, operation: str, *, times: int | None = None, after: int = 0, **conditions: Any
    ) -> list[Call]:
        """Assert that ``operation`` was called with ``conditions`` (at least
        once, or exactly ``times``); the matching calls. The failure message
        lists what was called instead, with the first failed condition of each."""
        __tracebackhide__ = True
        expectation = CallExpectation(operation, conditions)
        deadline = time.monotonic() + RECORD_GRACE
        while True:  # a request is recorded just after its answer is sent
            calls = self.calls(after=after)
            matching = expectation.matching(calls)
            met = bool(matching) if times is None else len(matching) == times
            if met or time.monotonic() >= deadline:
                break
            time.sleep(0.02)
        if not met:
            wanted = "a call" if times is None else f"{times} call(s)"
            raise AssertionError(
                f"expected {wanted} of {expectation.text}, got {len(matching)}\n"
                + describe_calls(expectation, calls)
            )
        return matching

    def assert_not_called(self, operation: str, *, after: int = 0, **conditions: Any) -> None:
        """Assert that no call of ``operation`` meets ``conditions``."""
        __tracebackhide__ = True
        expectation = CallExpectation(operation, conditions)
        matching = expectation.matching(self.calls(operation, after=after))
        if matching:
            listed = "\n".join(f"  {call.summary}" for call in matching[:10])
            raise AssertionError(
                f"expected no call of {expectation.text}, got {len(matching)}:\n{listed}"
            )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
