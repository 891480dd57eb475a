"""The orchestrator's routes, one small async function each.

Each takes the context, the request and the caller, and returns a
:class:`~.http.Reply` (or a :class:`~.http.Stream`). ``ROUTES`` lists
(method, path template, handler, scope needed).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote

from mockc import __version__
from mockc.runtime.json_codec import json_bytes
from mockc.runtime.sync import snapshot_of

from .auth import SCOPES, Principal, issue_token, public_token
from .context import Context
from .errors import NotFound, Problem
from .http import Reply, Request, Stream
from .proxy import check_admin_path, forward
from .specs import SpecSource, from_json, from_multipart
from .tokens import Kind
from .webhooks import check_webhook, public_delivery, public_webhook

__all__ = ["ROUTES", "Handler", "admin_proxy"]

Answer = Reply | Stream
Handler = Callable[[Context, Request, Principal], Awaitable[Answer]]


# -- the caller ----------------------------------------------------------------


async def whoami(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await ctx.db(ctx.store.get_token, who.namespace, who.token_id)
    if row is None:
        raise NotFound("this token no longer exists")
    return Reply(document=public_token(row))


# -- servers -------------------------------------------------------------------


async def _spec_source(request: Request, *, required: bool = True) -> SpecSource:
    content_type = request.header("content-type")
    if content_type.lower().startswith("multipart/form-data"):
        return from_multipart(content_type, await request.body())
    body = await request.json(required=required)
    return from_json(body if body is not None else {})


async def list_servers(ctx: Context, request: Request, who: Principal) -> Answer:
    rows = await ctx.db(ctx.store.list_servers, who.namespace)
    documents = await asyncio.gather(*(ctx.servers.describe(row) for row in rows))
    return Reply(document={"servers": list(documents)})


async def create_server(ctx: Context, request: Request, who: Principal) -> Answer:
    document = await ctx.servers.create(who.namespace, await _spec_source(request))
    return Reply(status=201, document=document)


async def get_server(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await ctx.servers.find(who.namespace, request.params["name"])
    return Reply(document=await ctx.servers.describe(row, detail=True))


async def delete_server(ctx: Context, request: Request, who: Principal) -> Answer:
    keep = request.flag("keep_files")
    await ctx.servers.delete(who.namespace, request.params["name"], keep_files=keep)
    return Reply(status=204)


async def start_server(ctx: Context, request: Request, who: Principal) -> Answer:
    return Reply(document=await ctx.servers.start(who.namespace, request.params["name"]))


async def stop_server(ctx: Context, request: Request, who: Principal) -> Answer:
    return Reply(document=await ctx.servers.stop(who.namespace, request.params["name"]))


async def restart_server(ctx: Context, request: Request, who: Principal) -> Answer:
    return Reply(document=await ctx.servers.restart(who.namespace, request.params["name"]))


async def regenerate_server(ctx: Context, request: Request, who: Principal) -> Answer:
    source = await _spec_source(request, required=False)
    result = await ctx.servers.regenerate(who.namespace, request.params["name"], source)
    return Reply(document=result)


async def server_logs(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await ctx.servers.find(who.namespace, request.params["name"])
    lines = request.integer("tail", 100, low=0, high=100_000)
    follow = request.flag("follow")
    if not follow:
        text = "".join(line + "\n" for line in ctx.servers.log_tail(row, lines))
        return Reply(raw=text.encode(), media_type="text/plain; charset=utf-8")
    return Stream(_follow(ctx.servers.folder(row) / "server.log", ctx.servers.log_tail(row, lines)))


async def _follow(path: Any, first: list[str]) -> AsyncIterator[bytes]:
    yield "".join(line + "\n" for line in first).encode()
    try:
        position = path.stat().st_size
    except OSError:
        position = 0
    while True:
        await asyncio.sleep(0.25)
        try:
            size = path.stat().st_size
        except OSError:
            return  # the server was deleted
        if size < position:
            position = 0
        if size > position:
            with path.open("rb") as file:
                file.seek(position)
                chunk = file.read(size - position)
            position = size
            yield chunk


# -- a server's admin API ----------------------------------------------------------


async def _admin(ctx: Context, request: Request, who: Principal, path: str) -> Reply:
    row = await ctx.servers.find(who.namespace, request.params["name"])
    body = await request.body() if request.method in ("POST", "PUT", "PATCH") else b""
    reply = await forward(
        ctx.servers,
        row,
        request.method,
        path,
        query=request.query_string,
        body=body,
        headers={"content-type": request.header("content-type"), "accept": "application/json"},
    )
    await _announce(ctx, row, request.method, path, reply)
    return reply


async def _announce(
    ctx: Context, row: dict[str, Any], method: str, path: str, reply: Reply
) -> None:
    parts = path.strip("/").split("/")
    if parts[0] != "mocks" or (len(parts) > 1 and parts[1] == "reload"):
        return
    summary = ctx.servers.summary(row)
    if method == "POST" and reply.status == 201 and len(parts) == 1:
        try:
            mock = json.loads(reply.raw or b"{}")
        except ValueError:
            mock = {}
        await ctx.webhooks.emit(row["namespace"], "mock.created", {"server": summary, "mock": mock})
    elif method == "DELETE" and reply.status == 204 and len(parts) == 2:
        await ctx.webhooks.emit(
            row["namespace"], "mock.deleted", {"server": summary, "mock": {"id": parts[1]}}
        )


def _fixed(path: str) -> Handler:
    async def handler(ctx: Context, request: Request, who: Principal) -> Answer:
        target = path.format(
            **{k: quote(v, safe="") for k, v in request.params.items() if k != "name"}
        )
        return await _admin(ctx, request, who, target)

    handler.__name__ = "admin_" + path.replace("/", "_").replace("{", "").replace("}", "")
    return handler


async def admin_proxy(ctx: Context, request: Request, who: Principal) -> Answer:
    return await _admin(ctx, request, who, check_admin_path(request.params["path"]))


async def sync_snapshot(ctx: Context, request: Request, who: Principal) -> Answer:
    """The server's mocks, scenarios and active scenario, for replicas (ETag polling)."""
    row = await ctx.servers.find(who.namespace, request.params["name"])
    replica = request.header("x-mockc-replica")
    if replica:
        ctx.servers.replicas.seen(
            row["id"],
            replica[:200],
            mocks=request.header("x-mockc-replica-mocks")[:20],
            problems=request.header("x-mockc-replica-problems")[:20],
            snapshot=request.header("if-none-match")[:100] or None,
        )
    mocks = await forward(ctx.servers, row, "GET", "mocks")
    active = await forward(ctx.servers, row, "GET", "scenarios/active")
    if mocks.status != 200 or active.status != 200:
        raise Problem(502, f"server {row['name']!r} did not list its mocks")
    document = snapshot_of(
        json.loads(mocks.raw or b"{}").get("mocks", []),
        json.loads(active.raw or b"{}").get("name"),
    )
    content = json_bytes(document)
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    headers = [("etag", etag)]
    if etag in [tag.strip() for tag in request.header("if-none-match").split(",")]:
        return Reply(status=304, raw=b"", headers=headers)
    return Reply(raw=content, headers=headers)


