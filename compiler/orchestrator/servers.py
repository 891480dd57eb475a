"""A server's lifecycle: generate, start, stop, regenerate, delete, describe.

Each server lives in ``DATA/servers/NAMESPACE/NAME/``: ``specs/`` (the files
it was generated from), ``server/`` (the generated server, user edits and
``.mockc/`` included) and ``server.log``. Its row in the store says what it
should be doing (``desired``) and what it is doing (``status``). Operations on
one server are serialised by a lock; different servers proceed in parallel.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import IntegrityError

from mockc.compiler.driver import GenerateOptions, generate
from mockc.compiler.errors import MockcError
from mockc.compiler.merge.output import MergeOptions
from mockc.runtime.telemetry import child_environment

from .errors import Conflict, Invalid, NotFound, Problem
from .names import check_name
from .options import ServerOptions, server_options
from .replicas import Replicas
from .specs import SpecSource, resolve_paths, write_files
from .status import describe
from .store import Store
from .supervisor import LOG_TAIL_ON_FAILURE, Launch, StartFailed, Supervisor, free_port, tail_lines
from .tokens import derived_secret

__all__ = ["Emit", "ServerManager"]

Emit = Callable[[str, str, dict[str, Any]], Awaitable[None]]
"""(namespace, event, data): tell the webhooks."""

_INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")


async def _nothing(namespace: str, event: str, data: dict[str, Any]) -> None:
    return None


class ServerManager:
    def __init__(
        self,
        store: Store,
        data: Path,
        pepper: bytes,
        *,
        host: str = "127.0.0.1",
        spec_root: Path | None = None,
        supervisor: Supervisor | None = None,
    ) -> None:
        self.store = store
        self.root = data / "servers"
        self.pepper = pepper
        self.host = host
        self.spec_root = spec_root
        self.supervisor = supervisor or Supervisor()
        self.emit: Emit = _nothing
        self.client = httpx.AsyncClient(trust_env=False, timeout=30.0)
        self._locks: dict[str, asyncio.Lock] = {}
        self.replicas = Replicas()
        """What synced replicas of each server last reported."""
        self._generating = asyncio.Semaphore(2)

    # -- places --------------------------------------------------------------

    def folder(self, row: dict[str, Any]) -> Path:
        return self.root / row["namespace"] / row["name"]

    def admin_token(self, row: dict[str, Any]) -> str:
        """The server's MOCKC_ADMIN_TOKEN: derived from the pepper, never stored."""
        return derived_secret(self.pepper, f"server-admin:{row['id']}")

    def lock(self, server_id: str) -> asyncio.Lock:
        return self._locks.setdefault(server_id, asyncio.Lock())

    async def find(self, namespace: str, name: str) -> dict[str, Any]:
        check_name(name)
        row = await asyncio.to_thread(self.store.get_server, namespace, name)
        if row is None:
            raise NotFound(f"no server named {name!r}")
        return row

    # -- generation ----------------------------------------------------------

    def _spec_paths(self, row: dict[str, Any], options: ServerOptions) -> list[Path]:
        if row["spec_files"].get("paths"):
            return resolve_paths(self.spec_root, row["spec_files"]["paths"])
        specs = self.folder(row) / "specs"
        names = list(options.entry) or row["spec_files"]["files"]
        missing = [name for name in names if name not in row["spec_files"]["files"]]
        if missing:
            raise Problem(400, f"'entry' names files that were not given: {missing}")
        return [specs / name for name in names]

    async def _generate(
        self, row: dict[str, Any], options: ServerOptions, merge: MergeOptions
    ) -> tuple[str, dict[str, Any]]:
        specs = self._spec_paths(row, options)
        out = self.folder(row) / "server"
        generate_options = GenerateOptions(
            target=options.target,
            seed=options.seed,
            link_runtime=options.link_runtime,
            merge=merge,
        )
        async with self._generating:
            try:
                compiled, report = await asyncio.to_thread(generate, specs, out, generate_options)
            except MockcError as error:
                raise Invalid(
                    "the specs could not be generated",
                    errors=[
                        self._relative(row, d.render(excerpt=False)) for d in error.diagnostics
                    ],
                ) from None
            except Exception as error:  # noqa: BLE001 - reported, not a 500
                raise Invalid(
                    f"mockc failed while generating ({type(error).__name__}: {error}); "
                    "this is a bug in mockc"
                ) from None
        warnings = [self._relative(row, d.render(excerpt=False)) for d in compiled.diagnostics]
        merge_report = report.merge.to_json()
        merge_report.pop("out", None)
        merge_report["warnings"] = warnings
        return options.target or compiled.target, merge_report

    def _relative(self, row: dict[str, Any], text: str) -> str:
        return text.replace(str(self.folder(row) / "specs") + os.sep, "")

    # -- create ----------------------------------------------------------------

    async def create(self, namespace: str, source: SpecSource) -> dict[str, Any]:
        name = check_name(source.fields.get("name"))
        options, flags = server_options(source.fields)
        if source.empty:
            raise Problem(400, "no spec files: give 'files' (or a multipart upload) or 'paths'")
        if source.paths:
            resolve_paths(self.spec_root, source.paths)
        now = time.time()
        row: dict[str, Any] = {
            "id": "srv_" + secrets.token_hex(8),
            "namespace": namespace,
            "name": name,
            "protocol": options.target or "pending",
            "status": "generating",
            "desired": "stopped",
            "options": options.to_json(),
            "spec_files": {"files": sorted(source.files), "paths": source.paths},
            "created_at": now,
            "updated_at": now,
        }
        folder = self.folder(row)
        if folder.exists() and not await asyncio.to_thread(self.store.get_server, namespace, name):
            raise Conflict(
                f"the files of an earlier server named {name!r} were kept (keep_files) in "
                f"servers/{namespace}/{name} under the orchestrator's data folder; remove "
                "them there, or choose another name"
            )
        try:
            await asyncio.to_thread(self.store.add_server, row)
        except IntegrityError:  # the (namespace, name) unique constraint
            raise Conflict(f"a server named {name!r} exists already") from None
        try:
            if source.files:
                await asyncio.to_thread(write_files, folder / "specs", source.files)
            protocol, report = await self._generate(row, options, MergeOptions())
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # before the row: the name stays taken
            await asyncio.to_thread(self.store.delete_server, row["id"])
            raise
        row.update(protocol=protocol, status="stopped")
        await asyncio.to_thread(
            self.store.update_server, row["id"], protocol=protocol, status="stopped"
        )
        if flags["start"]:
            await self.start(namespace, name)
        document = await self.describe(await self.find(namespace, name), detail=True)
        document["warnings"] = report["warnings"]
        return document

    # -- run -------------------------------------------------------------------

    def launch_for(self, row: dict[str, Any]) -> Launch:
        options = row["options"]
        env = {name: os.environ[name] for name in _INHERITED if name in os.environ}
        env.update(child_environment(os.environ, row["name"]))
        env.update(options.get("settings", {}))
        port = free_port(self.host, row.get("port"))
        admin_port = None
        if row["protocol"] == "grpc":
            admin_port = free_port(self.host, row.get("admin_port"))
            if admin_port == port:
                admin_port = free_port(self.host)
            env["MOCKC_ADMIN_PORT"] = str(admin_port)
        env.update(
            PORT=str(port),
            HOST=self.host,
            MOCKC_ADMIN_TOKEN=self.admin_token(row),
            PYTHONUNBUFFERED="1",
        )
        folder = self.folder(row)
        return Launch(
            folder=(folder / "server").resolve(),
            log=folder / "server.log",
            host=self.host,
            port=port,
            admin_port=admin_port,
            env=env,
        )

    async def start(self, namespace: str, name: str) -> dict[str, Any]:
        row = await self.find(namespace, name)
        async with self.lock(row["id"]):
            return await self.start_row(row)

    async def start_row(self, row: dict[str, Any]) -> dict[str, Any]:
        if row["id"] in self.supervisor.children and self.supervisor.children[row["id"]].alive():
            return await self.describe(row)
        launch = self.launch_for(row)
        await asyncio.to_thread(
            self.store.update_server, row["id"], status="starting", desired="running"
        )
        try:
            child = await self.supervisor.start(row["id"], launch)
        except StartFailed as failure:
            await asyncio.to_thread(
                self.store.update_server,
                row["id"],
                status="failed",
                pid=None,
                last_error=str(failure),
            )
            raise Problem(
                502,
                f"server {row['name']!r} did not start: {failure}",
                title="Server failed to start",
                log_tail=failure.log_tail,
            ) from None
        await asyncio.to_thread(
            self.store.update_server,
            row["id"],
            status="running",
            pid=child.pid,
            port=launch.port,
            admin_port=launch.admin_port,
            started_at=child.started_at,
            last_error=None,
        )
        row = await self.find(row["namespace"], row["name"])
        await self.emit(row["namespace"], "server.started", {"server": self.summary(row)})
        return await self.describe(row)

    async def stop(self, namespace: str, name: str, *, desired: str = "stopped") -> dict[str, Any]:
        row = await self.find(namespace, name)
        async with self.lock(row["id"]):
            await self._stop(row, desired=desired)
        return await self.describe(await self.find(namespace, name))

    async def _stop(self, row: dict[str, Any], *, desired: str) -> None:
        was_running = row["id"] in self.supervisor.children
        await self.supervisor.stop(row["id"])
        if row.get("pid"):  # left by an earlier orchestrator and not adopted
            await self.supervisor.stop_pid(row["pid"], self._launch_entry(row))
        await asyncio.to_thread(
            self.store.update_server, row["id"], status="stopped", desired=desired, pid=None
        )
        if was_running:
            await self.emit(row["namespace"], "server.stopped", {"server": self.summary(row)})

    def _launch_entry(self, row: dict[str, Any]) -> Path:
        return (self.folder(row) / "server").resolve() / "server.py"

    async def restart(self, namespace: str, name: str) -> dict[str, Any]:
        row = await self.find(namespace, name)
        async with self.lock(row["id"]):
            await self._stop(row, desired="running")
            return await self.start_row(await self.find(namespace, name))

    # -- regenerate ------------------------------------------------------------

    async def regenerate(self, namespace: str, name: str, source: SpecSource) -> dict[str, Any]:
        row = await self.find(namespace, name)
        previous = ServerOptions(
            **{**row["options"], "entry": tuple(row["options"].get("entry", ()))}
        )
        options, flags = server_options(source.fields, previous, regenerate=True)
        async with self.lock(row["id"]):
            running = row["id"] in self.supervisor.children
            specs = self.folder(row) / "specs"
            kept = self.folder(row) / "specs.previous"
            if source.files:
                if specs.exists():
                    await asyncio.to_thread(shutil.rmtree, kept, True)
                    specs.rename(kept)
                await asyncio.to_thread(write_files, specs, source.files)
                row["spec_files"] = {"files": sorted(source.files), "paths": []}
            elif source.paths:
                resolve_paths(self.spec_root, source.paths)
                row["spec_files"] = {"files": [], "paths": source.paths}
            try:
                protocol, report = await self._generate(
                    row, options, MergeOptions(prune=flags["prune"], theirs=flags["theirs"])
                )
            except BaseException:
                if source.files and kept.exists():  # the specs it has stay those that worked
                    await asyncio.to_thread(shutil.rmtree, specs, True)
                    kept.rename(specs)
                raise
            await asyncio.to_thread(shutil.rmtree, kept, True)
            await asyncio.to_thread(
                self.store.update_server,
                row["id"],
                options=options.to_json(),
                spec_files=row["spec_files"],
                protocol=protocol,
            )
            if running and report["changed"]:  # serve what was generated
                await self._stop(row, desired="running")
                await self.start_row(await self.find(namespace, name))
        document = await self.describe(await self.find(namespace, name), detail=True)
        return {"server": document, "report": report}

    # -- delete ----------------------------------------------------------------

    async def delete(self, namespace: str, name: str, *, keep_files: bool) -> None:
        row = await self.find(namespace, name)
        async with self.lock(row["id"]):
            await self._stop(row, desired="stopped")
            await asyncio.to_thread(self.store.delete_server, row["id"])
            if not keep_files:
                await asyncio.to_thread(shutil.rmtree, self.folder(row), True)
        self._locks.pop(row["id"], None)
        self.replicas.forget(row["id"])

    # -- describe --------------------------------------------------------------

    def summary(self, row: dict[str, Any]) -> dict[str, Any]:
        return {"name": row["name"], "namespace": row["namespace"], "protocol": row["protocol"]}

    def admin_base(self, row: dict[str, Any]) -> str | None:
        child = self.supervisor.children.get(row["id"])
        if child is None:
            return None
        return f"http://127.0.0.1:{child.launch.admin_port or child.launch.port}"

    async def describe(self, row: dict[str, Any], *, detail: bool = False) -> dict[str, Any]:
        return await describe(self, row, detail=detail)

    def log_tail(self, row: dict[str, Any], lines: int = LOG_TAIL_ON_FAILURE) -> list[str]:
        return tail_lines(self.folder(row) / "server.log", lines)
