"""What the commands share: the common options and how paths and diagnostics
are shown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ..console import Console
from ..errors import Diagnostic

__all__ = [
    "include_option",
    "print_diagnostics",
    "quiet_option",
    "remote_refs_option",
    "shown",
    "spec_paths_argument",
    "verbose_option",
]


def print_diagnostics(
    diagnostics: Sequence[Diagnostic], quiet: bool, *, verbose: bool = False
) -> None:
    Console(quiet=quiet, verbose=verbose).diagnostics(diagnostics)


spec_paths_argument = click.argument(
    "specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
remote_refs_option = click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Fetch $refs that point at http(s) URLs (off by default: specs are read offline).",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print no warnings about the specs and no progress."
)
verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print every warning and every entry of the report (not only the first few of each kind).",
)
include_option = click.option(
    "-I",
    "--include",
    "include_paths",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder searched for imported .proto files (repeatable; as protoc's -I).",
)


def shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
