"""Helpers every target shares: the file plan, templates, literals, vendoring."""

from .emit import (
    GENERATED_HEADER,
    FileOwner,
    GeneratedFile,
    TargetOptions,
    docstring_text,
    json_bytes,
    pinned_requirements,
    python_docstring,
    python_string,
    render_template,
    server_files,
)
from .vendor import CORE_REQUIREMENTS, runtime_files

__all__ = [
    "CORE_REQUIREMENTS",
    "GENERATED_HEADER",
    "FileOwner",
    "GeneratedFile",
    "TargetOptions",
    "docstring_text",
    "json_bytes",
    "pinned_requirements",
    "python_docstring",
    "python_string",
    "render_template",
    "runtime_files",
    "server_files",
]
