"""A generated MCP server: the SDK's low-level server whose handlers answer
from the engine, and the ASGI application serving it over streamable HTTP.

Every ``tools/call``, ``resources/read`` and ``prompts/get`` becomes an engine
request (a tool's or prompt's arguments are ``request.body``, a resource
template's variables ``request.path``), answered by hooks, mocks, examples
or fake data, then written as the SDK's result type; every request is
journaled with its method, name or URI, arguments and result or error. The
admin API, ``/health`` and metrics share the HTTP port (``/__mockc/``).
"""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server
from mcp.server.transport_security import TransportSecuritySettings
from mcp.shared.exceptions import MCPError
from mcp.shared.message import CloseSSEStreamCallback

from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..contract import Contract, engine_operations
from ..engine import Hook, Reply, Request
from ..journal import EntryBuilder
from ..json_codec import json_bytes
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.bodies import DEFAULT_MAX_BODY_BYTES
from ..web.health import Health
from ..web.responses import send_response
from .answers import (
    invalid_arguments,
    prompt_result,
    reply_body,
    resource_result,
    rpc_error,
    tool_result,
)
from .arguments import ArgumentCheck, tool_request
from .catalog import Catalog, McpOperation
from .client_requests import InputRequired, resumed_steps
from .completions import complete
from .listing import GONE, ListChanges
from .log_levels import set_log_level
from .lowlevel import McpServer
from .notifications import ResourceNotifier
from .outputs import INTERNAL_ERROR, OUTPUTS
from .pages import page
from .progress import stepped
from .replay import DEFAULT_REPLAY
from .session_events import ResumableSessions
from .sse_transport import SSE_PATH, LegacySse

__all__ = ["MCP_PATH", "McpApp"]

PROTOCOL = "mcp"
MCP_PATH = "/mcp"
HEALTH_PATH = "/health"
INVALID_PARAMS = -32602
RESOURCE_NOT_FOUND = -32002
RESET = "reset"
NO_MOCK_MATCHED = -32004
"""The JSON-RPC error of a call no mock matched under ``MOCKC_UNMATCHED=404``."""
_JSON = b"application/json"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")
Context = ServerRequestContext[Any]


@dataclass(slots=True)
class _Exchange:
    """What the engine was asked and answered during one call (for the journal)."""

    request: Request | None = None
    reply: Reply | None = None


def _encode(data: Any, media_type: str | None, schema: Any = None) -> bytes:
    if isinstance(data, bytes):
        return data
    if isinstance(data, str) and not (media_type and "json" in media_type):
        return data.encode("utf-8")
    return json_bytes(data)


