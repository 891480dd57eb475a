"""Calls to a generated server's admin API (``/__mockc/…``).

A tool names the server by what the assistant knows of it:

- a URL (``http://127.0.0.1:8080``): called directly, with ``admin_token``
  (or ``$MOCKC_ADMIN_TOKEN``) when the server needs one;
- the name a server was started under (``start_mock_server``), or its folder:
  looked up in the registry of running servers;
- with an orchestrator configured, the name of one of its servers: called
  through the orchestrator's proxy.

Answers pass through unchanged; a refusal becomes an :class:`AssistantError`
carrying the admin API's problem document as it was written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from .errors import AssistantError, problem_error
from .orchestrator import Orchestrator, response_document
from .state import Registry

__all__ = ["AdminApi", "AdminTarget", "admin_base_of", "segment"]


@dataclass(frozen=True, slots=True)
class AdminTarget:
    label: str
    base: str
    """``base + "mocks"`` is the URL of ``/__mockc/mocks``."""
    headers: dict[str, str] = field(default_factory=dict)


def admin_base_of(entry: dict[str, Any]) -> str:
    """The admin API's base URL of a registry entry (its admin port for gRPC)."""
    port = entry.get("admin_port") or entry["port"]
    return f"http://{_connectable(entry['host'])}:{port}/__mockc/"


def _connectable(host: str) -> str:
    """Where to connect to reach a server listening on ``host``."""
    if host in ("0.0.0.0", "", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def segment(value: str) -> str:
    """``value`` as one path segment."""
    return quote(value, safe="")


class AdminApi:
    """Finds servers and calls their admin APIs."""

    def __init__(
        self, client: httpx.AsyncClient, registry: Registry, orchestrator: Orchestrator | None
    ) -> None:
        self.client = client
        self.registry = registry
        self.orchestrator = orchestrator

    def target(self, server: str, admin_token: str | None = None) -> AdminTarget:
        server = (server or "").strip()
        if not server:
            raise AssistantError(
                "'server' is required: a URL, or a name from discover_mock_servers"
            )
        token = admin_token or os.environ.get("MOCKC_ADMIN_TOKEN") or None
        if server.startswith(("http://", "https://")):
            base = server.rstrip("/").removesuffix("/__mockc") + "/__mockc/"
            return AdminTarget(label=server, base=base, headers=_bearer(token))
        entry = self._registered(server)
        if entry is not None:
            token = admin_token or entry.get("admin_token") or None
            return AdminTarget(
                label=f"server {entry['name']!r}", base=admin_base_of(entry), headers=_bearer(token)
            )
        if self.orchestrator is not None:
            return AdminTarget(
                label=f"server {server!r} of the orchestrator",
                base=self.orchestrator.admin_base(server),
                headers=self.orchestrator.headers,
            )
        known = sorted(entry["name"] for entry in self.registry.entries())
        raise AssistantError(
            f"no running server named {server!r}"
            + (f" (running: {', '.join(known)})" if known else " (none is running)")
            + "; start one with start_mock_server, or give the server's URL"
        )

    def _registered(self, server: str) -> dict[str, Any] | None:
        entry = self.registry.get(server)
        if entry is not None:
            return entry
        if "/" in server or server.startswith("."):
            folder = str(Path(server).expanduser().resolve())
            for candidate in self.registry.entries():
                if candidate.get("folder") == folder:
                    return candidate
        return None

    async def call(
        self,
        target: AdminTarget,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        accept: tuple[int, ...] = (),
    ) -> tuple[int, Any]:
        """``(status, document)`` of ``METHOD /__mockc/PATH``; statuses of 400 and
        more (but those in ``accept``) raise the problem as an :class:`AssistantError`."""
        pairs = {k: _text(v) for k, v in (query or {}).items() if v is not None and v != ""}
        url = target.base + path + (f"?{urlencode(pairs)}" if pairs else "")
        headers = {"accept": "application/json", **target.headers}
        try:
            response = await self.client.request(
                method,
                url,
                json=body if method in ("POST", "PUT") else None,
                headers=headers,
                timeout=60.0,
            )
        except httpx.HTTPError as error:
            raise AssistantError(
                f"{target.label} did not answer at {target.base} ({type(error).__name__}); "
                "is it running? discover_mock_servers lists the running servers"
            ) from None
        document = response_document(response)
        status = response.status_code
        if status >= 400 and status not in accept:
            raise problem_error(f"{target.label}: {method} /__mockc/{path}", status, document)
        return status, document


def _bearer(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
