"""The admin API as an ASGI app, under the reserved prefix ``/__mockc/``.

The HTTP adapter hands it every request under the prefix (and ``/metrics``);
servers whose main port is not HTTP (gRPC, brokers) serve it alone on
``MOCKC_ADMIN_PORT``. With ``MOCKC_ADMIN_TOKEN`` set, every route but the
health check needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from ..journal import EntryBuilder
from ..json_codec import JsonLimitError, json_bytes, parse_json
from ..service import MockService
from ..state import StateError
from ..ui import UI_HEADERS, ui_asset
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.bodies import read_body
from ..web.health import Health
from ..web.problems import PROBLEM_MEDIA_TYPE, Problem
from ..web.responses import send_response
from ..web.router import Match, MethodNotAllowed, Router
from .call import AdminCall, Handler
from .document import admin_document
from .routes import ROUTES

__all__ = ["ADMIN_PREFIX", "METRICS_PATH", "UI_PATH", "AdminApp"]


ADMIN_PREFIX = "/__mockc/"
METRICS_PATH = "/metrics"
UI_PATH = "/__mockc/ui/"
MAX_ADMIN_BODY = 5 * 1024 * 1024
_OPEN_PATHS = frozenset({"/__mockc/health", "/health"})


class AdminApp:
    """Serves the admin API of ``service`` and ``/metrics``; ``standalone`` adds ``/health``."""

    def __init__(
        self,
        service: MockService,
        *,
        title: str,
        standalone: bool = False,
        extra_routes: Sequence[tuple[str, str, Handler]] = (),
        extra_paths: Mapping[str, Any] | None = None,
    ) -> None:
        """``extra_routes`` are a server's own admin routes (a broker's publish),
        ``extra_paths`` their entries in the admin API's OpenAPI document."""
        self.service = service
        self.title = title
        self._health = Health()
        document = admin_document(title)
        document["paths"].update(extra_paths or {})
        self._document = json_bytes(document)
        routes: list[tuple[str, str, Handler | str]] = list(ROUTES)
        routes += [
            ("GET", "/__mockc/health", "health"),
            ("GET", "/__mockc/openapi.json", "openapi"),
            ("GET", "/__mockc/metrics", "metrics"),
            ("GET", METRICS_PATH, "metrics"),
        ]
        if standalone:
            routes.append(("GET", "/health", "health"))
        routes += extra_routes
        self.router: Router[Handler | str] = Router(routes)
        self._token = service.settings.admin_token
        self._journal = EntryBuilder("http", service.settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        arrived = time.time()
        method: str = scope["method"]
        path: str = scope["path"]
        extra: list[tuple[bytes, bytes]] = []
        try:
            if path == UI_PATH.rstrip("/") or path.startswith(UI_PATH):
                status, media_type, content, extra = _ui_answer(method, path)
            else:
                status, media_type, content = await self._answer(scope, receive, method, path)
        except StateError as error:  # the shared store (Redis) is away: not the client's fault
            problem = Problem(503, str(error), title="State store unavailable")
            status, media_type, content = problem.status, PROBLEM_MEDIA_TYPE, problem.body()
        except Problem as problem:
            status, media_type, content = problem.status, PROBLEM_MEDIA_TYPE, problem.body()
            extra = problem.raw_headers()
        content_type = media_type.encode() if media_type is not None else None
        await send_response(send, status, content_type, content, extra, head=method == "HEAD")
        query = scope.get("query_string", b"").decode("latin-1")
        self.service.record(
            self._journal.entry(
                time=arrived,
                duration_ms=(time.perf_counter() - started) * 1000.0,
                method=method,
                target=path + (f"?{query}" if query else ""),
                operation=None,
                status=str(status),
                source="admin",
                admin=True,
            )
        )

    async def _answer(
        self, scope: Scope, receive: Receive, method: str, path: str
    ) -> tuple[int, str | None, bytes | None]:
        lookup = "GET" if method == "HEAD" else method
        found = self.router.match(lookup, path)
        if isinstance(found, MethodNotAllowed):
            allow = ", ".join(found.allowed)
            raise Problem(405, f"{method} is not allowed on {path}", headers=[("allow", allow)])
        if not isinstance(found, Match):
            raise Problem(404, f"no admin route {method} {path}; see /__mockc/openapi.json")
        if self._token is not None and path not in _OPEN_PATHS:
            self._authorise(scope)
        target = found.target
        if target == "health":
            return 200, "application/json", self._health.body()
        if target == "openapi":
            return 200, "application/json", self._document
        if target == "metrics":
            content, media_type = self.service.metrics.render()
            return 200, media_type, content
        assert not isinstance(target, str)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        depth = self.service.settings.json_max_depth
        body = await _read_json(receive, depth) if method in ("POST", "PUT") else None
        call = AdminCall(found.params, query, body)
        # off the event loop: journal queries and file writes must not stall serving
        status, document = await asyncio.to_thread(target, self.service, call)
        if status == 204:
            return 204, None, None
        return status, "application/json", json_bytes(document)

    def _authorise(self, scope: Scope) -> None:
        assert self._token is not None
        given = ""
        for name, value in scope["headers"]:
            if name == b"authorization":
                given = value.decode("latin-1")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), self._token.encode()
        ):
            raise Problem(
                401,
                "the admin API needs 'Authorization: Bearer <MOCKC_ADMIN_TOKEN>'",
                headers=[("www-authenticate", 'Bearer realm="mockc admin"')],
            )


def _ui_answer(
    method: str, path: str
) -> tuple[int, str | None, bytes | None, list[tuple[bytes, bytes]]]:
    """The web UI's files, open without the token: they hold no data; the page
    asks for the token and sends it with every call to the admin API."""
    if method not in ("GET", "HEAD"):
        raise Problem(405, f"{method} is not allowed on {path}", headers=[("allow", "GET, HEAD")])
    if path == UI_PATH.rstrip("/"):
        return 308, None, None, [(b"location", UI_PATH.encode())]
    asset = ui_asset(path[len(UI_PATH) :])
    if asset is None:
        raise Problem(404, f"the web UI has no file {path!r}")
    headers = [(name.encode(), value.encode()) for name, value in UI_HEADERS]
    return 200, asset.media_type, asset.content, headers


async def _read_json(receive: Receive, max_depth: int) -> Any:
    raw = await read_body(receive, MAX_ADMIN_BODY)
    if not raw.strip():
        return None
    try:
        return parse_json(raw, max_depth=max_depth)
    except JsonLimitError as error:
        raise Problem(400, f"the request body is refused: {error}") from None
    except ValueError as error:
        raise Problem(400, f"the request body is not JSON: {error}") from None
