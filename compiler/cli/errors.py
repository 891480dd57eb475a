"""Exit codes of the ``mockc`` command, and the decorator that turns errors
into them: a :class:`MockcError` prints its diagnostics (exit 1), anything
else is a bug of mockc (exit 3; ``MOCKC_DEBUG=1`` shows the traceback)."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from ..errors import MockcError

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_USAGE", "reporting_errors"]

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


def reporting_errors(command: F) -> F:
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
