"""``mockc serve``: run a generated server folder, or a spec generated on the fly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from ..console import Console
from ..driver import GenerateOptions, generate
from ..errors import Diagnostic, MockcError
from .errors import reporting_errors

__all__ = ["serve_command"]


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--port", type=int, help="Port (default: $PORT or 8080).")
@click.option("--host", help="Interface (default: $HOST or 127.0.0.1).")
@click.option("--seed", type=int, help="Fake-data seed (default: $MOCKC_SEED or 0).")
@click.argument("server_args", nargs=-1, type=click.UNPROCESSED)
@reporting_errors
def serve_command(
    source: Path,
    port: int | None,
    host: str | None,
    seed: int | None,
    server_args: tuple[str, ...],
) -> None:
    """Serve a generated server folder, or generate one from a spec file and serve it.

    Other options go to the server unchanged: `mockc serve OUT --delay-ms 50-200
    --error-rate 0.1 --unmatched 404` (`python OUT/server.py --help` lists them).
    """
    env = dict(os.environ)
    for name, value in (("PORT", port), ("HOST", host), ("MOCKC_SEED", seed)):
        if value is not None:
            env[name] = str(value)
    if source.is_dir():
        _run_server(source, env, server_args)
        return
    with tempfile.TemporaryDirectory(prefix="mockc-serve-") as temp:
        out = Path(temp) / "server"
        console = Console()
        with console.progress(str(source)) as progress:
            compiled, _ = generate(
                [source], out, GenerateOptions(link_runtime=True, mock_format="json"), progress
            )
        console.diagnostics(compiled.diagnostics)
        _run_server(out, env, server_args)


def _run_server(folder: Path, env: dict[str, str], server_args: tuple[str, ...] = ()) -> None:
    server = folder / "server.py"
    if not server.is_file():
        raise MockcError(
            Diagnostic(file=str(folder), message="no server.py here; is this a generated server?")
        )
    process = subprocess.Popen([sys.executable, str(server), *server_args], env=env)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    sys.exit(code)