# -- tokens --------------------------------------------------------------------


async def list_tokens(ctx: Context, request: Request, who: Principal) -> Answer:
    rows = await ctx.db(ctx.store.list_tokens, who.namespace)
    return Reply(document={"tokens": [public_token(row) for row in rows]})


async def create_token(ctx: Context, request: Request, who: Principal) -> Answer:
    body = await request.json()
    if not isinstance(body, dict):
        raise Problem(400, "the request body must be a JSON object")
    unknown = sorted(set(body) - {"name", "scope", "kind", "expires_in"})
    if unknown:
        raise Problem(400, f"unknown field(s): {', '.join(unknown)}")
    kind = body.get("kind", "user")
    if kind not in ("user", "integration"):
        raise Problem(400, "'kind' must be 'user' or 'integration'")
    expires_in = body.get("expires_in")
    if expires_in is not None and (
        not isinstance(expires_in, int | float)
        or isinstance(expires_in, bool)
        or not 0 < expires_in <= 10 * 365 * 86400
    ):
        raise Problem(400, "'expires_in' must be seconds, more than 0 and at most ten years")
    scope = body.get("scope", "read")
    if scope not in SCOPES:
        raise Problem(400, f"'scope' must be one of {list(SCOPES)}")
    row, token = await ctx.db(
        issue_token,
        ctx.store,
        ctx.pepper,
        namespace=who.namespace,
        name=body.get("name"),
        scope=scope,
        kind=Kind.INTEGRATION if kind == "integration" else Kind.USER,
        expires_at=time.time() + expires_in if expires_in is not None else None,
    )
    return Reply(status=201, document={**public_token(row), "token": token})


async def _token(ctx: Context, request: Request, who: Principal) -> dict[str, Any]:
    row = await ctx.db(ctx.store.get_token, who.namespace, request.params["id"])
    if row is None:
        raise NotFound(f"no token {request.params['id']!r}")
    return row


async def get_token(ctx: Context, request: Request, who: Principal) -> Answer:
    return Reply(document=public_token(await _token(ctx, request, who)))


