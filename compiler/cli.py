"""The ``mockc`` command.

Exit codes: 0 success; 1 bad input (a spec, a mock, an output folder: the
message says what and where); 2 wrong usage of the command; 3 an internal
error of mockc (a bug: the message asks for a report; ``MOCKC_DEBUG=1``
shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from mockc import __version__
from mockc.runtime.contract import CONTRACT_FILE, ContractError, load_contract

from . import ir
from .cli_conflicts import list_conflicts, merge_command
from .cli_errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_USAGE, reporting_errors
from .config import (
    CONFIG_FILE,
    Config,
    ServerConfig,
    find_config,
    find_specs,
    load_config,
    starter_config,
)
from .console import Console
from .driver import TARGETS, Compiled, GenerateOptions, compile_specs, generate
from .errors import Diagnostic, MockcError
from .merge import LISTED, MergeReport
from .merge.resolve import open_conflicts
from .mockgen import MOCKS_DIR
from .orchestrator.cli import orchestrator_command
from .output import MergeOptions
from .serving import run_server, serve_spec

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_USAGE", "main"]


def _print_diagnostics(
    diagnostics: Sequence[Diagnostic], quiet: bool, *, verbose: bool = False
) -> None:
    Console(quiet=quiet, verbose=verbose).diagnostics(diagnostics)


_spec_paths = click.argument(
    "specs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
_remote_refs = click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Fetch $refs that point at http(s) URLs (off by default: specs are read offline).",
)
_quiet = click.option(
    "-q", "--quiet", is_flag=True, help="Print no warnings about the specs and no progress."
)
_verbose = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print every warning and every entry of the report (not only the first few of each kind).",
)
_include = click.option(
    "-I",
    "--include",
    "include_paths",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder searched for imported .proto files (repeatable; as protoc's -I).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockc")
def main() -> None:
    """Compile API contracts into standalone mock servers."""


@main.command("generate")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder of the generated server. Without it, the servers of the project "
    "config (mockc.toml or [tool.mockc]) are generated: all, or those using SPECS.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The project config (default: mockc.toml or pyproject.toml here or above).",
)
@click.option(
    "--target", type=click.Choice(tuple(TARGETS)), help="Target protocol (default: inferred)."
)
@click.option(
    "--link-runtime",
    is_flag=True,
    default=None,
    help="Import the installed mockc runtime instead of vendoring a copy into the output.",
)
@click.option("--seed", type=int, help="Default fake-data seed (default: 0).")
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 if any output would change, saying which files and why.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete the mocks (and unedited hook stubs) of operations that left the spec.",
)
@click.option(
    "--theirs",
    is_flag=True,
    help="On a conflict (you and the spec changed the same mock field), take the spec's value.",
)
@click.option(
    "--conflicts",
    "list_open",
    is_flag=True,
    help="Generate nothing; list the conflicts still open (resolve them with 'mockc merge').",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Generate into a folder whose .mockc/ is missing or damaged: its files are kept as "
    "yours and merged with this generation (generated files replaced are backed up).",
)
@click.option(
    "--report-json",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Also write the merge report as JSON to this file ('-': standard output).",
)
@click.option(
    "--fail-on-change",
    is_flag=True,
    help="Exit 1 after writing if anything changed (for pre-commit hooks).",
)
@click.option(
    "--allow-remote-refs",
    is_flag=True,
    default=None,
    help="Fetch $refs that point at http(s) URLs (off by default: specs are read offline).",
)
@_include
@_quiet
@_verbose
@reporting_errors
def generate_command(
    specs: tuple[Path, ...],
    out: Path | None,
    config_path: Path | None,
    target: str | None,
    link_runtime: bool | None,
    seed: int | None,
    check: bool,
    prune: bool,
    theirs: bool,
    list_open: bool,
    adopt: bool,
    report_json: Path | None,
    fail_on_change: bool,
    allow_remote_refs: bool | None,
    include_paths: tuple[Path, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Generate mock servers: from SPECS into OUT, or those of the project config.

    Regenerating merges: your edits to mocks and handlers.py are kept, spec
    changes are brought in field by field, and a report says what happened.
    """
    if list_open:
        _list_open_conflicts(out, config_path, specs, quiet)
        return
    merge = MergeOptions(prune=prune, theirs=theirs, adopt=adopt, dry_run=check)
    overrides = {  # given on the command line: they win over the config's
        "target": target,
        "link_runtime": link_runtime,
        "seed": seed,
        "allow_remote_refs": allow_remote_refs,
        "include_paths": include_paths or None,
    }
    if out is not None:
        if not specs:
            raise click.UsageError("give the spec files to generate OUT from")
        jobs = [_Job(name=None, specs=list(specs), out=out, options=_options(overrides, merge))]
    else:
        jobs = _configured_jobs(config_path, specs, overrides, merge, quiet)
    console = Console(quiet=quiet, verbose=verbose)
    results = [_run_job(job, console, check=check) for job in jobs]
    if report_json is not None:
        _write_report_json(report_json, results, check=check)
    failed = any(result.error for result in results)
    changed = any(result.report is not None and result.report.changed for result in results)
    if failed or (changed and (check or fail_on_change)):
        if changed and fail_on_change and not check:
            click.echo("mockc: files changed; review them and stage them", err=True)
        sys.exit(EXIT_BAD_INPUT)


