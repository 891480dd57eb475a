"""``mockc generate``: write (or, with ``--check``, compare) the servers of
SPECS or of the project config, and report what the merge did."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..console import Console
from ..driver import TARGETS, generate
from ..errors import MockcError
from ..gc_pause import paused_collections
from ..merge import LISTED, MergeReport
from ..merge.output import MergeOptions
from ..merge.resolve import open_conflicts
from .errors import EXIT_BAD_INPUT, reporting_errors
from .jobs import Job, configured_jobs, options
from .merge import list_conflicts
from .options import include_option, quiet_option, shown, verbose_option

__all__ = ["generate_command"]


@click.command("generate")
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
    "--models",
    is_flag=True,
    default=None,
    help="Also write models.py, a type per schema and per operation, and type the "
    "handlers.py hooks with it (for editors and mypy; slow on huge specs).",
)
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
@include_option
@quiet_option
@verbose_option
@reporting_errors
def generate_command(
    specs: tuple[Path, ...],
    out: Path | None,
    config_path: Path | None,
    target: str | None,
    link_runtime: bool | None,
    seed: int | None,
    models: bool | None,
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
        "models": models,
        "allow_remote_refs": allow_remote_refs,
        "include_paths": include_paths or None,
    }
    if out is not None:
        if not specs:
            raise click.UsageError("give the spec files to generate OUT from")
        jobs = [Job(name=None, specs=list(specs), out=out, options=options(overrides, merge))]
    else:
        jobs = configured_jobs(config_path, specs, overrides, merge, quiet)
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
    jobs = configured_jobs(config_path, specs, {}, MergeOptions(), quiet)
    list_conflicts([(f"{job.name} ({shown(job.out)})", job.out) for job in jobs])


@dataclass(frozen=True, kw_only=True)
class _Result:
    job: Job
    report: MergeReport | None = None
    error: str | None = None


def _run_job(job: Job, console: Console, *, check: bool) -> _Result:
    label = f"{job.name} ({shown(job.out)})" if job.name else str(job.out)
    try:
        with console.progress(label) as progress, paused_collections():
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