class McpApp:
    """Serves the tools, resources and prompts of ``contract`` from ``directory``."""

    def __init__(
        self,
        contract: Contract,
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        hooks: Mapping[str, Hook] | None = None,
        host: str = "127.0.0.1",
        validate: bool = True,
        stateless: bool = False,
        token: str | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        page_size: int = 0,
        sse: str = "on",
        replay: int = DEFAULT_REPLAY,
    ) -> None:
        settings = settings or CoreSettings()
        api = contract["api"]
        self.title = api.get("title") or api.get("name") or "MCP server"
        self.catalog = Catalog(contract)
        self._input_schemas = {
            name: self.catalog.input_schema(tool) for name, tool in self.catalog.tools.items()
        }
        self.arguments = ArgumentCheck(self._input_schemas) if validate else None
        self.service = MockService(
            directory,
            engine_operations(contract, OUTPUTS),
            contract.get("defs", {}),
            encoder=_encode,
            settings=settings,
            protocol=PROTOCOL,
            name=api.get("name") or "mcp",
            hooks=hooks,
            outputs=OUTPUTS,
        )
        self._journal = EntryBuilder(PROTOCOL, self.service.settings)
        self.notifier = ResourceNotifier(self.catalog, self.service)
        info = contract["mcp"]["server"] if "mcp" in contract else {}
        self.server: Server[Any] = McpServer(
            info.get("name") or api.get("name") or "mcp",
            version=info.get("version") or api.get("version") or "0",
            title=info.get("title") or None,
            instructions=info.get("instructions") or None,
            # the SDK checks Mcp-Param-* headers against this, not a tools/list of its own
            get_tool_input_schema=self._input_schemas.get,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
            on_list_resources=self._list_resources,
            on_list_resource_templates=self._list_templates,
            on_read_resource=self._read_resource,
            on_list_prompts=self._list_prompts,
            on_get_prompt=self._get_prompt,
            on_completion=self._complete,
            on_subscribe_resource=self.notifier.subscribe,
            on_unsubscribe_resource=self.notifier.unsubscribe,
            on_subscriptions_listen=self.notifier.listen,
            on_set_logging_level=set_log_level,
        )
        self.listing = ListChanges(self.catalog, self.service, self.notifier.bus)
        security = _transport_security(host)
        self.sessions = ResumableSessions(
            self.server,
            replay=replay,
            stateless=stateless,
            security_settings=security,
            max_request_body_size=max_body_bytes,
        )
        self.legacy_sse = LegacySse(self.server, security, max_body_bytes) if sse != "off" else None
        self._streamable = sse != "only"
        self._token = token
        self._page_size = page_size
        self.admin = AdminApp(self.service, title=self.title)
        self.standalone_admin = AdminApp(self.service, title=self.title, standalone=True)
        self._health = Health()

    @property
    def operation_count(self) -> int:
        catalog = self.catalog
        return (
            len(catalog.tools)
            + len(catalog.resources)
            + len(catalog.templates)
            + len(catalog.prompts)
        )

    @asynccontextmanager
    async def running(self, *, http: bool = True) -> AsyncIterator[None]:
        """Notifications followed and, over HTTP, the streamable HTTP sessions'
        task group; the server is served inside it."""
        self.notifier.start()
        self.listing.start()
        try:
            if http:
                async with self.sessions.run():
                    yield
            else:
                yield
        finally:
            self.listing.stop()
            self.notifier.stop()

    def close(self) -> None:
        self.service.close()

    # -- streamable HTTP ---------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            if path.startswith(ADMIN_PREFIX) or path == METRICS_PATH:
                await self.admin(scope, receive, send)
            elif self._streamable and path in (MCP_PATH, MCP_PATH + "/"):
                if await self._authorized(scope, send):
                    await self.sessions.handle_request(scope, receive, cast(Any, send))
            elif self.legacy_sse is not None and self.legacy_sse.serves(path):
                if await self._authorized(scope, send):
                    await self.legacy_sse(scope, receive, send)
            elif path == HEALTH_PATH:
                await send_response(
                    send, 200, _JSON, self._health.body(), head=scope["method"] == "HEAD"
                )
            else:
                body = json_bytes({"error": f"no route {path}; MCP is served at {self.where}"})
                await send_response(send, 404, _JSON, body)
        elif kind == "lifespan":
            await lifespan(receive, send)

    @property
    def where(self) -> str:
        """The paths MCP is served at over HTTP."""
        paths = [MCP_PATH] if self._streamable else []
        if self.legacy_sse is not None:
            paths.append(f"{SSE_PATH} (legacy SSE)")
        return " and ".join(paths)

    async def _authorized(self, scope: Scope, send: Send) -> bool:
        """Whether the request may go on (``MOCKC_MCP_TOKEN``); else 401 is answered."""
        if self._token is None or _bearer_is(scope, self._token):
            return True
        body = json_bytes({"error": "a bearer token is required (MOCKC_MCP_TOKEN)"})
        challenge = [(b"www-authenticate", b'Bearer realm="mcp"')]
        await send_response(send, 401, _JSON, body, challenge)
        return False

    # -- the SDK's handlers ------------------------------------------------

    async def _list_tools(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        self.listing.tools_listed_by(ctx.session)

        async def answer(_: _Exchange) -> types.ListToolsResult:
            gone = self.listing.gone_tools
            listed = [tool for tool in self.catalog.tool_list() if tool.name not in gone]
            tools, following = page(listed, _cursor(params), self._page_size)
            return types.ListToolsResult(tools=tools, next_cursor=following)

        return await self._journaled("tools/list", "", None, None, answer)

    async def _list_resources(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourcesResult:
        self.notifier.listed_by(ctx.session)

        async def answer(_: _Exchange) -> types.ListResourcesResult:
            listed = self.catalog.resource_list() + self.notifier.mocked_resources
            resources, following = page(listed, _cursor(params), self._page_size)
            return types.ListResourcesResult(resources=resources, next_cursor=following)

        return await self._journaled("resources/list", "", None, None, answer)

    async def _list_templates(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListResourceTemplatesResult:
        async def answer(_: _Exchange) -> types.ListResourceTemplatesResult:
            listed = self.catalog.template_list()
            templates, following = page(listed, _cursor(params), self._page_size)
            return types.ListResourceTemplatesResult(
                resource_templates=templates, next_cursor=following
            )

        return await self._journaled("resources/templates/list", "", None, None, answer)

    async def _list_prompts(
        self, ctx: Context, params: types.PaginatedRequestParams | None
    ) -> types.ListPromptsResult:
        self.listing.prompts_listed_by(ctx.session)

        async def answer(_: _Exchange) -> types.ListPromptsResult:
            gone = self.listing.gone_prompts
            listed = [prompt for prompt in self.catalog.prompt_list() if prompt.name not in gone]
            prompts, following = page(listed, _cursor(params), self._page_size)
            return types.ListPromptsResult(prompts=prompts, next_cursor=following)

        return await self._journaled("prompts/list", "", None, None, answer)

    async def _call_tool(
        self, ctx: Context, params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        arguments = dict(params.arguments or {})
        tool = self.catalog.tools.get(params.name)

        async def answer(exchange: _Exchange) -> types.CallToolResult | types.InputRequiredResult:
            if tool is None or tool.name in self.listing.gone_tools:
                raise MCPError(INVALID_PARAMS, f"Unknown tool: {params.name}")
            problems = self.arguments.problems(tool.name, arguments) if self.arguments else []
            if problems:
                return invalid_arguments(problems)
            resumed = resumed_steps(params)
            request = tool_request(tool.id, tool.binding.get("http"), arguments)
            cut = ctx.close_sse_stream
            reply = await self._answer(tool, request, params.name, exchange, cut)

            async def ask(step: Request) -> Reply:
                return await self._answer(tool, step, params.name, exchange, cut)

            try:
                reply = await stepped(ctx, tool.name, request, reply, ask, self.service, resumed)
            except InputRequired as needed:
                return needed.result
            return tool_result(tool, reply)

        return await self._journaled("tools/call", params.name, tool, arguments, answer)

    async def _read_resource(
        self, ctx: Context, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        uri = str(params.uri)
        found = self.catalog.resource_for(uri)

        async def answer(exchange: _Exchange) -> types.ReadResourceResult:
            if found is None:
                raise MCPError(RESOURCE_NOT_FOUND, f"Resource not found: {uri}", {"uri": uri})
            resource, variables = found
            request = Request(resource.id, path=dict(variables))
            reply = await self._answer(resource, request, uri, exchange)
            return resource_result(resource, uri, variables, reply)

        return await self._journaled(
            "resources/read", uri, found[0] if found else None, None, answer
        )

    async def _get_prompt(
        self, ctx: Context, params: types.GetPromptRequestParams
    ) -> types.GetPromptResult:
        arguments = dict(params.arguments or {})
        prompt = self.catalog.prompts.get(params.name)

        async def answer(exchange: _Exchange) -> types.GetPromptResult:
            if prompt is None or prompt.name in self.listing.gone_prompts:
                raise MCPError(INVALID_PARAMS, f"Unknown prompt: {params.name}")
            missing = [
                argument["name"]
                for argument in prompt.binding["arguments"]
                if argument["required"] and argument["name"] not in arguments
            ]
            if missing:
                raise MCPError(INVALID_PARAMS, f"Missing required arguments: {', '.join(missing)}")
            request = Request(prompt.id, body=arguments)
            reply = await self._answer(prompt, request, params.name, exchange)
            return prompt_result(prompt, arguments, reply)

        return await self._journaled("prompts/get", params.name, prompt, arguments, answer)

    async def _complete(
        self, ctx: Context, params: types.CompleteRequestParams
    ) -> types.CompleteResult:
        ref = params.ref
        target = ref.name if isinstance(ref, types.PromptReference) else ref.uri

        async def answer(_: _Exchange) -> types.CompleteResult:
            return complete(self.catalog, params)

        arguments = {params.argument.name: params.argument.value}
        return await self._journaled("completion/complete", target, None, arguments, answer)

    # -- engine and journal ------------------------------------------------

    async def _answer(
        self,
        operation: McpOperation,
        request: Request,
        target: str,
        exchange: _Exchange,
        cut: CloseSSEStreamCallback | None = None,
    ) -> Reply:
        """The engine's reply; a ``reset`` fault on a resumable stream (``cut``) closes
        the call's SSE stream there and the call goes on: the client resumes it
        with ``Last-Event-ID``. Elsewhere a fault is a JSON-RPC error."""
        exchange.request = request
        request.method = operation.primitive
        request.target = target
        request.media_type = "application/json"
        request.raw_body = json_bytes(request.body) if request.body is not None else b""
        reply = exchange.reply = self.service.handle(request)
        if reply.delay_ms:
            await asyncio.sleep(reply.delay_ms / 1000.0)
        if reply.fault == GONE:
            raise _gone(operation, target)
        if reply.fault == RESET and cut is not None:
            await cut()
        elif reply.fault:
            raise MCPError(INTERNAL_ERROR, f"fault injected: {reply.fault}")
        if reply.source == "unmatched":
            raise MCPError(NO_MOCK_MATCHED, f"no mock of {operation.id} matched", reply_body(reply))
        error = rpc_error(reply)
        if error is not None:
            raise error
        return reply

    async def _journaled(
        self,
        method: str,
        target: str,
        operation: McpOperation | None,
        arguments: dict[str, Any] | None,
        answer: Callable[[_Exchange], Awaitable[T]],
    ) -> T:
        """Run ``answer`` and journal the call: method, name or URI, arguments,
        and the result or the JSON-RPC error."""
        started, clock = time.time(), time.perf_counter()
        exchange = _Exchange()
        status, source, response = "result", "adapter", b""
        try:
            result = await answer(exchange)
        except MCPError as exc:
            status = f"error:{exc.code}"
            response = json_bytes({"error": exc.error.model_dump(exclude_none=True)})
            raise
        else:
            data = result.model_dump(by_alias=True, exclude_none=True, mode="json")  # type: ignore[attr-defined]
            if data.get("isError"):
                status = "isError"
            elif data.get("resultType") == "input_required":
                status = "input_required"  # asks the client first (2026-07-28)
            response = json_bytes({"result": data})
            return result
        finally:
            reply, request = exchange.reply, exchange.request
            if reply is not None:
                source = reply.source
            self.service.record(
                self._journal.entry(
                    time=started,
                    duration_ms=(time.perf_counter() - clock) * 1000.0,
                    method=method,
                    target=target,
                    operation=operation.id if operation is not None else None,
                    status=status,
                    source=source,
                    matched=matched_of(reply, request),
                    request_body=json_bytes(
                        {"name": target, "arguments": arguments}
                        if arguments is not None
                        else {"name": target}
                    )
                    if target
                    else None,
                    response_body=response,
                )
            )


def _bearer_is(scope: Scope, token: str) -> bool:
    """Whether the request's ``Authorization`` header is ``Bearer <token>``."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return hmac.compare_digest(value, b"Bearer " + token.encode("utf-8"))
    return False


def _gone(operation: McpOperation, target: str) -> MCPError:
    """The error of a call a ``gone`` fault answers: as if the server did not have it."""
    if operation.primitive == "resource":
        return MCPError(RESOURCE_NOT_FOUND, f"Resource not found: {target}", {"uri": target})
    return MCPError(INVALID_PARAMS, f"Unknown {operation.primitive}: {target}")


def _cursor(params: types.PaginatedRequestParams | None) -> str | None:
    return params.cursor if params is not None else None


def _transport_security(host: str) -> TransportSecuritySettings | None:
    """DNS-rebinding protection for a server on a loopback interface, as the
    MCP specification asks of local servers; none on other interfaces."""
    if host not in _LOOPBACK:
        return None
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )
