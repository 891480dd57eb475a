"""``mockc validate``: specs compile, mock folders hold valid mocks."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mockc.runtime.contract import CONTRACT_FILE, ContractError, load_contract

from ..driver import Compiled, compile_specs
from ..errors import MockcError
from ..passes.mockgen import MOCKS_DIR
from .errors import EXIT_BAD_INPUT, reporting_errors
from .options import include_option, print_diagnostics, remote_refs_option

__all__ = ["validate_command"]


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@remote_refs_option
@include_option
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
        print_diagnostics(compiled.diagnostics, quiet=False, verbose=True)
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
        from mockc.runtime.contract import engine_operations, output_policy

        policy = output_policy(contract)
        operations = {op.id: op for op in engine_operations(contract, policy)}
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
