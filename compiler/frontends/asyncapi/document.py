"""The document as a whole: its version, info, servers and declared schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ... import ir
from ...errors import UnsupportedSpecError
from ..documents import DocumentStore, Location
from .avro import is_avro_schema
from .context import Context, text

__all__ = ["declare_schemas", "major_version", "servers"]

_VERSION = re.compile(r"(2\.[0-6]|3\.[01])\.\d+(-[\w.]+)?")


def major_version(store: DocumentStore, root: Location, document: Mapping[str, Any]) -> int:
    """2 or 3; other versions are rejected at the ``asyncapi`` field."""
    version = str(document.get("asyncapi", "")).strip()
    if _VERSION.fullmatch(version):
        return int(version[0])
    at = root.child("asyncapi") if "asyncapi" in document else root
    raise UnsupportedSpecError(
        store.diagnostic(
            at,
            f"unsupported AsyncAPI version {version!r} (supported: 2.0–2.6, 3.0, 3.1)",
        )
    )


def declare_schemas(ctx: Context) -> None:
    """Name every schema of ``components/schemas``, in spec order."""
    components, at = ctx.mapping(
        ctx.document.get("components"), ctx.root.child("components"), "components"
    )
    declared, at = ctx.mapping(components.get("schemas"), at.child("schemas"), "components/schemas")
    for name, value in declared.items():
        if isinstance(value, Mapping) and "schemaFormat" in value or is_avro_schema(value):
            continue  # a multi-format or Avro schema: read where a payload uses it
        ctx.schemas.declare(at.child(str(name)), str(name))


def servers(ctx: Context) -> dict[str, ir.Server]:
    """The servers by name (2.x ``url``, 3.0 ``host`` + ``pathname``)."""
    declared, at = ctx.mapping(ctx.document.get("servers"), ctx.root.child("servers"), "servers")
    found: dict[str, ir.Server] = {}
    for name, value in declared.items():
        server, where = ctx.mapping(value, at.child(str(name)), "a server")
        protocol = text(server.get("protocol")).lower()
        if "url" in server:
            url = text(server.get("url"))
            if "://" not in url and protocol:
                url = f"{protocol}://{url}"
        elif "host" in server:
            url = f"{protocol}://{text(server.get('host'))}{text(server.get('pathname'))}"
        else:
            ctx.warn(where, "a server needs a url (2.x) or a host (3.x); skipped")
            continue
        found[str(name)] = ir.Server(
            url=_substitute(url, server.get("variables")),
            description=text(server.get("description")),
            protocol=protocol,
            protocol_version=text(server.get("protocolVersion")),
        )
    return found


def server_path(server: ir.Server) -> str:
    """The path part of a server's URL ("" when it has none)."""
    rest = server.url.partition("://")[2]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else ""


_VARIABLE = re.compile(r"\{([^{}]+)\}")


def _substitute(url: str, variables: Any) -> str:
    if not isinstance(variables, Mapping):
        return url

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, Mapping) and variable.get("default") is not None:
            return str(variable["default"])
        return match.group(0)

    return _VARIABLE.sub(default, url)
