"""Spec files as the orchestrator takes them: ``{"relative/name": "text"}``."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import AssistantError

__all__ = ["spec_upload"]


def spec_upload(specs: list[str] | None, spec_files: dict[str, str] | None) -> dict[str, str]:
    """The files of a new server: ``spec_files`` as given, or the ``specs`` read
    and named relative to their common folder (so $refs between them hold)."""
    if spec_files:
        return dict(spec_files)
    paths = [Path(spec).expanduser().resolve() for spec in specs or ()]
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise AssistantError(f"no spec file at {', '.join(missing)}")
    common = Path(os.path.commonpath([str(path.parent) for path in paths]))
    try:
        return {
            path.relative_to(common).as_posix(): path.read_text(encoding="utf-8") for path in paths
        }
    except (OSError, UnicodeDecodeError) as error:
        raise AssistantError(f"cannot read the specs: {error}") from None
