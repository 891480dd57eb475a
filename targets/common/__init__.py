"""Helpers every target shares: the file plan, templates, literals, vendoring."""

from .emit import (
    GENERATED_HEADER,
    FileOwner,
    GeneratedFile,
    TargetOptions,
    comment_text,
    docstring_text,
    generated_header,
    hook_context,
    index_files,
    json_bytes,
    pinned_requirements,
    python_docstring,
    python_string,
    render_template,
    server_files,
    shown_sources,
    source_names,
)
from .generator import Hook, ServerGenerator
from .vendor import CORE_REQUIREMENTS, runtime_files

__all__ = [
    "CORE_REQUIREMENTS",
    "GENERATED_HEADER",
    "FileOwner",
    "GeneratedFile",
    "Hook",
    "ServerGenerator",
    "TargetOptions",
    "comment_text",
    "docstring_text",
    "generated_header",
    "hook_context",
    "index_files",
    "json_bytes",
    "pinned_requirements",
    "python_docstring",
    "python_string",
    "render_template",
    "runtime_files",
    "server_files",
    "shown_sources",
    "source_names",
]
