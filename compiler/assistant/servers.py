"""The tools that run servers: ``start_mock_server``, ``stop_mock_server`` and
``discover_mock_servers``.

Local servers are processes started the way the orchestrator starts its own
(:class:`~..orchestrator.supervisor.Supervisor`: own session, log file, ready
once ``/health`` answers) and written to the registry of running servers, so
that they outlive this process and any ``mockc mcp`` finds them. With an
orchestrator configured, servers are created, started and stopped there.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import httpx
from pydantic import Field

from mockc.runtime.admin.token import is_loopback
from mockc.runtime.telemetry import child_environment

from ..orchestrator.errors import Problem
from ..orchestrator.names import check_name
from ..orchestrator.options import server_options
from ..orchestrator.supervisor import Launch, StartFailed, free_port
from .admin import admin_base_of
from .context import ToolContext
from .errors import AssistantError
from .folders import MANIFEST, describe_folder, server_folders
from .spec_upload import spec_upload

__all__ = ["ServerTools"]

_SKIPPED = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".mockc", ".tox"})
_OWN_ADMIN_PORT = frozenset({"grpc"})
"""Protocols whose main port is not HTTP: the admin API gets a port of its own."""


def public(entry: dict[str, Any]) -> dict[str, Any]:
    """A registry entry as a tool shows it: never the admin token itself."""
    shown = {key: value for key, value in entry.items() if key != "admin_token"}
    shown["admin_token_required"] = bool(entry.get("admin_token"))
    return shown


def _inherited(environ: Mapping[str, str]) -> dict[str, str]:
    """This process's environment for a server, without the settings of servers
    (``MOCKC_…``, ``PORT``, ``HOST``): a server's settings are the ones given."""
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith("MOCKC_") and name not in ("PORT", "HOST")
    }


def _slug(folder: Path) -> str:
    name = re.sub(r"[^a-z0-9-]+", "-", folder.name.lower()).strip("-")[:63].strip("-")
    return name or "server"


