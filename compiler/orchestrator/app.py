"""The orchestrator as an ASGI app: routing, authentication, problems, access log."""

from __future__ import annotations

import asyncio
import logging
import re
import time

from mockc.runtime.json_codec import json_bytes
from mockc.runtime.telemetry import tracer_from_environment
from mockc.runtime.web.asgi import Receive, Scope, Send, lifespan
from mockc.runtime.web.router import Match, MethodNotAllowed, Router

from .auth import Principal, authenticate
from .context import Context
from .document import orchestrator_document
from .errors import Problem
from .http import Reply, Request, Stream, send_reply, send_stream
from .metrics import Metrics
from .routes import ROUTES, Handler, admin_proxy, health
from .ui import ui_reply

__all__ = ["OrchestratorApp"]

log = logging.getLogger("mockc.orchestrator")
_ADMIN_PROXY = re.compile(r"^/servers/([^/]+)/admin/(.+)$")
_PROXY_SCOPES = {"GET": "read", "HEAD": "read"}


class OrchestratorApp:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.metrics = Metrics()
        self.tracer = tracer_from_environment("mockc-orchestrator")
        self._document = json_bytes(orchestrator_document())
        self.router: Router[tuple[Handler, str]] = Router(
            [(method, path, (handler, scope)) for method, path, handler, scope in ROUTES]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        arrived = time.time()
        request = Request(scope, receive)
        method = request.method
        route = "unrouted"
        try:
            route, answer = await self._answer(request)
        except Problem as problem:
            answer = Reply(
                status=problem.status,
                raw=problem.body(),
                media_type="application/problem+json",
                headers=list(problem.headers),
            )
        except Exception:  # noqa: BLE001 - the last line of defence
            log.exception("internal error on %s %s", method, request.path)
            answer = Reply(
                status=500,
                raw=Problem(500, "internal error of the orchestrator (see its log)").body(),
                media_type="application/problem+json",
            )
        if isinstance(answer, Stream):
            self.metrics.observe(method, route, 200, time.perf_counter() - started)
            self._trace(method, route, request, 200, arrived, started)
            await send_stream(send, receive, answer)
            return
        await send_reply(send, answer, head=method == "HEAD")
        self.metrics.observe(method, route, answer.status, time.perf_counter() - started)
        self._trace(method, route, request, answer.status, arrived, started)
        log.info("%s %s %d", method, request.path, answer.status)

    async def _answer(self, request: Request) -> tuple[str, Reply | Stream]:
        method = "GET" if request.method == "HEAD" else request.method
        path = request.path
        if path == "/health" and method == "GET":
            return "/health", await health(self.context, request, None)
        if path == "/ui" or path.startswith("/ui/"):
            return "/ui", ui_reply(method, path)
        proxied = _ADMIN_PROXY.match(path)
        if proxied is not None:
            raw = bytes(request.scope.get("raw_path") or path.encode()).decode("latin-1")
            raw_proxied = _ADMIN_PROXY.match(raw.split("?", 1)[0])
            request.params = {
                "name": proxied.group(1),
                "path": raw_proxied.group(2) if raw_proxied else proxied.group(2),
            }
            who = await self._authenticate(request)
            who.require(_PROXY_SCOPES.get(method, "write"))
            return "/servers/{name}/admin/{path}", await admin_proxy(self.context, request, who)
        found = self.router.match(method, path)
        if isinstance(found, MethodNotAllowed):
            await self._authenticate(request)
            raise Problem(
                405,
                f"{request.method} is not allowed on {path}",
                headers=[("allow", ", ".join(found.allowed))],
            )
        if path in ("/openapi.json", "/metrics") and method == "GET":
            await self._authenticate(request)
            if path == "/metrics":
                content, media_type = self.metrics.render(self.context.servers)
                return path, Reply(raw=content, media_type=media_type)
            return path, Reply(raw=self._document)
        if not isinstance(found, Match):
            await self._authenticate(request)
            raise Problem(404, f"no route {request.method} {path}; see /openapi.json")
        handler, scope = found.target
        who = await self._authenticate(request)
        who.require(scope)
        request.params = found.params
        return found.template, await handler(self.context, request, who)

    def _trace(
        self, method: str, route: str, request: Request, status: int, arrived: float, started: float
    ) -> None:
        """One span per request when OTEL_EXPORTER_OTLP_ENDPOINT is set: the route
        template (never a token, never a query), the server it is about, the status."""
        if self.tracer is None:
            return
        params = request.params
        if route == "unrouted":  # a problem was raised before the route was named
            found = self.router.match("GET" if method == "HEAD" else method, request.path)
            if isinstance(found, Match):
                route, params = found.template, found.params
            elif _ADMIN_PROXY.match(request.path):
                route = "/servers/{name}/admin/{path}"
        attributes: dict[str, str | int | bool] = {
            "http.request.method": method,
            "http.route": route,
            "http.response.status_code": status,
        }
        if "name" in params:
            attributes["mockc.server"] = params["name"]
        self.tracer.request(
            name=f"{method} {route}",
            start=arrived,
            duration_ms=(time.perf_counter() - started) * 1000.0,
            attributes=attributes,
            failed=status >= 500,
        )

    async def _authenticate(self, request: Request) -> Principal:
        return await asyncio.to_thread(
            authenticate,
            request.header("authorization"),
            self.context.store,
            self.context.pepper,
        )
