"""``mockc mcp`` as a subprocess for tests: over stdio (the client spawns it) or
over streamable HTTP on a free port, with its own registry of running servers."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from mcp.client.stdio import StdioServerParameters

from .servers import ServerProcess, free_port

__all__ = [
    "MOCKC_MCP",
    "http_server",
    "stdio_parameters",
    "stop_registered",
    "structured",
    "text_of",
]

MOCKC_MCP = [sys.executable, "-m", "mockc.compiler.cli", "mcp"]


def _environment(state: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "XDG_STATE_HOME": str(state)}
    for name in ("MOCKC_ORCHESTRATOR_URL", "MOCKC_ORCHESTRATOR_TOKEN", "MOCKC_ADMIN_TOKEN"):
        env.pop(name, None)
    return {**env, **(extra or {})}


def stdio_parameters(
    state: Path, cwd: Path, env: dict[str, str] | None = None
) -> StdioServerParameters:
    return StdioServerParameters(
        command=MOCKC_MCP[0], args=MOCKC_MCP[1:], cwd=str(cwd), env=_environment(state, env)
    )


def http_server(state: Path, cwd: Path, *extra: str, host: str = "127.0.0.1") -> ServerProcess:
    """``mockc mcp --http`` (not started: enter it as a context)."""
    port = free_port(host)
    command = [*MOCKC_MCP, "--http", "--host", host, "--port", str(port), *extra]
    return ServerProcess(command, cwd, _environment(state), port, host=host)


def text_of(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def structured(result: Any) -> Any:
    """A successful tool result's structured content (else the test fails with its text)."""
    assert not result.is_error, text_of(result)
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(text_of(result))


def stop_registered(state: Path) -> None:
    """Stop what a test left running (a failed test may not reach its stop)."""
    from mockc.compiler.assistant.state import Registry

    for entry in Registry(state / "mockc").entries():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(entry["pid"]), signal.SIGTERM)
