"""A live MCP server's listings written as an MCP config (``mcp: "1"``), so that
mockc generates a mock of it (``mockc mcp snapshot``).

The official SDK's client connects over streamable HTTP (a URL) or stdio (a
command), lists the tools, resources, resource templates and prompts (every
page of each), and turns them into the config's entries, field for field.
With ``record``, it also keeps what the server answers where asking has no
side effect: read-only tools that need no argument are called (their text,
or their structured content, becomes the tool's ``result``), fixed resources
are read (their text or blob), and prompts are got with each argument given
as its own ``{placeholder}`` (so the recorded messages are templates again).
Without it, a resource's text is empty.
"""

from __future__ import annotations

import asyncio
import os
import shlex
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from .errors import Diagnostic, MockcError
from .frontends.mcp.reading import LISTED_AS_GIVEN

if TYPE_CHECKING:  # the SDK is imported when a snapshot is taken
    from mcp import Client

__all__ = [
    "CONFIG_SCHEMA",
    "SnapshotError",
    "SnapshotSource",
    "config_text",
    "take_snapshot",
]

CONFIG_SCHEMA = "https://mockc.dev/schemas/mcp-config.schema.json"
_ANNOTATIONS = ("title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint")
T = TypeVar("T")


class SnapshotError(MockcError):
    """The server could not be reached, or answered something no config can hold."""


@dataclass(frozen=True, kw_only=True)
class SnapshotSource:
    """Where the live server is: a streamable HTTP ``url``, or a ``command``
    started as a subprocess speaking stdio (in ``cwd``, with ``env`` added)."""

    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    command: Sequence[str] = ()
    cwd: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def stdio(cls, command_line: str, **kw: Any) -> SnapshotSource:
        command = shlex.split(command_line)
        if not command:
            raise SnapshotError("--stdio needs a command (e.g. --stdio 'python server.py')")
        return cls(command=command, **kw)

    def describe(self) -> str:
        return self.url or shlex.join(self.command)


async def take_snapshot(
    source: SnapshotSource, *, record: bool = False, timeout: float = 60.0
) -> dict[str, Any]:
    """The MCP config of the server at ``source`` (see the module's docstring);
    a server that has not answered everything within ``timeout`` seconds is
    a :class:`SnapshotError`."""
    try:
        return await asyncio.wait_for(_taken(source, record), timeout)
    except TimeoutError:
        raise SnapshotError(
            Diagnostic(
                file=source.describe(),
                message=f"the MCP server did not answer within {timeout:g} s (--timeout)",
            )
        ) from None


async def _taken(source: SnapshotSource, record: bool) -> dict[str, Any]:
    import httpx2
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters
    from mcp.client.streamable_http import streamable_http_client

    try:
        if source.url:
            async with (
                httpx2.AsyncClient(headers=dict(source.headers)) as http,
                Client(streamable_http_client(source.url, http_client=http)) as client,
            ):
                return await _config(client, record)
        parameters = StdioServerParameters(
            command=source.command[0],
            args=list(source.command[1:]),
            cwd=str(source.cwd) if source.cwd is not None else None,
            env={**os.environ, **source.env},
        )
        async with Client(parameters) as client:
            return await _config(client, record)
    except SnapshotError:
        raise
    except Exception as exc:  # noqa: BLE001 - every way a connection fails, said once
        raise SnapshotError(
            Diagnostic(file=source.describe(), message=f"no MCP server answered: {_reason(exc)}")
        ) from None


def _reason(exc: BaseException) -> str:
    """The innermost message of ``exc`` (task groups wrap the real one)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


async def _config(client: Client, record: bool) -> dict[str, Any]:
    capabilities = client.server_capabilities
    config: dict[str, Any] = {"$schema": CONFIG_SCHEMA, "mcp": "1"}
    info = client.server_info
    server: dict[str, Any] = {}
    if info is not None:
        server = _present(
            {"name": info.name, "title": getattr(info, "title", None), "version": info.version}
        )
    if client.instructions:
        server["instructions"] = client.instructions
    if server:
        config["server"] = server
    if capabilities.tools is not None:
        tools = await _pages(lambda cursor: client.list_tools(cursor=cursor, cache_mode="bypass"))
        config["tools"] = [
            await _tool(client, tool, record) for page in tools for tool in page.tools
        ]
    if capabilities.resources is not None:
        resources = await _pages(
            lambda cursor: client.list_resources(cursor=cursor, cache_mode="bypass")
        )
        config["resources"] = [
            await _resource(client, resource, record)
            for page in resources
            for resource in page.resources
        ]
        templates = await _pages(
            lambda cursor: client.list_resource_templates(cursor=cursor, cache_mode="bypass")
        )
        config["resourceTemplates"] = [
            _present(
                {
                    "uriTemplate": template.uri_template,
                    "name": template.name,
                    "title": template.title,
                    "description": template.description,
                    "mimeType": template.mime_type,
                }
            )
            | _as_given(template)
            for page in templates
            for template in page.resource_templates
        ]
    if capabilities.prompts is not None:
        prompts = await _pages(
            lambda cursor: client.list_prompts(cursor=cursor, cache_mode="bypass")
        )
        config["prompts"] = [
            await _prompt(client, prompt, record) for page in prompts for prompt in page.prompts
        ]
    return {key: value for key, value in config.items() if value != []}


async def _pages(fetch: Callable[[str | None], Awaitable[T]]) -> list[T]:
    """Every page of a list request, following ``nextCursor``."""
    pages: list[T] = []
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(cursor)
        pages.append(page)
        cursor = getattr(page, "next_cursor", None)
        if not cursor or cursor in seen:
            return pages
        seen.add(cursor)


def _present(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if value is not None}


def _as_given(listed: Any, besides: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of a listed entry that a config keeps as given (``execution``,
    ``icons``, ``_meta``, a resource's ``annotations`` and ``size``)."""
    given: dict[str, Any] = listed.model_dump(by_alias=True, exclude_none=True, mode="json")
    return {key: given[key] for key in LISTED_AS_GIVEN if key in given and key not in besides}