class ServerTools:
    def __init__(self, context: ToolContext) -> None:
        self.context = context

    async def start_mock_server(
        self,
        folder: Annotated[
            str | None, Field(description="A generated server's folder (local servers).")
        ] = None,
        name: Annotated[
            str | None,
            Field(description="Name to address it by (default: from the folder's name)."),
        ] = None,
        port: Annotated[int | None, Field(description="Port (default: a free one).")] = None,
        host: Annotated[
            str,
            Field(description="Interface; beyond loopback the admin API gets a token."),
        ] = "127.0.0.1",
        settings: Annotated[
            dict[str, str] | None,
            Field(description="Server settings, MOCKC_… name → value (MOCKC_DELAY_MS …)."),
        ] = None,
        specs: Annotated[
            list[str] | None,
            Field(description="Orchestrator only: spec files to upload for a new server."),
        ] = None,
        spec_files: Annotated[
            dict[str, str] | None,
            Field(description="Orchestrator only: spec contents (file name → text)."),
        ] = None,
        target: Annotated[
            str | None, Field(description="Orchestrator only: target protocol of a new server.")
        ] = None,
        local: Annotated[
            bool, Field(description="Start locally even when an orchestrator is configured.")
        ] = False,
    ) -> dict[str, Any]:
        """Start a mock server: a generated folder as a local process (default), or
        through the orchestrator when MOCKC_ORCHESTRATOR_URL and _TOKEN are set
        (an existing server by name, or a new one from specs). Returns its name,
        URL, admin URL and operations."""
        orchestrator = self.context.orchestrator
        if orchestrator is not None and not local and (folder is None or specs or spec_files):
            return await self._start_remote(name, specs, spec_files, target, settings)
        if folder is None:
            raise AssistantError("give 'folder': the generated server's folder")
        return await self._start_local(Path(folder), name, port, host, settings or {})

    async def _start_local(
        self, given: Path, name: str | None, port: int | None, host: str, settings: dict[str, str]
    ) -> dict[str, Any]:
        folder = given.expanduser().resolve()
        if not (folder / "server.py").is_file():
            inner = server_folders(folder) if folder.is_dir() else []
            hint = (
                f"; it holds several servers: {', '.join(str(f) for f in inner)}"
                if len(inner) > 1
                else "; generate one with generate_mock_server"
            )
            raise AssistantError(f"{folder} has no server.py{hint}")
        try:
            chosen = check_name(name or _slug(folder))
            checked = server_options({"settings": settings})[0].settings
        except Problem as problem:
            raise AssistantError(problem.detail) from None
        registry = self.context.registry
        for running in await asyncio.to_thread(registry.entries):
            if running["folder"] == str(folder):
                return {**public(running), "already_running": True}
        if await asyncio.to_thread(registry.get, chosen) is not None:
            raise AssistantError(f"a server named {chosen!r} runs already; choose another 'name'")
        described = describe_folder(folder)
        protocol = described.get("protocol") or "http"
        main_port = port or free_port(host)
        admin_port = None
        env = _inherited(os.environ)
        env.update(child_environment(os.environ, chosen))
        env.update(checked)
        if protocol in _OWN_ADMIN_PORT:
            admin_port = free_port(host)
            if admin_port == main_port:
                admin_port = free_port(host)
            env["MOCKC_ADMIN_PORT"] = str(admin_port)
        token = None
        if not is_loopback(host):
            token = env["MOCKC_ADMIN_TOKEN"] = secrets.token_urlsafe(32)
        env.update(PORT=str(main_port), HOST=host, PYTHONUNBUFFERED="1")
        launch = Launch(
            folder=folder,
            log=registry.logs / f"{chosen}.log",
            host=host,
            port=main_port,
            admin_port=admin_port,
            env=env,
        )
        try:
            child = await self.context.supervisor.start(chosen, launch)
        except StartFailed as failure:
            tail = "\n".join(failure.log_tail)
            raise AssistantError(f"{chosen} did not start: {failure}\n{tail}") from None
        except OSError as error:
            raise AssistantError(f"{chosen} did not start: {error}") from None
        entry: dict[str, Any] = {
            "name": chosen,
            "folder": str(folder),
            "pid": child.pid,
            "host": host,
            "port": main_port,
            "admin_port": admin_port,
            "protocol": protocol,
            "title": described.get("title"),
            "log": str(launch.log),
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(child.started_at)),
            "admin_token": token,
        }
        entry["url"] = f"http://{host}:{main_port}" if protocol != "grpc" else f"{host}:{main_port}"
        entry["admin_url"] = admin_base_of(entry)
        await asyncio.to_thread(registry.put, entry)
        return {**public(entry), "operations": described.get("operations", [])}

    async def _start_remote(
        self,
        name: str | None,
        specs: list[str] | None,
        spec_files: dict[str, str] | None,
        target: str | None,
        settings: dict[str, str] | None,
    ) -> dict[str, Any]:
        orchestrator = self.context.orchestrator
        assert orchestrator is not None
        client = self.context.client
        if not specs and not spec_files:
            if not name:
                raise AssistantError("give the 'name' of an orchestrator server, or specs")
            path = orchestrator.server_path(name) + "/start"
            return dict(await orchestrator.call(client, "POST", path) or {})
        if not name:
            raise AssistantError("a new orchestrator server needs a 'name'")
        body: dict[str, Any] = {
            "name": name,
            "files": spec_upload(specs, spec_files),
            "start": True,
        }
        if target is not None:
            body["target"] = target
        if settings:
            body["settings"] = settings
        return dict(await orchestrator.call(client, "POST", "/servers", body) or {})

    async def stop_mock_server(
        self,
        server: Annotated[str, Field(description="The name it was started under (or its folder).")],
    ) -> dict[str, Any]:
        """Stop a mock server started with start_mock_server (locally, or on the
        orchestrator when one is configured)."""
        registry = self.context.registry
        entry = await asyncio.to_thread(registry.get, server)
        if entry is None and ("/" in server or server.startswith(".")):
            folder = str(Path(server).expanduser().resolve())
            entry = next(
                (e for e in await asyncio.to_thread(registry.entries) if e["folder"] == folder),
                None,
            )
        if entry is None:
            orchestrator = self.context.orchestrator
            if orchestrator is not None:
                path = orchestrator.server_path(server) + "/stop"
                return dict(await orchestrator.call(self.context.client, "POST", path) or {})
            raise AssistantError(
                f"no running server named {server!r}; discover_mock_servers lists them"
            )
        supervisor = self.context.supervisor
        name = entry["name"]
        if name in supervisor.children:
            code = await supervisor.stop(name)
        else:
            await supervisor.stop_pid(int(entry["pid"]), Path(entry["folder"]) / "server.py")
            code = None
        await asyncio.to_thread(registry.remove, name)
        return {"stopped": name, "folder": entry["folder"], "exit_code": code}

    async def discover_mock_servers(
        self,
        folder: Annotated[
            str, Field(description="Where to look for generated servers (recursively).")
        ] = ".",
        max_depth: Annotated[int, Field(ge=0, le=10, description="How deep to look.")] = 4,
    ) -> dict[str, Any]:
        """The mock servers generated under a folder (from their .mockc/manifest.json)
        and which servers are running (from mockc's registry of the servers it
        started, each health-checked; with an orchestrator, its servers too)."""
        root = Path(folder).expanduser().resolve()
        if not root.is_dir():
            raise AssistantError(f"{root} is not a folder")
        found = await asyncio.to_thread(_generated_under, root, max_depth)
        entries = await asyncio.to_thread(self.context.registry.entries)
        healths = await asyncio.gather(*(self._health(entry) for entry in entries))
        running = [
            {**public(entry), "health": health}
            for entry, health in zip(entries, healths, strict=True)
        ]
        generated = []
        for out in found:
            for server in server_folders(out):
                described = describe_folder(server)
                described["running"] = [r for r in running if r["folder"] == str(server)]
                generated.append(described)
        answer: dict[str, Any] = {"folder": str(root), "generated": generated, "running": running}
        orchestrator = self.context.orchestrator
        if orchestrator is not None:
            try:
                listed = await orchestrator.call(self.context.client, "GET", "/servers")
                answer["orchestrator"] = {"url": orchestrator.url, **(listed or {})}
            except AssistantError as error:
                answer["orchestrator"] = {"url": orchestrator.url, "error": str(error)}
        return answer

    async def _health(self, entry: dict[str, Any]) -> str:
        try:
            answer = await self.context.client.get(admin_base_of(entry) + "health", timeout=2.0)
        except httpx.HTTPError:
            return "unreachable"
        return "ok" if answer.status_code == 200 else f"failing ({answer.status_code})"


def _generated_under(root: Path, max_depth: int) -> list[Path]:
    """The folders under ``root`` holding a generation (``.mockc/manifest.json``)."""
    found: list[Path] = []
    for current, folders, _files in os.walk(root):
        here = Path(current)
        if (here / MANIFEST).is_file():
            found.append(here)
            folders.clear()
            continue
        depth = len(here.relative_to(root).parts)
        folders[:] = sorted(
            name
            for name in folders
            if depth < max_depth and name not in _SKIPPED and not name.startswith(".")
        )
    return sorted(found)
