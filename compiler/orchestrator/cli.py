"""``mockc orchestrator`` and ``mockc orchestrator token create``."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import click

# The service's modules (SQLAlchemy, httpx, …) are imported when a command runs,
# so that every other mockc command starts without them.
SCOPES = ("read", "write", "admin")

__all__ = ["orchestrator_command"]

_data = click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("mockc-data"),
    show_default=True,
    help="Folder of the orchestrator's state: its SQLite database, its pepper, the servers.",
)
_db = click.option(
    "--db",
    metavar="URL",
    help="postgresql://user@host/db to keep the state in PostgreSQL (default: SQLite in --data).",
)


@click.group("orchestrator", invoke_without_command=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8888, show_default=True)
@_data
@_db
@click.option(
    "--spec-root",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder whose spec files requests may name by path (none by default).",
)
@click.option(
    "--servers-host",
    default="127.0.0.1",
    show_default=True,
    help="Interface the managed servers listen on.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="warning",
    show_default=True,
)
@click.option(
    "--webhook-backoff",
    type=float,
    default=1.0,
    show_default=True,
    help="Seconds before the first retry of a failed webhook delivery (doubling after).",
)
@click.pass_context
def orchestrator_command(
    ctx: click.Context,
    host: str,
    port: int,
    data: Path,
    db: str | None,
    spec_root: Path | None,
    servers_host: str,
    log_level: str,
    webhook_backoff: float,
) -> None:
    """Serve the orchestrator: a REST service that generates, runs and manages mock servers.

    Create the first token with `mockc orchestrator token create --admin --data DIR`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from .main import Config, serve

    config = Config(
        host=host,
        port=port,
        data=data,
        db=db,
        spec_root=spec_root.resolve() if spec_root else None,
        servers_host=servers_host,
        log_level=log_level,
        webhook_backoff=webhook_backoff,
    )
    try:
        asyncio.run(serve(config))
    except KeyboardInterrupt:
        pass
    except (OSError, ValueError) as error:
        click.echo(f"mockc orchestrator: {error}", err=True)
        sys.exit(2)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # granian's native threads may panic while the interpreter finalises


@orchestrator_command.group("token")
def token_group() -> None:
    """Tokens of the orchestrator, made on its machine."""


@token_group.command("create")
@_data
@_db
@click.option("--admin", is_flag=True, help="An admin token (scope admin): the first token.")
@click.option("--scope", type=click.Choice(SCOPES), help="read, write or admin (default read).")
@click.option("--namespace", default="default", show_default=True)
@click.option("--name", default=None, help="What the token is for (default: its scope).")
@click.option("--integration", is_flag=True, help="An integration token (mki_…) for machines.")
@click.option("--expires-in", type=int, help="Seconds until it expires (default: never).")
def token_create(
    data: Path,
    db: str | None,
    admin: bool,
    scope: str | None,
    namespace: str,
    name: str | None,
    integration: bool,
    expires_in: int | None,
) -> None:
    """Print a new token, once: it is stored only as a hash."""
    from .auth import issue_token
    from .errors import Problem
    from .main import prepare_data
    from .store import database_url, open_store
    from .tokens import Kind

    if admin and scope not in (None, "admin"):
        raise click.UsageError("--admin is --scope admin")
    chosen = "admin" if admin else scope or "read"
    try:
        pepper = prepare_data(data.resolve())
        store = open_store(database_url(data.resolve(), db))
    except (OSError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    try:
        _, token = issue_token(
            store,
            pepper,
            namespace=namespace,
            name=name or f"{chosen} token",
            scope=chosen,
            kind=Kind.INTEGRATION if integration else Kind.USER,
            expires_at=time.time() + expires_in if expires_in else None,
        )
    except Problem as problem:
        raise click.ClickException(problem.detail) from None
    finally:
        store.close()
    click.echo(token)