async def _tool(client: Client, tool: Any, record: bool) -> dict[str, Any]:
    hints = None
    if tool.annotations is not None:
        given = tool.annotations.model_dump(by_alias=True, exclude_none=True)
        hints = {key: given[key] for key in _ANNOTATIONS if key in given} or None
    entry = _present(
        {
            "name": tool.name,
            "title": tool.title,
            "description": tool.description,
            "inputSchema": tool.input_schema,
            "outputSchema": tool.output_schema,
            "annotations": hints,
        }
    ) | _as_given(tool, besides=("annotations",))
    required = (tool.input_schema or {}).get("required") or []
    if record and hints is not None and hints.get("readOnlyHint") and not required:
        result = await _answered(client.call_tool(tool.name, {}))
        if result is not None and not result.is_error:
            if tool.output_schema is not None and result.structured_content is not None:
                entry["result"] = result.structured_content
            elif tool.output_schema is None:
                text = _texts(result.content)
                if text is not None:
                    entry["result"] = text
    return entry


async def _answered(call: Awaitable[T]) -> T | None:
    """What a recording call answered; None when the server answered a
    JSON-RPC error (the entry is kept without a recording)."""
    from mcp.shared.exceptions import MCPError

    try:
        return await call
    except MCPError:
        return None


def _texts(content: Sequence[Any]) -> str | None:
    """The text of content blocks that are all text, else None."""
    if not content or any(getattr(block, "type", "") != "text" for block in content):
        return None
    return "".join(block.text for block in content)


async def _resource(client: Client, resource: Any, record: bool) -> dict[str, Any]:
    entry = _present(
        {
            "uri": str(resource.uri),
            "name": resource.name,
            "title": resource.title,
            "description": resource.description,
            "mimeType": resource.mime_type,
        }
    ) | _as_given(resource)
    entry["text"] = ""
    if record:
        read = await _answered(client.read_resource(str(resource.uri)))
        contents: list[Any] = list(read.contents) if read is not None else []
        if len(contents) == 1 and getattr(contents[0], "blob", None) is not None:
            del entry["text"]
            entry["blob"] = contents[0].blob
        elif contents and all(getattr(part, "text", None) is not None for part in contents):
            entry["text"] = "".join(part.text for part in contents)
    return entry


async def _prompt(client: Client, prompt: Any, record: bool) -> dict[str, Any]:
    from mcp_types import TextContent

    arguments = [
        _present(
            {
                "name": argument.name,
                "title": getattr(argument, "title", None),
                "description": argument.description,
                "required": argument.required,
            }
        )
        for argument in prompt.arguments or []
    ]
    entry = _present(
        {
            "name": prompt.name,
            "title": prompt.title,
            "description": prompt.description,
            "arguments": arguments or None,
        }
    ) | _as_given(prompt)
    if record:
        placeholders = {argument["name"]: "{" + argument["name"] + "}" for argument in arguments}
        got = await _answered(client.get_prompt(prompt.name, placeholders))
        messages = got.messages if got is not None else []
        texts = [(m.role, m.content) for m in messages if isinstance(m.content, TextContent)]
        if messages and len(texts) == len(messages):
            entry["messages"] = [
                {"role": role, "content": {"type": "text", "text": content.text}}
                for role, content in texts
            ]
    return entry


class _Dumper(yaml.SafeDumper):
    """Block YAML; multi-line text as literal blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def config_text(config: Mapping[str, Any], *, source: str) -> str:
    """The config as YAML, headed by where it was taken from."""
    body = yaml.dump(dict(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    head = f"# Snapshot of the MCP server {_shown(source)}, by mockc mcp snapshot (docs/mcp.md).\n"
    return head + body


def _shown(source: str) -> str:
    """A URL without its user, password and query (they may hold credentials)."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in source:
        return source
    parts = urlsplit(source)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
