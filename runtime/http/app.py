"""The ASGI application: HTTP requests in, engine replies out.

Everything that can be computed from the contract is computed once, when the
app is built (routes, parameter decoders, encoded header names); validators
compile on an operation's first request. Per request the app routes, decodes
and validates the parameters and body, asks the engine, and writes the reply.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..contract import Contract, http_binding
from ..engine import Hook, Reply, Request
from ..engine.emit import contract_schedules
from ..exceptions import HookError, NotAcceptable, PreferenceError
from ..journal import EntryBuilder
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..sse.channels import SseOptions
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.bodies import DEFAULT_MAX_BODY_BYTES, read_body
from ..web.faults import ResetConnection, delay
from ..web.headers import request_headers
from ..web.health import Health
from ..web.negotiation import choose_media_type, choose_media_type_leniently
from ..web.preferences import parse_prefer
from ..web.problems import Problem, send_problem
from ..web.responses import send_response
from ..web.router import Match, MethodNotAllowed, Router
from .channels import (
    channel_operations,
    declared_schedules,
    http_operations,
    served_sockets,
    served_streams,
)
from .encoding import encode_body
from .outputs import OUTPUTS
from .params import split_query
from .replies import ReplyWriter, is_final_status
from .routes import Route

__all__ = ["DEFAULT_MAX_BODY_BYTES", "MockApp"]


HEALTH_PATHS = ("/health",)
logger = logging.getLogger("mockc")


class _Health:
    """The built-in readiness endpoint."""


class MockApp:
    """An ASGI app serving a contract from the server folder ``directory``."""

    def __init__(
        self,
        contract: Contract,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        hooks: Mapping[str, Hook] | None = None,
        validate: bool = True,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        channel_options: SseOptions | None = None,
    ) -> None:
        """``contract`` may hold SSE channel operations beside the HTTP ones
        (``mockc generate openapi.yaml asyncapi.yaml``): their streams are
        served on this port, by the same mock service, so a mock's ``then``
        reaches them (``channel_options``: their heartbeat and replay)."""
        defs = contract.get("defs", {})
        self.title = contract["api"].get("title") or contract["api"].get("name", "API")
        self.validate = validate
        self.max_body_bytes = max_body_bytes
        self.operation_count = len(contract["operations"])
        self.service = MockService(
            directory,
            http_operations(contract) + channel_operations(contract),
            defs,
            encoder=encode_body,
            settings=settings or CoreSettings(),
            protocol="http",
            name=contract["api"].get("name") or "api",
            hooks=hooks,
            choose_media_type=choose_media_type if validate else choose_media_type_leniently,
            outputs=OUTPUTS,
            schedules=contract_schedules(declared_schedules(contract)),
        )
        self.channels = served_streams(contract, self.service, channel_options)
        self.sockets = served_sockets(contract, self.service)
        self.engine = self.service.engine
        self.admin = AdminApp(self.service, title=self.title)
        depth = self.service.settings.json_max_depth
        routes: list[tuple[str, str, Route | _Health]] = [
            (binding["method"], binding["path"], Route(spec, defs, depth))
            for spec in contract["operations"]
            if spec["binding"]["kind"] == "http"
            for binding in (http_binding(spec),)
        ]
        declared = {(method, path) for method, path, _ in routes}
        health = _Health()
        self._builtin_paths = {path for path in HEALTH_PATHS if ("GET", path) not in declared}
        self._builtin_metrics = ("GET", METRICS_PATH) not in declared
        routes += [("GET", path, health) for path in sorted(self._builtin_paths)]
        self.router: Router[Route | _Health] = Router(routes)
        self._health = Health()
        self._replies = ReplyWriter()
        self._journal = EntryBuilder("http", self.service.settings)

    def attach(self) -> None:
        """Start the channels' feeds, if it serves any (from the server's event loop)."""
        if self.channels is not None:
            self.channels.attach()

    def close(self) -> None:
        """Flush the journal and release the state store."""
        if self.channels is not None:
            self.channels.detach()
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            if path.startswith(ADMIN_PREFIX) or (path == METRICS_PATH and self._builtin_metrics):
                await self.admin(scope, receive, send)
                return
            if self.channels is not None:
                found = self.channels.router.match(scope["method"], path)
                if isinstance(found, Match):  # a stream or a channel clients post to
                    await self.channels.serve(scope, receive, send, found)
                    return
            started = time.perf_counter()
            arrived = time.time()
            outcome = _Outcome()
            try:
                await self._serve(scope, receive, send, outcome)
            except Problem as problem:
                outcome.status = problem.status
                outcome.content = problem.body()
                await send_problem(send, problem)
            except ResetConnection:
                outcome.status = 0
                self._record(scope, outcome, started, arrived)
                raise
            except Exception:
                logger.exception("unexpected error on %s %s", scope["method"], scope["path"])
                outcome.status = 500
                await send_problem(send, Problem(500, "unexpected error; see the server log"))
            self._record(scope, outcome, started, arrived)
        elif kind == "websocket" and self.sockets is not None:
            await self.sockets.serve(scope, receive, send)
        elif kind == "lifespan":
            self.attach()  # on the serving loop, before any client
            await lifespan(receive, send)

    def _record(self, scope: Scope, outcome: _Outcome, started: float, arrived: float) -> None:
        request = outcome.request
        reply = outcome.reply
        if reply is _HEALTH_REPLY:
            return
        query: bytes = scope.get("query_string", b"")
        target = scope["path"] + ("?" + query.decode("latin-1") if query else "")
        self.service.record(
            self._journal.entry(
                time=arrived,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                method=scope["method"],
                target=target,
                operation=request.operation_id if request is not None else None,
                status=f"fault:{reply.fault}" if reply and reply.fault else str(outcome.status),
                source=reply.source if reply is not None else "error",
                matched=matched_of(reply, request),
                near_miss=request.near_miss if request is not None else None,
                request_headers=request.headers if request is not None else None,
                request_body=request.raw_body if request is not None else None,
                response_headers=reply.headers if reply is not None else None,
                response_body=outcome.content,
            ),
        )

    # -- one request -------------------------------------------------------

    async def _serve(self, scope: Scope, receive: Receive, send: Send, outcome: _Outcome) -> None:
        method: str = scope["method"]
        raw_path: bytes | None = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        found = self.router.match(method, path)
        if method == "HEAD" and not isinstance(found, Match):
            found = self.router.match("GET", path)
        if not isinstance(found, Match):
            if isinstance(found, MethodNotAllowed):
                allow = ", ".join(found.allowed)
                raise Problem(
                    405,
                    f"{method} is not allowed on {scope['path']}; allowed: {allow}",
                    headers=[("allow", allow)],
                    allowed=list(found.allowed),
                )
            closest = [t for t in found.closest if t not in self._builtin_paths][:3]
            raise Problem(404, f"no route for {method} {scope['path']}", closest=closest)
        route = found.target
        head = method == "HEAD"
        if isinstance(route, _Health):
            outcome.status = 200
            outcome.reply = _HEALTH_REPLY
            await send_response(send, 200, _JSON, self._health.body(), head=head)
            return

        headers: dict[str, Any] = request_headers(scope)
        query_string: bytes = scope.get("query_string", b"")
        query = split_query(query_string.decode("utf-8", "replace")) if query_string else {}
        request = Request(
            route.id, headers=headers, accept=headers.get("accept"), method=method, target=path
        )
        outcome.request = request
        route.decode_params(found.params, query, headers, request, validate=self.validate)

        if route.body is not None:
            raw = await read_body(receive, self.max_body_bytes, headers.get("content-length"))
            route.decode_body(raw, headers.get("content-type"), request, validate=self.validate)
        prefer = headers.get("prefer")
        if prefer:
            request.prefer = parse_prefer(prefer)
            code = request.prefer.get("code")
            if code is not None and code.isdigit() and not is_final_status(code):
                raise Problem(
                    400,
                    f"Prefer: code={code} is not an HTTP status a response can have (200-599)",
                    title="Cannot honour Prefer",
                )
        try:
            reply = await self.service.answer(request)
        except PreferenceError as exc:
            raise Problem(
                400, str(exc), title="Cannot honour Prefer", available=list(exc.available)
            ) from None
        except NotAcceptable as exc:
            raise Problem(406, str(exc), available=list(exc.available)) from None
        except HookError as exc:
            raise Problem(500, str(exc), title="Handler hook failed", hook=exc.hook) from None
        outcome.reply = reply
        if reply.delay_ms > 0:
            await delay(reply.delay_ms)
        outcome.status, outcome.content = self._replies.answer(reply)
        await self._replies.send(send, reply, outcome.status, outcome.content, head)


class _Outcome:
    """What became of one request, for the journal and the metrics."""

    __slots__ = ("content", "reply", "request", "status")

    def __init__(self) -> None:
        self.request: Request | None = None
        self.reply: Reply | None = None
        self.status: int = 0
        self.content: bytes | None = None


_HEALTH_REPLY = Reply(status=200, source="health")
_JSON = b"application/json"
