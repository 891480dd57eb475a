"""The admin API of the agent workflow (``/__mockc/agent…``, docs/agent.md).

Each refusal is a problem document with a ``code``: ``bad_request`` (400),
``wrong_claim_token`` (403), ``no_such_batch`` (404), ``claim_expired`` (409),
``invalid_mock_data`` (422, with ``errors``: the JSON pointer of every violation).
"""

from __future__ import annotations

from collections.abc import Callable

from ..agent import AgentError
from ..service import MockService
from ..web.problems import Problem
from .call import AdminCall, Handler, Result

__all__ = ["AGENT_ROUTES"]


def _refusals(handler: Handler) -> Handler:
    """``handler`` with the workflow's errors answered as problems with their code."""

    def answer(service: MockService, call: AdminCall) -> Result:
        try:
            return handler(service, call)
        except AgentError as error:
            raise Problem(
                error.status, error.detail, title=error.title, code=error.code, **error.extra
            ) from None

    answer.__name__ = handler.__name__
    answer.__doc__ = handler.__doc__
    return answer


def agent_status(service: MockService, call: AdminCall) -> Result:
    return 200, service.agent.status()


def agent_runs(service: MockService, call: AdminCall) -> Result:
    return 200, service.agent.runs()


def claim_batch(service: MockService, call: AdminCall) -> Result:
    claimed = service.agent.claim(call.body)
    return (204, None) if claimed is None else (200, claimed)


def get_batch(service: MockService, call: AdminCall) -> Result:
    return 200, service.agent.get_batch(call.params["batch_id"])


def provide_batch(service: MockService, call: AdminCall) -> Result:
    provided = service.agent.provide(call.params["batch_id"], call.body)
    if provided["saved"]:
        service.mocks_changed()  # the metrics' count of mocks served
    return 200, provided


def release_batch(service: MockService, call: AdminCall) -> Result:
    return 200, service.agent.release(call.params["batch_id"], call.body)


_ROUTES: tuple[tuple[str, str, Callable[[MockService, AdminCall], Result]], ...] = (
    ("GET", "/__mockc/agent", agent_status),
    ("GET", "/__mockc/agent/runs", agent_runs),
    ("POST", "/__mockc/agent/claim", claim_batch),
    ("GET", "/__mockc/agent/batches/{batch_id}", get_batch),
    ("POST", "/__mockc/agent/batches/{batch_id}/provide", provide_batch),
    ("POST", "/__mockc/agent/batches/{batch_id}/release", release_batch),
)
AGENT_ROUTES: tuple[tuple[str, str, Handler], ...] = tuple(
    (method, path, _refusals(handler)) for method, path, handler in _ROUTES
)
