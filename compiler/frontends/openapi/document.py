"""The document as a whole: its version, info, servers and declared schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ... import ir
from ...errors import UnsupportedSpecError
from ...naming import python_identifier, snake_case
from ..documents import DocumentStore, Location
from ..jsonschema import SchemaDialect
from .context import Context, text

_OPENAPI_VERSIONS = (
    (re.compile(r"3\.0(\.\d+)?(-[\w.]+)?"), SchemaDialect.OPENAPI_3_0),
    (re.compile(r"3\.1(\.\d+)?(-[\w.]+)?"), SchemaDialect.OPENAPI_3_1),
)
_SERVER_VARIABLE = re.compile(r"\{([^{}]+)\}")


def dialect_of(store: DocumentStore, root: Location, document: Mapping[str, Any]) -> SchemaDialect:
    """The version of the document, as the schema dialect it implies."""
    if "swagger" in document:
        if str(document["swagger"]).strip() == "2.0":
            return SchemaDialect.SWAGGER_2
        raise UnsupportedSpecError(
            store.diagnostic(
                root.child("swagger"), f"unsupported Swagger version {document['swagger']!r}"
            )
        )
    if "openapi" in document:
        version = str(document["openapi"]).strip()
        for pattern, dialect in _OPENAPI_VERSIONS:
            if pattern.fullmatch(version):
                return dialect
        raise UnsupportedSpecError(
            store.diagnostic(
                root.child("openapi"),
                f"unsupported OpenAPI version {document['openapi']!r}"
                " (supported: 2.0, 3.0.x, 3.1.x)",
            )
        )
    raise UnsupportedSpecError(
        store.diagnostic(root, "not an OpenAPI document: no 'openapi' or 'swagger' field")
    )


def declare_schemas(ctx: Context) -> None:
    """Name every schema the document declares (``components/schemas`` or
    ``definitions``), in spec order, before references name others."""
    if ctx.is_swagger2:
        at = ctx.root.child("definitions")
        declared = ctx.mapping(ctx.document.get("definitions"), at, "definitions")
    else:
        at = ctx.root.child("components")
        components = ctx.mapping(ctx.document.get("components"), at, "components")
        at = at.child("schemas")
        declared = ctx.mapping((components or {}).get("schemas"), at, "components/schemas")
    for name in declared or {}:
        ctx.schemas.declare(at.child(name), str(name))


def info(ctx: Context) -> Mapping[str, Any]:
    return ctx.mapping(ctx.document.get("info"), ctx.root.child("info"), "info") or {}


def api_name(title: str, path: Path) -> str:
    """A short snake_case identifier: from the title, else the file's stem."""
    for candidate in (title, path.stem):
        if any(char.isalnum() and char.isascii() for char in candidate):
            return snake_case(candidate)
    return python_identifier("", fallback="api")


def servers(ctx: Context) -> tuple[ir.Server, ...]:
    if ctx.is_swagger2:
        return _swagger2_servers(ctx.document)
    raw = ctx.document.get("servers")
    if not isinstance(raw, list):
        return ()
    found: list[ir.Server] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("url"), str):
            ctx.warn(ctx.root.child("servers", index), "a server must have a url; skipped")
            continue
        url = _substitute_variables(item["url"], item.get("variables"))
        found.append(
            ir.Server(url=url, description=text(item.get("description")), protocol=_scheme(url))
        )
    return tuple(found)


def _substitute_variables(url: str, variables: Any) -> str:
    if not isinstance(variables, Mapping):
        return url

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1))
        if isinstance(variable, Mapping) and variable.get("default") is not None:
            return str(variable["default"])
        return match.group(0)

    return _SERVER_VARIABLE.sub(default, url)


def _swagger2_servers(document: Mapping[str, Any]) -> tuple[ir.Server, ...]:
    host = document.get("host")
    base_path = document.get("basePath")
    base = base_path if isinstance(base_path, str) else ""
    if not isinstance(host, str) or not host:
        return (ir.Server(url=base or "/"),) if base else ()
    declared = document.get("schemes")
    listed = declared if isinstance(declared, list) else []
    schemes = [s for s in listed if isinstance(s, str)] or ["https"]
    return tuple(ir.Server(url=f"{scheme}://{host}{base}", protocol=scheme) for scheme in schemes)


def _scheme(url: str) -> str:
    scheme, separator, _ = url.partition("://")
    return scheme.lower() if separator else ""