def _list_open_conflicts(
    out: Path | None, config_path: Path | None, specs: tuple[Path, ...], quiet: bool
) -> None:
    if out is not None:
        list_conflicts([(str(out), out)])
        return
    jobs = _configured_jobs(config_path, specs, {}, MergeOptions(), quiet)
    list_conflicts([(f"{job.name} ({_shown(job.out)})", job.out) for job in jobs])


@dataclass(frozen=True, kw_only=True)
class _Job:
    name: str | None
    specs: list[Path]
    out: Path
    options: GenerateOptions


@dataclass(frozen=True, kw_only=True)
class _Result:
    job: _Job
    report: MergeReport | None = None
    error: str | None = None


def _options(overrides: dict[str, Any], merge: MergeOptions, **configured: Any) -> GenerateOptions:
    values = {**configured, **{k: v for k, v in overrides.items() if v is not None}}
    return GenerateOptions(**values, merge=merge)


def _configured_jobs(
    config_path: Path | None,
    specs: tuple[Path, ...],
    overrides: dict[str, Any],
    merge: MergeOptions,
    quiet: bool,
) -> list[_Job]:
    path = config_path or find_config(Path.cwd())
    if path is None:
        raise click.UsageError(
            "no -o OUT given and no project config found (mockc.toml, or [tool.mockc] in "
            "pyproject.toml, here or above); give -o, or write one with 'mockc init'"
        )
    config = load_config(path)
    servers = list(config.servers)
    if specs:
        servers = _affected(config, specs)
        if not servers and not quiet:
            click.echo(
                f"mockc: no server in {_shown(config.path)} uses "
                + ", ".join(str(spec) for spec in specs)
                + "; nothing to do",
                err=True,
            )
    return [
        _Job(
            name=server.name,
            specs=list(server.specs),
            out=server.out,
            options=_options(
                overrides,
                merge,
                target=server.target,
                link_runtime=server.link_runtime,
                seed=server.seed,
                allow_remote_refs=server.allow_remote_refs,
            ),
        )
        for server in servers
    ]


def _affected(config: Config, specs: Sequence[Path]) -> list[ServerConfig]:
    """The servers that read any of ``specs``: as a configured spec, or as a
    document a spec refers to; every server when the config itself is given."""
    given = {spec.resolve() for spec in specs}
    if config.path in given:
        return list(config.servers)
    affected = []
    for server in config.servers:
        if given & set(server.specs):
            affected.append(server)
            continue
        try:
            compiled = compile_specs(list(server.specs), allow_remote_refs=False)
        except MockcError:
            continue  # its own specs are unchanged; a broken ref shows when they change
        sources = {Path(source).resolve() for source in compiled.api.sources}
        if given & sources:
            affected.append(server)
    return affected


def _run_job(job: _Job, console: Console, *, check: bool) -> _Result:
    label = f"{job.name} ({_shown(job.out)})" if job.name else str(job.out)
    try:
        with console.progress(label) as progress:
            compiled, report = generate(job.specs, job.out, job.options, progress)
    except MockcError as error:
        click.echo(error.render(), err=True)
        return _Result(job=job, error=error.render(excerpt=False))
    console.diagnostics(compiled.diagnostics)
    merge = report.merge
    operations = len(compiled.operation_ids)
    counted = f"{operations} operation{'s' if operations != 1 else ''}"
    if check:
        if not merge.changed:
            console.say(f"mockc: {label}: {counted}; up to date")
        else:
            console.say(
                f"mockc: {label}: {counted}; out of date: {len(merge.changed_files)} file(s) "
                "would change:"
            )
            for line in _why(merge, verbose=console.verbose):
                console.say(f"  {line}")
        return _Result(job=job, report=merge)
    summary = merge.summary()
    console.say(
        f"mockc: {label}: {counted}; "
        f"{len(report.written)} file(s) written, {len(report.unchanged)} unchanged"
        + (f", {len(report.kept_user_files)} of yours kept" if report.kept_user_files else "")
        + (f", {len(report.removed)} stale removed" if report.removed else "")
        + (f" ({summary})" if summary else "")
    )
    console.report_lines(merge.lines(verbose=console.verbose))
    left_open = len(open_conflicts(job.out))
    if left_open:
        console.say(
            f"mockc: {label}: {left_open} conflict(s) left open, yours kept: "
            "'mockc merge --theirs PATH' takes the spec's version of a file, "
            "'mockc generate --conflicts' lists them",
            style="bold",
        )
    return _Result(job=job, report=merge)


