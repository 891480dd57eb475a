"""The tool ``generate_mock_server``: ``mockc generate`` for an assistant.

Specs are given as paths, or as contents (file name → text) written to a
temporary folder for the generation. A regeneration merges exactly as the
command does, and the answer carries the merge report."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from ..driver import TARGETS, GenerateOptions, generate
from ..errors import MockcError
from ..merge.output import MergeOptions
from ..merge.resolve import open_conflicts
from ..orchestrator.errors import Problem
from ..orchestrator.names import check_file_name
from ..orchestrator.specs import write_files
from .errors import AssistantError
from .folders import describe_folder, server_folders

__all__ = ["generate_mock_server"]

LISTED = 200
"""Files and report entries an answer lists unless ``full_report`` (the open
conflicts are always listed in full)."""


async def generate_mock_server(
    out: Annotated[str, Field(description="Output folder of the generated server.")],
    specs: Annotated[
        list[str] | None,
        Field(description="Paths of the spec files (OpenAPI, .proto, GraphQL, WSDL, AsyncAPI…)."),
    ] = None,
    spec_files: Annotated[
        dict[str, str] | None,
        Field(
            description="Spec contents instead of paths: file name (with its suffix, e.g. "
            "'api.yaml'; relative names keep $refs between files working) → text."
        ),
    ] = None,
    target: Annotated[
        str | None,
        Field(description=f"Target protocol (default: inferred). One of {sorted(TARGETS)}."),
    ] = None,
    seed: Annotated[int | None, Field(description="Default fake-data seed (0).")] = None,
    link_runtime: Annotated[
        bool,
        Field(description="Import the installed mockc runtime instead of vendoring a copy."),
    ] = False,
    models: Annotated[bool, Field(description="Also write models.py (typed hooks).")] = False,
    prune: Annotated[
        bool, Field(description="Delete the mocks of operations that left the spec.")
    ] = False,
    theirs: Annotated[
        bool, Field(description="On a merge conflict take the spec's value, not the user's.")
    ] = False,
    adopt: Annotated[
        bool, Field(description="Adopt a folder whose .mockc/ state is missing or damaged.")
    ] = False,
    check: Annotated[
        bool, Field(description="Write nothing; report what would change (mockc generate --check).")
    ] = False,
    allow_remote_refs: Annotated[
        bool, Field(description="Fetch $refs that point at http(s) URLs.")
    ] = False,
    full_report: Annotated[
        bool,
        Field(description=f"Every entry of the merge report (default: the first {LISTED})."),
    ] = False,
) -> dict[str, Any]:
    """Generate (or regenerate, merging your edits) a mock server from API specs.

    Returns the server's operations, the files written, warnings about the
    specs, and on a regeneration the merge report (what was added, updated,
    kept as yours, or left in conflict)."""
    if not specs and not spec_files:
        raise AssistantError("give 'specs' (file paths) or 'spec_files' (name → content)")
    if specs and spec_files:
        raise AssistantError("give either 'specs' or 'spec_files', not both")
    if target is not None and target not in TARGETS:
        raise AssistantError(f"'target' must be one of {sorted(TARGETS)}, not {target!r}")
    folder = Path(out).expanduser().resolve()
    options = GenerateOptions(
        target=target,
        link_runtime=link_runtime,
        seed=seed or 0,
        allow_remote_refs=allow_remote_refs,
        models=models,
        merge=MergeOptions(prune=prune, theirs=theirs, adopt=adopt, dry_run=check),
    )
    if spec_files:
        answer = await asyncio.to_thread(_from_contents, spec_files, folder, options)
    else:
        paths = [Path(spec).expanduser().resolve() for spec in specs or ()]
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise AssistantError(f"no spec file at {', '.join(missing)}")
        answer = await asyncio.to_thread(_generated, paths, folder, options)
    return answer if full_report else _shortened(answer)


def _shortened(answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with its long lists cut to their first entries, and the count
    of those left out (a huge spec's report would flood a conversation)."""
    answer = dict(answer)
    report = answer["merge_report"] = dict(answer["merge_report"])
    for holder, key in ((answer, "files_written"), (report, "entries")):
        items = holder[key]
        if len(items) > LISTED:
            holder[key] = items[:LISTED]
            holder[f"{key}_left_out"] = len(items) - LISTED
    return answer


def _from_contents(files: dict[str, str], out: Path, options: GenerateOptions) -> dict[str, Any]:
    try:
        named = {check_file_name(name): text.encode("utf-8") for name, text in files.items()}
    except Problem as problem:
        raise AssistantError(f"spec_files: {problem.detail}") from None
    with tempfile.TemporaryDirectory(prefix="mockc-specs-") as temporary:
        paths = write_files(Path(temporary) / "specs", named)
        return _generated(paths, out, options)


def _generated(specs: list[Path], out: Path, options: GenerateOptions) -> dict[str, Any]:
    try:
        compiled, report = generate(specs, out, options)
    except MockcError as error:
        raise AssistantError(error.render(excerpt=True)) from None
    except OSError as error:
        raise AssistantError(f"cannot write {out}: {error.strerror or error}") from None
    merge = report.merge
    answer: dict[str, Any] = {
        "out": str(out),
        "check": options.merge.dry_run,
        "changed": merge.changed,
        "operation_ids": list(compiled.operation_ids),
        "warnings": [diagnostic.render(excerpt=False) for diagnostic in compiled.diagnostics],
        "files_written": list(report.written),
        "files_unchanged": len(report.unchanged),
        "kept_user_files": list(report.kept_user_files),
        "removed": list(report.removed),
        "merge_summary": merge.summary(),
        "merge_report": merge.to_json(),
        "conflicts_open": [conflict.to_json() for conflict in open_conflicts(out)]
        if out.is_dir()
        else [],
    }
    if out.is_dir():
        answer["servers"] = [describe_folder(folder) for folder in server_folders(out)]
    return answer
