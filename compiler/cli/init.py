"""``mockc init``: a starter project config for the specs found here."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import CONFIG_FILE, find_config, find_specs, starter_config
from ..errors import Diagnostic, MockcError
from .errors import reporting_errors

__all__ = ["init_command"]


@click.command("init")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@reporting_errors
def init_command(paths: tuple[Path, ...]) -> None:
    """Write a starter mockc.toml for the specs found under PATHS (default: here)."""
    here = Path.cwd()
    target = here / CONFIG_FILE
    existing = find_config(here)
    if target.exists() or (existing is not None and existing.parent == here.resolve()):
        shown = existing or target
        raise MockcError(
            Diagnostic(
                file=str(shown),
                message="a project config exists already; edit it (or delete it to start over)",
            )
        )
    specs = find_specs(paths or (here,))
    if not specs:
        raise MockcError(
            Diagnostic(
                file=str(here),
                message="found no spec here (OpenAPI/Swagger files); name them: mockc init SPEC…",
            )
        )
    target.write_text(starter_config(specs, here), encoding="utf-8")
    click.echo(
        f"mockc: wrote {CONFIG_FILE} with {len(specs)} server(s); "
        "edit it, then run 'mockc generate'",
        err=True,
    )