async def revoke_token(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await _token(ctx, request, who)
    await ctx.db(ctx.store.revoke_token, who.namespace, row["id"])
    return Reply(document=public_token(await _token(ctx, request, who)))


async def delete_token(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await _token(ctx, request, who)
    await ctx.db(ctx.store.delete_token, who.namespace, row["id"])
    return Reply(status=204)


# -- webhooks ------------------------------------------------------------------


async def list_webhooks(ctx: Context, request: Request, who: Principal) -> Answer:
    rows = await ctx.db(ctx.store.list_webhooks, who.namespace)
    return Reply(document={"webhooks": [public_webhook(row) for row in rows]})


async def create_webhook(ctx: Context, request: Request, who: Principal) -> Answer:
    url, events = check_webhook(await request.json())
    row = await ctx.db(ctx.webhooks.create, who.namespace, url, events)
    document = {**public_webhook(row), "secret": ctx.webhooks.secret(row["id"])}
    return Reply(status=201, document=document)


async def _webhook(ctx: Context, request: Request, who: Principal) -> dict[str, Any]:
    row = await ctx.db(ctx.store.get_webhook, who.namespace, request.params["id"])
    if row is None:
        raise NotFound(f"no webhook {request.params['id']!r}")
    return row


async def get_webhook(ctx: Context, request: Request, who: Principal) -> Answer:
    return Reply(document=public_webhook(await _webhook(ctx, request, who)))


async def delete_webhook(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await _webhook(ctx, request, who)
    await ctx.db(ctx.store.delete_webhook, who.namespace, row["id"])
    return Reply(status=204)


async def list_deliveries(ctx: Context, request: Request, who: Principal) -> Answer:
    row = await _webhook(ctx, request, who)
    limit = request.integer("limit", 100, low=1, high=1000)
    rows = await ctx.db(ctx.store.list_deliveries, row["id"], limit)
    return Reply(document={"deliveries": [public_delivery(found) for found in rows]})


# -- the orchestrator ------------------------------------------------------------


async def health(ctx: Context, request: Request, who: Principal | None) -> Answer:
    return Reply(
        document={
            "status": "ok",
            "version": __version__,
            "uptime": round(time.time() - ctx.started, 3),
        }
    )


Route = tuple[str, str, Handler, str]
_S = "/servers/{name}"
ROUTES: tuple[Route, ...] = (
    ("GET", "/whoami", whoami, "read"),
    ("GET", "/servers", list_servers, "read"),
    ("POST", "/servers", create_server, "write"),
    ("GET", _S, get_server, "read"),
    ("DELETE", _S, delete_server, "write"),
    ("POST", f"{_S}/start", start_server, "write"),
    ("POST", f"{_S}/stop", stop_server, "write"),
    ("POST", f"{_S}/restart", restart_server, "write"),
    ("POST", f"{_S}/regenerate", regenerate_server, "write"),
    ("GET", f"{_S}/logs", server_logs, "read"),
    ("GET", f"{_S}/sync", sync_snapshot, "read"),
    ("GET", f"{_S}/mocks", _fixed("mocks"), "read"),
    ("POST", f"{_S}/mocks", _fixed("mocks"), "write"),
    ("POST", f"{_S}/mocks/reload", _fixed("mocks/reload"), "write"),
    ("GET", f"{_S}/mocks/{{id}}", _fixed("mocks/{id}"), "read"),
    ("PUT", f"{_S}/mocks/{{id}}", _fixed("mocks/{id}"), "write"),
    ("DELETE", f"{_S}/mocks/{{id}}", _fixed("mocks/{id}"), "write"),
    ("GET", f"{_S}/scenarios", _fixed("scenarios"), "read"),
    ("POST", f"{_S}/scenarios", _fixed("scenarios"), "write"),
    ("GET", f"{_S}/scenarios/active", _fixed("scenarios/active"), "read"),
    ("PUT", f"{_S}/scenarios/active", _fixed("scenarios/active"), "write"),
    ("GET", f"{_S}/scenarios/{{scenario}}", _fixed("scenarios/{scenario}"), "read"),
    ("DELETE", f"{_S}/scenarios/{{scenario}}", _fixed("scenarios/{scenario}"), "write"),
    ("GET", f"{_S}/journal", _fixed("journal"), "read"),
    ("DELETE", f"{_S}/journal", _fixed("journal"), "write"),
    ("GET", f"{_S}/journal/analysis", _fixed("journal/analysis"), "read"),
    ("GET", f"{_S}/journal/{{entry}}", _fixed("journal/{entry}"), "read"),
    ("GET", f"{_S}/state", _fixed("state"), "read"),
    ("DELETE", f"{_S}/state", _fixed("state"), "write"),
    ("GET", "/tokens", list_tokens, "admin"),
    ("POST", "/tokens", create_token, "admin"),
    ("GET", "/tokens/{id}", get_token, "admin"),
    ("DELETE", "/tokens/{id}", delete_token, "admin"),
    ("POST", "/tokens/{id}/revoke", revoke_token, "admin"),
    ("GET", "/webhooks", list_webhooks, "admin"),
    ("POST", "/webhooks", create_webhook, "admin"),
    ("GET", "/webhooks/{id}", get_webhook, "admin"),
    ("DELETE", "/webhooks/{id}", delete_webhook, "admin"),
    ("GET", "/webhooks/{id}/deliveries", list_deliveries, "admin"),
)
