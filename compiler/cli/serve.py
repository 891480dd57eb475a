"""``mockc serve``: run a generated server folder, or a spec generated on the fly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..serving import run_server, serve_spec
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
        sys.exit(run_server(source, env, server_args))
    serve_spec(source, env, server_args)
