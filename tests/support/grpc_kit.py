"""Helpers for the gRPC tests: client stubs made by grpcio-tools, and generated
gRPC servers run as real subprocesses.

    stubs = compile_stubs(tmp, CORPUS / "proto/grpc-route-guide", ["route_guide.proto"])
    pb, pb_grpc = stubs.modules("route_guide")
    with GrpcServer(out) as server:
        stub = pb_grpc.RouteGuideStub(grpc.insecure_channel(server.target))
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import httpx

from tests.support.servers import ServerFailed, free_port

__all__ = ["GrpcServer", "InProcessServer", "Stubs", "compile_stubs"]


class Stubs:
    """``*_pb2`` / ``*_pb2_grpc`` modules compiled into a folder on ``sys.path``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def modules(self, dotted: str) -> tuple[ModuleType, ModuleType]:
        """``modules("google.pubsub.v1.pubsub")`` → (pubsub_pb2, pubsub_pb2_grpc)."""
        return (
            importlib.import_module(f"{dotted}_pb2"),
            importlib.import_module(f"{dotted}_pb2_grpc"),
        )


def compile_stubs(out: Path, include: Path, protos: list[str]) -> Stubs:
    """Client stubs for ``protos`` (relative to ``include``), as grpcio-tools makes them."""
    from grpc_tools import protoc

    out.mkdir(parents=True, exist_ok=True)
    bundled = Path(protoc.__file__).parent / "_proto"
    code = protoc.main(
        [
            "protoc",
            f"-I{include}",
            f"-I{bundled}",
            f"--python_out={out}",
            f"--grpc_python_out={out}",
            *protos,
        ]
    )
    assert code == 0, f"grpc_tools.protoc failed on {protos}"
    if str(out) not in sys.path:
        sys.path.append(str(out))
    importlib.invalidate_caches()
    return Stubs(out)


class GrpcServer:
    """A generated gRPC server as a subprocess, ready once the admin API's
    ``/health`` answers and a gRPC channel connects."""

    def __init__(
        self,
        directory: Path,
        env: dict[str, str] | None = None,
        *,
        python: str = sys.executable,
        start_timeout: float = 30.0,
    ) -> None:
        self.directory = Path(directory)
        self.port = free_port()
        self.admin_port = free_port()
        self.target = f"127.0.0.1:{self.port}"
        self.admin_url = f"http://127.0.0.1:{self.admin_port}"
        self.python = python
        self.start_timeout = start_timeout
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "MOCKC_ADMIN_PORT": str(self.admin_port),
            "HOST": "127.0.0.1",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115

    def start(self) -> GrpcServer:
        self.process = subprocess.Popen(
            [self.python, "server.py"],
            cwd=self.directory,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"server exited with {self.process.returncode}:\n{self.stderr}")
            try:
                if httpx.get(self.admin_url + "/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerFailed(f"server did not start in time:\n{self.stderr}")

    def terminate(self, timeout: float = 10.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.terminate(timeout=5.0)

    @property
    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def __enter__(self) -> GrpcServer:
        return self.start() if self.process is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class InProcessServer:
    """A generated server folder served by the runtime in this process, on a
    thread with its own event loop (for the runtime's own tests)."""

    def __init__(self, directory: Path, env: dict[str, str] | None = None) -> None:
        from mockc.runtime.grpc.server import build_app, parse_settings

        self.port = free_port()
        settings_env = {"MOCKC_JOURNAL": "off", **(env or {}), "PORT": str(self.port)}
        self.settings = parse_settings([], settings_env)
        self.app = build_app(Path(directory), self.settings)
        self.target = f"127.0.0.1:{self.port}"
        self._loop: Any = None
        self._thread: Any = None
        self._server: Any = None

    def __enter__(self) -> InProcessServer:
        import asyncio
        import threading

        from mockc.runtime.grpc.server import build_server

        self._loop = asyncio.new_event_loop()

        async def start() -> None:
            self._server, _ = await build_server(self.app, self.settings)
            await self._server.start()

        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(start(), self._loop).result(10)
        return self

    def __exit__(self, *exc_info: object) -> None:
        import asyncio

        asyncio.run_coroutine_threadsafe(self._server.stop(0), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self.app.close()