def _why(merge: MergeReport, *, verbose: bool = False) -> list[str]:
    """Each file that would change, and the report's reasons for it."""
    reasons: dict[str, list[str]] = {}
    for entry in merge.entries:
        if entry.changes_file:
            text = f"{entry.kind.value}" + (f" [{entry.field}]" if entry.field else "")
            reasons.setdefault(entry.file, []).append(f"{text}: {entry.detail}")
    lines = []
    for path in merge.changed_files:
        if path.startswith(".mockc/"):
            continue
        lines.append(f"{path}: " + ("; ".join(reasons.get(path, [])) or "changed"))
    if not verbose and len(lines) > LISTED:
        lines[LISTED:] = [f"… and {len(lines) - LISTED} more (--verbose lists all)"]
    state = [path for path in merge.changed_files if path.startswith(".mockc/")]
    if state:
        lines.append(f".mockc/: merge state out of date ({len(state)} file(s))")
    return lines


def _write_report_json(path: Path, results: list[_Result], *, check: bool) -> None:
    servers = []
    for result in results:
        data: dict[str, Any] = {"name": result.job.name, "out": str(result.job.out)}
        if result.report is not None:
            data |= result.report.to_json()
            data["out"] = str(result.job.out)
        data["error"] = result.error
        servers.append(data)
    text = json.dumps({"format": 1, "check": check, "servers": servers}, indent=1) + "\n"
    if str(path) == "-":
        click.echo(text, nl=False)
    else:
        path.write_text(text, encoding="utf-8")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command("init")
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


@main.command("inspect")
@_spec_paths
@_remote_refs
@_include
@_quiet
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
    _print_diagnostics(compiled.diagnostics, quiet)
    click.echo(json.dumps(ir.to_json(compiled.api), indent=2, ensure_ascii=False))


@main.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_remote_refs
@_include
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@reporting_errors
def validate_command(
    paths: tuple[Path, ...], allow_remote_refs: bool, include_paths: tuple[Path, ...], strict: bool
) -> None:
    """Check that specs compile, or that the mock files of a folder are valid.

    PATHS are spec files (compiled together), or folders: a folder of mock
    files (OUT/mocks) or a generated server (OUT); a server's mocks are also
    checked against its operations.
    """
    folders = [path for path in paths if path.is_dir()]
    specs = [path for path in paths if not path.is_dir()]
    errors = 0
    warnings = 0
    if specs:
        compiled: Compiled = compile_specs(
            specs, allow_remote_refs=allow_remote_refs, include_paths=include_paths
        )
        _print_diagnostics(compiled.diagnostics, quiet=False, verbose=True)
        count = len(compiled.api.operations)
        warnings += len(compiled.diagnostics)
        click.echo(
            f"mockc: ok: {count} operation(s), {len(compiled.diagnostics)} warning(s)", err=True
        )
    for folder in folders:
        found_errors, found_warnings = _validate_mocks(folder)
        errors += found_errors
        warnings += found_warnings
    if errors or (strict and warnings):
        sys.exit(EXIT_BAD_INPUT)


def _validate_mocks(folder: Path) -> tuple[int, int]:
    """Validate the mock files of ``folder``; print problems; (errors, warnings)."""
    server = None
    mocks = folder
    if (folder / CONTRACT_FILE).is_file():
        server, mocks = folder, folder / MOCKS_DIR
    else:
        server = next(
            (above for above in folder.resolve().parents if (above / CONTRACT_FILE).is_file()),
            None,
        )
    operations = None
    defs = None
    if server is not None:
        try:
            contract = load_contract(server)
        except ContractError as error:
            raise MockcError(str(error)) from None
        # Imported when needed: generating never loads the HTTP runtime.
        from mockc.runtime.contract import engine_operations

        operations = {operation.id: operation for operation in engine_operations(contract)}
        defs = contract.get("defs", {})
    if not mocks.is_dir():
        click.echo(f"mockc: {mocks}: no mocks folder; nothing to check", err=True)
        return 0, 0
    from mockc.runtime.mocks import validate_mock_folder

    problems = validate_mock_folder(mocks, operations, defs)
    for problem in problems:
        click.echo(problem.render(), err=True)
    errors = sum(1 for problem in problems if problem.level == "error")
    warnings = len(problems) - errors
    verdict = "ok" if not errors else "invalid"
    click.echo(
        f"mockc: {verdict}: {mocks}: {errors} error(s), {warnings} warning(s)"
        + ("" if operations is not None else " (no contract.json beside it: operations unchecked)"),
        err=True,
    )
    return errors, warnings


@main.command("serve", context_settings={"ignore_unknown_options": True})
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


main.add_command(merge_command)
main.add_command(orchestrator_command)

if __name__ == "__main__":
    main()
