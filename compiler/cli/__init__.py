"""The ``mockc`` command.

Exit codes: 0 success; 1 bad input (a spec, a mock, an output folder: the
message says what and where); 2 wrong usage of the command; 3 an internal
error of mockc (a bug: the message asks for a report; ``MOCKC_DEBUG=1``
shows the traceback).
"""

from __future__ import annotations

import click

from mockc import __version__

from ..orchestrator.cli import orchestrator_command
from .errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_USAGE
from .generate import generate_command
from .init import init_command
from .inspect import inspect_command
from .mcp import mcp_group
from .merge import merge_command
from .serve import serve_command
from .validate import validate_command

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_USAGE", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mockc")
def main() -> None:
    """Compile API contracts into standalone mock servers."""


for command in (
    generate_command,
    init_command,
    inspect_command,
    validate_command,
    serve_command,
    merge_command,
    orchestrator_command,
    mcp_group,
):
    main.add_command(command)
