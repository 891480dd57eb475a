"""Writing a target's file plan into the output folder: generated files
rewritten, the user's files merged, nothing of the user's ever lost.

The folder's merge state is read and checked (:mod:`.state`), the generation
planned completely (:mod:`.plan`), then written (:mod:`.files`);
``dry_run`` (``mockc generate --check``) stops after the plan.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from mockc.targets.common import GeneratedFile

from .plan import MergeOptions, Planner, WriteReport
from .state import read_state

__all__ = ["MergeOptions", "WriteReport", "write_output"]

_DEFAULTS = MergeOptions()


def write_output(
    out: Path,
    files: list[GeneratedFile],
    *,
    manifest_extra: dict[str, str],
    operations: Collection[str] | None = None,
    options: MergeOptions = _DEFAULTS,
) -> WriteReport:
    """Write (or with ``dry_run`` only plan) ``files`` into ``out``, merging
    user-owned files; ``operations`` are the ids of the spec's operations (for
    orphaned mocks; None: unknown, none is orphaned)."""
    state = read_state(out, adopt=options.adopt)
    planner = Planner(out, files, state, operations, options, manifest_extra)
    planner.plan()
    if not options.dry_run:
        planner.apply()
    return planner.report
