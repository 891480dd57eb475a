"""``mockc inspect``: the IR of specs, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .. import ir
from ..driver import compile_specs
from .errors import reporting_errors
from .options import (
    include_option,
    print_diagnostics,
    quiet_option,
    remote_refs_option,
    spec_paths_argument,
)

__all__ = ["inspect_command"]


@click.command("inspect")
@spec_paths_argument
@remote_refs_option
@include_option
@quiet_option
@reporting_errors
def inspect_command(
    specs: tuple[Path, ...],
    allow_remote_refs: bool,
    include_paths: tuple[Path, ...],
    quiet: bool,
) -> None:
    """Print the IR of SPECS as JSON."""
    compiled = compile_specs(
        list(specs), allow_remote_refs=allow_remote_refs, include_paths=include_paths
    )
    print_diagnostics(compiled.diagnostics, quiet)
    click.echo(json.dumps(ir.to_json(compiled.api), indent=2, ensure_ascii=False))
