"""``mockc serve SPEC``: from a spec to a running server in one command.

The server is generated into a temporary folder (mocks as JSON) and served
from it exactly as ``python OUT/server.py`` serves a generated folder: same
settings, answers, errors and journal. What makes it quick:

- the files are written as they are: a new temporary folder holds nothing of
  the user's to merge with, so the merge machinery, its state under
  ``.mockc/`` and the unchanged-input record are left out;
- the passes that only warn are left out (``mockc generate`` and ``mockc
  validate`` report what they find), and so is the IR checker;
- the mocks are written when the server first needs them (:mod:`.serve_mocks`):
  each operation's when it is first asked for, all of them when the admin API
  lists or changes mocks;
- the server takes the contract's data as it was generated, not parsing the
  ``contract.json`` just written;
- the server (linked to the installed runtime) runs in a forked child of this
  process, which has already imported most of the runtime while generating;
  no new interpreter starts and imports it again. Where ``fork`` is missing,
  or another thread runs (forking would copy it half-way), a new interpreter
  runs ``server.py``.

This process waits for the server, forwards SIGTERM (and Ctrl-C) to it,
removes the folder, and exits with the server's exit code.
"""

from __future__ import annotations

import gc
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from mockc.targets.common.contract import CONTRACT_FILE

from .console import Console
from .driver import GenerateOptions, compile_specs, plan_files
from .errors import Diagnostic, MockcError
from .gc_pause import paused_collections
from .passes.mockgen import MOCKS_DIR
from .progress import NO_PROGRESS, Progress
from .serve_mocks import ServeMocks

__all__ = ["ServedFolder", "run_server", "serve_spec", "write_server"]

SERVE_OPTIONS = GenerateOptions(link_runtime=True, mock_format="json")
"""How ``mockc serve SPEC`` generates: the installed runtime, mocks as JSON."""


def serve_spec(spec: Path, env: Mapping[str, str], server_args: Sequence[str]) -> NoReturn:
    """Generate the server of ``spec`` into a temporary folder and serve it
    (``env``: the server's environment) until it stops; exit with its code."""
    with tempfile.TemporaryDirectory(prefix="mockc-serve-") as temp:
        out = Path(temp) / "server"
        console = Console()
        with console.progress(str(spec)) as progress, paused_collections():
            served = write_server(spec, out, progress)
        console.diagnostics(served.diagnostics)
        served.mocks.report = lambda found: console.diagnostics(found, what="the mocks")
        if hasattr(os, "fork") and threading.active_count() == 1:
            code = _served_by_fork(out, env, server_args, served)
        else:
            served.mocks.write_all(out / MOCKS_DIR)
            code = run_server(out, env, server_args)
    sys.exit(code)


@dataclass(frozen=True, kw_only=True)
class ServedFolder:
    """A server written by :func:`write_server`, its mocks not yet."""

    diagnostics: tuple[Diagnostic, ...]
    """The warnings about the spec."""
    mocks: ServeMocks
    """Its mocks, to write when the server first needs them."""
    contract: Any = None
    """The data of its ``contract.json``, handed to the server as it is."""


def write_server(spec: Path, out: Path, progress: Progress = NO_PROGRESS) -> ServedFolder:
    """Write the server of ``spec`` into the new folder ``out``, but for its mocks."""
    progress.phase("reading specs")
    compiled = compile_specs([spec], serving=True)
    progress.phase("generating the server")
    warnings: list[Diagnostic] = []
    files = plan_files(compiled, SERVE_OPTIONS, out, warnings, progress, mocks=False)
    mocks = ServeMocks(compiled.api, seed=SERVE_OPTIONS.seed, mock_format=SERVE_OPTIONS.mock_format)
    progress.phase("writing the server")
    contract = next((file.data for file in files if file.path == CONTRACT_FILE), None)
    folders: set[Path] = set()
    for file in files:
        path = out / file.path
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(file.content)
        path.chmod(0o755 if file.executable else 0o644)
    return ServedFolder(
        diagnostics=compiled.diagnostics + tuple(warnings), mocks=mocks, contract=contract
    )


def run_server(folder: Path, env: Mapping[str, str], server_args: Sequence[str] = ()) -> int:
    """Serve the generated server in ``folder`` with a new interpreter, as
    ``python folder/server.py`` (which imports the runtime it vendors, if it
    does), until it stops; its exit code."""
    server = folder / "server.py"
    if not server.is_file():
        raise MockcError(
            Diagnostic(file=str(folder), message="no server.py here; is this a generated server?")
        )
    process = subprocess.Popen([sys.executable, str(server), *server_args], env=dict(env))
    signal.signal(signal.SIGTERM, lambda _signum, _frame: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def _served_by_fork(
    folder: Path, env: Mapping[str, str], server_args: Sequence[str], served: ServedFolder
) -> int:
    """Serve ``folder`` (linked to the installed runtime) in a forked child,
    which takes the contract as it is and writes the mocks when it first needs them."""
    # What generating built stays in both processes: frozen, the child's
    # collections do not walk it again (its garbage is little: 41,000 objects
    # for GitHub's spec, against 0.25 s to collect them).
    gc.freeze()
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:
        # The server imports these anyway.
        from mockc.runtime.contract import offer_contract
        from mockc.runtime.mocks.pending import offer

        offer(folder, served.mocks)
        if served.contract is not None:
            offer_contract(folder, served.contract)
        _serve_in_child(folder / "server.py", env, server_args)
    return _waited(child)


def _waited(child: int) -> int:
    signal.signal(signal.SIGTERM, lambda _signum, _frame: os.kill(child, signal.SIGTERM))
    while True:
        try:
            _, status = os.waitpid(child, 0)
            return os.waitstatus_to_exitcode(status)
        except KeyboardInterrupt:
            os.kill(child, signal.SIGTERM)


def _serve_in_child(server: Path, env: Mapping[str, str], server_args: Sequence[str]) -> NoReturn:
    """Run ``server.py`` as ``python server.py ARGS`` would, then leave the
    process without returning into the parent's code (nor its clean-ups)."""
    code: int = 1
    try:
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [str(server), *server_args]
        sys.path.insert(0, str(server.parent))
        runpy.run_path(str(server), run_name="__main__")
        code = 0
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except KeyboardInterrupt:
        # As Python itself leaves on an unhandled Ctrl-C: killed by SIGINT.
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _exit_code(code: object) -> int:
    """The process exit code of ``SystemExit(code)``, as Python computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
