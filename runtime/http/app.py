"""The ASGI application: HTTP requests in, engine replies out.

Everything that can be computed from the contract is computed once, when the
app is built (routes, parameter decoders, encoded header names); validators
compile on an operation's first request. Per request the app routes, decodes
and validates the parameters and body, asks the engine, and writes the reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..asgi import Receive, Scope, Send, lifespan
from ..contract import Contract, OperationSpec, engine_operations, http_binding
from ..engine import Hook, Reply, Request
from ..exceptions import HookError, NotAcceptable, PreferenceError
from ..header_fields import sendable_header
from ..journal import EntryBuilder
from ..json_codec import json_bytes
from ..service import MockService, matched_of
from ..settings import CoreSettings
from .bodies import BodyDecoder
from .encoding import content_type_header, encode_body, response_media_type
from .framing import INCOMPLETE_BODY
from .negotiation import choose_media_type, choose_media_type_leniently
from .outputs import OUTPUTS
from .params import MISSING, ParamDecoder, ParamError, parse_cookies, split_query
from .preferences import parse_prefer
from .problems import PROBLEM_MEDIA_TYPE, Problem
from .router import Match, MethodNotAllowed, Router
from .validation import OperationValidator

__all__ = ["DEFAULT_MAX_BODY_BYTES", "MockApp"]


DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
HEALTH_PATHS = ("/health",)
_NO_BODY_STATUSES = frozenset({204, 304})
logger = logging.getLogger("mockc")


class _Route:
    """Everything the app needs to serve one operation, prepared at start-up."""

    __slots__ = (
        "body",
        "cookie",
        "header",
        "id",
        "locations",
        "path",
        "query",
        "validator",
    )

    def __init__(self, spec: OperationSpec, defs: Mapping[str, Any], json_max_depth: int) -> None:
        self.id = spec["id"]
        binding = http_binding(spec)
        decoders = [ParamDecoder.compile(param, defs) for param in binding["parameters"]]
        self.path = tuple(d for d in decoders if d.location == "path")
        self.query = tuple(d for d in decoders if d.location == "query")
        self.header = tuple(d for d in decoders if d.location == "header")
        self.cookie = tuple(d for d in decoders if d.location == "cookie")
        self.locations = tuple(sorted({d.location for d in decoders}))
        body = spec["input"]
        self.body = BodyDecoder(body, defs, json_max_depth=json_max_depth) if body else None
        self.validator = OperationValidator(spec, defs)


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
    ) -> None:
        defs = contract.get("defs", {})
        self.title = contract["api"].get("title") or contract["api"].get("name", "API")
        self.validate = validate
        self.max_body_bytes = max_body_bytes
        self.operation_count = len(contract["operations"])
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            defs,
            encoder=encode_body,
            settings=settings or CoreSettings(),
            protocol="http",
            name=contract["api"].get("name") or "api",
            hooks=hooks,
            choose_media_type=choose_media_type if validate else choose_media_type_leniently,
            outputs=OUTPUTS,
        )
        self.engine = self.service.engine
        self.admin = AdminApp(self.service, title=self.title)
        depth = self.service.settings.json_max_depth
        routes: list[tuple[str, str, _Route | _Health]] = [
            (binding["method"], binding["path"], _Route(spec, defs, depth))
            for spec in contract["operations"]
            for binding in (http_binding(spec),)
        ]
        declared = {(method, path) for method, path, _ in routes}
        health = _Health()
        self._builtin_paths = {path for path in HEALTH_PATHS if ("GET", path) not in declared}
        self._builtin_metrics = ("GET", METRICS_PATH) not in declared
        routes += [("GET", path, health) for path in sorted(self._builtin_paths)]
        self.router: Router[_Route | _Health] = Router(routes)
        self._started = time.monotonic()
        self._content_types: dict[str | None, bytes] = {}
        self._journal = EntryBuilder("http", self.service.settings)

    def close(self) -> None:
        """Flush the journal and release the state store."""
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            if path.startswith(ADMIN_PREFIX) or (path == METRICS_PATH and self._builtin_metrics):
                await self.admin(scope, receive, send)
                return
            started = time.perf_counter()
            arrived = time.time()
            outcome = _Outcome()
            try:
                await self._serve(scope, receive, send, outcome)
            except Problem as problem:
                outcome.status = problem.status
                outcome.content = problem.body()
                await self._send_problem(send, problem)
            except _Reset:
                outcome.status = 0
                self._record(scope, outcome, started, arrived)
                raise
            except Exception:
                logger.exception("unexpected error on %s %s", scope["method"], scope["path"])
                outcome.status = 500
                await self._send_problem(send, Problem(500, "unexpected error; see the server log"))
            self._record(scope, outcome, started, arrived)
        elif kind == "lifespan":
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
            document = {
                "status": "ok",
                "version": __version__,
                "uptime": round(time.monotonic() - self._started, 3),
            }
            outcome.status = 200
            outcome.reply = _HEALTH_REPLY
            await self._send(send, 200, [], "application/json", json_bytes(document), head)
            return

        raw_headers = scope["headers"]
        headers: dict[str, Any] = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in raw_headers
        }
        if len(headers) != len(raw_headers):
            headers = _merge_repeated(raw_headers)
        query_string: bytes = scope.get("query_string", b"")
        query = split_query(query_string.decode("utf-8", "replace")) if query_string else {}
        request = Request(
            route.id, headers=headers, accept=headers.get("accept"), method=method, target=path
        )
        outcome.request = request
        self._decode_params(route, found.params, query, headers, request)

        if route.body is not None:
            raw = await self._read_body(receive, headers)
            self._decode_body(route, raw, headers.get("content-type"), request)
        prefer = headers.get("prefer")
        if prefer:
            request.prefer = parse_prefer(prefer)
            code = request.prefer.get("code")
            if code is not None and code.isdigit() and not _is_final_status(code):
                raise Problem(
                    400,
                    f"Prefer: code={code} is not an HTTP status a response can have (200-599)",
                    title="Cannot honour Prefer",
                )
        try:
            reply = self.service.handle(request)
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
            await asyncio.sleep(reply.delay_ms / 1000.0)
        await self._send_reply(send, reply, head, outcome)

    def _decode_params(
        self,
        route: _Route,
        path_params: dict[str, str],
        query: dict[str, list[str]],
        headers: dict[str, Any],
        request: Request,
    ) -> None:
        values: dict[str, dict[str, Any]] = {location: {} for location in route.locations}
        errors: list[dict[str, str]] = []
        if route.path:
            try:
                values["path"] = {
                    decoder.name: decoder.read_text(path_params[decoder.name])
                    for decoder in route.path
                }
            except (ParamError, KeyError):
                for decoder in route.path:
                    text = path_params.get(decoder.name)
                    if text is not None:
                        _decode_into(values["path"], decoder, decoder.read_text, text, errors)
        if query:
            request.query = {name: items[0] for name, items in query.items()}
            for decoder in route.query:
                _decode_into(values["query"], decoder, decoder.from_query, query, errors)
        for decoder in route.header:
            text = headers.get(decoder.name.lower())
            if text is not None:
                _decode_into(values["header"], decoder, decoder.read_text, text, errors)
        if route.cookie or "cookie" in headers:
            cookies = parse_cookies(headers.get("cookie", ""))
            request.cookies = dict(cookies)
            for decoder in route.cookie:
                text = cookies.get(decoder.name)
                if text is not None:
                    _decode_into(values["cookie"], decoder, decoder.read_text, text, errors)
        if self.validate:
            if errors:
                errors += [
                    e
                    for e in route.validator.check_params(values)
                    if e["name"] not in {known["name"] for known in errors}
                ]
            elif values:
                errors = route.validator.check_params(values)
            if errors:
                raise Problem.invalid(400, errors)
        if "path" in values:
            request.path = values["path"]
        if "query" in values:
            request.query.update(values["query"])
        for name, value in values.get("header", {}).items():
            headers[name.lower()] = value
        request.cookies.update(values.get("cookie", {}))

    def _decode_body(
        self, route: _Route, raw: bytes, content_type: str | None, request: Request
    ) -> None:
        assert route.body is not None
        request.raw_body = raw
        if not self.validate:
            try:
                decoded = route.body.decode(content_type, raw)
            except Problem:
                return
        else:
            decoded = route.body.decode(content_type, raw)
            if decoded.validate and decoded.declared is not None:
                violations = route.validator.check_body(decoded.declared, decoded.data)
                if violations:
                    raise Problem.invalid(422, violations)
        request.body = decoded.data
        request.media_type = decoded.media_type

    async def _read_body(self, receive: Receive, headers: Mapping[str, Any]) -> bytes:
        limit = self.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Problem(400, INCOMPLETE_BODY, title="Malformed request")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    # -- writing -----------------------------------------------------------

    async def _send_reply(self, send: Send, reply: Reply, head: bool, outcome: _Outcome) -> None:
        status = reply.status
        if not (isinstance(status, int) and 200 <= status <= 599):
            status = _http_status(reply)
        content = reply.content
        if content is None and reply.body is not None:
            content = encode_body(reply.body, reply.media_type)
        outcome.status = status
        outcome.content = content
        if reply.fault is not None:
            await self._send_fault(send, reply, status, content)
            return
        headers = _encoded_headers(reply.headers) if reply.headers else []
        await self._send(send, status, headers, reply.media_type, content, head)

    async def _send_fault(
        self, send: Send, reply: Reply, status: int, content: bytes | None
    ) -> None:
        """Misbehave as the mock asked: ``empty`` (no body), ``malformed`` (a cut
        body), ``reset`` (headers, part of the body, then the connection drops)."""
        media_type = reply.media_type or "application/json"
        if reply.fault == "empty":
            await self._send(send, status, [], None, None, False)
            return
        body = content or b'{"mockc": "malformed body"}'
        if reply.fault == "malformed":
            cut = body[: max(1, len(body) // 2)] + b"\x00\xff"
            await self._send(send, status, [], media_type, cut, False)
            return
        content_type = content_type_header(response_media_type(media_type)).encode()
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(len(body) + 1).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        raise _Reset

    async def _send(
        self,
        send: Send,
        status: int,
        headers: list[tuple[bytes, bytes]],
        media_type: str | None,
        content: bytes | None,
        head: bool,
    ) -> None:
        if status in _NO_BODY_STATUSES or status < 200:
            content = None
        elif content is None:
            headers.append((b"content-length", b"0"))
        else:
            content_type = self._content_types.get(media_type)
            if content_type is None:
                text = content_type_header(response_media_type(media_type))
                _, text = sendable_header("content-type", text) or ("", text)
                content_type = text.encode("utf-8", "replace")
                self._content_types[media_type] = content_type
            headers.append((b"content-type", content_type))
            headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if head or content is None:
            await send({"type": "http.response.body", "body": b""})
        else:
            await send({"type": "http.response.body", "body": content})

    async def _send_problem(self, send: Send, problem: Problem) -> None:
        headers = [(name.encode("latin-1"), value.encode()) for name, value in problem.headers]
        await self._send(send, problem.status, headers, PROBLEM_MEDIA_TYPE, problem.body(), False)


def _decode_into(
    target: dict[str, Any],
    decoder: ParamDecoder,
    read: Callable[[Any], Any],
    source: Any,
    errors: list[dict[str, str]],
) -> None:
    try:
        value = read(source)
    except ParamError as exc:
        errors.append(
            {
                "in": decoder.location,
                "name": decoder.name,
                "pointer": f"/{decoder.name}",
                "message": str(exc),
            }
        )
        return
    if value is not MISSING:
        target[decoder.name] = value


def _is_final_status(text: str) -> bool:
    """Whether ``text`` is a status a final response can have: 200-599."""
    return len(text) == 3 and text.isascii() and text.isdigit() and 200 <= int(text) <= 599


def _http_status(reply: Reply) -> int:
    """The reply's status as an HTTP status number; a Problem (500) naming what
    answered when it is not one (mock files are checked when they load: hooks)."""
    text = str(reply.status)
    if _is_final_status(text):
        return int(text)
    culprit = reply.source or "the handler hook"
    raise Problem(
        500,
        f"{culprit} answered status {reply.status!r}, which is not a final HTTP status (200-599)",
        title="Handler hook failed" if culprit == "hook" else "Invalid reply status",
    )


def _encoded_headers(headers: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    """A reply's headers as sent: framing headers are the app's, names that are
    not field names are dropped, control characters in values become spaces."""
    encoded = []
    for name, value in headers.items():
        lowered = str(name).lower()
        if lowered in ("content-type", "content-length"):
            continue
        sendable = sendable_header(lowered, str(value))
        if sendable is not None:
            encoded.append((sendable[0].encode("latin-1"), sendable[1].encode("utf-8", "replace")))
    return encoded


def _merge_repeated(raw_headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """Headers with repeated names joined by commas, as HTTP allows."""
    headers: dict[str, Any] = {}
    for name, value in raw_headers:
        key = name.decode("latin-1")
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def _too_large(limit: int) -> Problem:
    return Problem(413, f"the request body is larger than {limit} bytes", limit=limit)


class _Reset(Exception):
    """Raised out of the app so that the server drops the connection mid-answer."""


class _Outcome:
    """What became of one request, for the journal and the metrics."""

    __slots__ = ("content", "reply", "request", "status")

    def __init__(self) -> None:
        self.request: Request | None = None
        self.reply: Reply | None = None
        self.status: int = 0
        self.content: bytes | None = None


_HEALTH_REPLY = Reply(status=200, source="health")
