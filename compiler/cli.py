"""The ``mockc`` command.

Exit codes: 0 success; 1 bad input (a spec, a mock, an output folder: the
message says what and where); 2 wrong usage of the command; 3 an internal
error of mockc (a bug: the message asks for a report; ``MOCKC_DEBUG=1``
shows the traceback).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from mockc import __version__

from . import ir
from .driver import TARGETS, Compiled, GenerateOptions, compile_specs, generate
from .errors import Diagnostic, MockcError

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


def _reporting_errors(command: F) -> F:
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MockcError as error:
            click.echo(error.render(), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("MOCKC_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"mockc: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in mockc; please report it with the spec that caused it "
                "(MOCKC_DEBUG=1 shows the traceback).",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _print_diagnostics(diagnostics: Sequence[Diagnostic], quiet: bool) -> None:
    if quiet or not diagnostics:
        return
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(excerpt=False), err=True)


_spec_paths = click.argument(
    "specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
_remote_refs = click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Fetch $refs that point at http(s) URLs (off by default: specs are read offline).",
)
_quiet = click.option("-q", "--quiet", is_flag=True, help="Print no warnings about the specs.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockc")
def main() -> None:
    """Compile API contracts into standalone mock servers."""


@main.command("generate")
@_spec_paths
@click.option(
    "-o",
    "--out",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder of the generated server.",
)
@click.option("--target", type=click.Choice(TARGETS), help="Target protocol (default: inferred).")
@click.option(
    "--link-runtime",
    is_flag=True,
    help="Import the installed mockc runtime instead of vendoring a copy into the output.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Default fake-data seed.")
@_remote_refs
@_quiet
@_reporting_errors
def generate_command(
    specs: tuple[Path, ...],
    out: Path,
    target: str | None,
    link_runtime: bool,
    seed: int,
    allow_remote_refs: bool,
    quiet: bool,
) -> None:
    """Generate a mock server from SPECS into OUT."""
    options = GenerateOptions(
        target=target, link_runtime=link_runtime, seed=seed, allow_remote_refs=allow_remote_refs
    )
    compiled, report = generate(list(specs), out, options)
    _print_diagnostics(compiled.diagnostics, quiet)
    operations = len(compiled.api.operations)
    click.echo(
        f"mockc: {out}: {operations} operation{'s' if operations != 1 else ''}; "
        f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged"
        + (f", {len(report.kept_user_files)} of yours kept" if report.kept_user_files else "")
        + (f", {len(report.removed)} stale removed" if report.removed else ""),
        err=True,
    )


@main.command("inspect")
@_spec_paths
@_remote_refs
@_quiet
@_reporting_errors
def inspect_command(specs: tuple[Path, ...], allow_remote_refs: bool, quiet: bool) -> None:
    """Print the IR of SPECS as JSON."""
    compiled = compile_specs(list(specs), allow_remote_refs=allow_remote_refs)
    _print_diagnostics(compiled.diagnostics, quiet)
    click.echo(json.dumps(ir.to_json(compiled.api), indent=2, ensure_ascii=False))


@main.command("validate")
@_spec_paths
@_remote_refs
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@_reporting_errors
def validate_command(specs: tuple[Path, ...], allow_remote_refs: bool, strict: bool) -> None:
    """Check that SPECS can be compiled; print every warning."""
    compiled: Compiled = compile_specs(list(specs), allow_remote_refs=allow_remote_refs)
    _print_diagnostics(compiled.diagnostics, quiet=False)
    count = len(compiled.api.operations)
    warnings = len(compiled.diagnostics)
    click.echo(f"mockc: ok: {count} operation(s), {warnings} warning(s)", err=True)
    if strict and warnings:
        sys.exit(EXIT_BAD_INPUT)


@main.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--port", type=int, help="Port (default: $PORT or 8080).")
@click.option("--host", help="Interface (default: $HOST or 127.0.0.1).")
@click.option("--seed", type=int, help="Fake-data seed (default: $MOCKC_SEED or 0).")
@_reporting_errors
def serve_command(source: Path, port: int | None, host: str | None, seed: int | None) -> None:
    """Serve a generated server folder, or generate one from a spec file and serve it."""
    env = dict(os.environ)
    for name, value in (("PORT", port), ("HOST", host), ("MOCKC_SEED", seed)):
        if value is not None:
            env[name] = str(value)
    if source.is_dir():
        _run_server(source, env)
        return
    with tempfile.TemporaryDirectory(prefix="mockc-serve-") as temp:
        out = Path(temp) / "server"
        compiled, _ = generate([source], out, GenerateOptions(link_runtime=True))
        _print_diagnostics(compiled.diagnostics, quiet=False)
        _run_server(out, env)


def _run_server(folder: Path, env: dict[str, str]) -> None:
    server = folder / "server.py"
    if not server.is_file():
        raise MockcError(
            Diagnostic(file=str(folder), message="no server.py here; is this a generated server?")
        )
    process = subprocess.Popen([sys.executable, str(server)], env=env)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: process.terminate())
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    sys.exit(code)


if __name__ == "__main__":
    main()
