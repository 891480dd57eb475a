"""The entry point of a generated GraphQL server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags: ``PORT``,
``HOST``, ``MOCKC_VALIDATE``, ``MOCKC_MAX_BODY_BYTES``, ``MOCKC_LOG_LEVEL``, the settings every
protocol shares (``runtime/settings.py``) and GraphQL's own:

- ``MOCKC_GRAPHQL_LIST_LENGTH`` / ``--list-length``: items in a faked list (2);
- ``MOCKC_GRAPHQL_MAX_LIST`` / ``--max-list``: most items when ``first``,
  ``last`` or ``limit`` ask for more (100);
- ``MOCKC_GRAPHQL_EVENT_INTERVAL_MS`` / ``--event-interval-ms``: between two
  subscription events a mock says nothing about (1000);
- ``MOCKC_GRAPHIQL`` / ``--graphiql``: serve GraphiQL at ``/graphql`` (1);
- ``MOCKC_GRAPHQL_INTROSPECTION`` / ``--introspection``: answer introspection (1);
- ``MOCKC_GRAPHQL_MAX_DEPTH`` / ``--max-depth``: deepest chain of fields (64);
- ``MOCKC_GRAPHQL_MAX_NODES`` / ``--max-nodes``: most objects and values in one
  answer, estimated before it runs (500000);
- ``MOCKC_GRAPHQL_MAX_ANSWER_BYTES`` / ``--max-answer-bytes``: largest answer (64 MiB);
- ``MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS`` / ``--max-subscriptions``: operations running at
  once on one WebSocket (100). 0 turns a limit off.

Start-up problems (a bad contract or schema, a broken ``handlers.py``, an
unreachable state store, a busy port) print one line on stderr and exit
with code 2. Broken mock files are reported and skipped.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from graphql import GraphQLError

from ..contract import ContractError
from ..engine import load_hooks
from ..settings import CoreSettings, add_core_arguments, core_settings, flag_value, non_negative
from ..startup import (
    add_log_arguments,
    embedded_granian,
    malformed_contract,
    run,
    serve_until_signalled,
)
from .app import DEFAULT_MAX_BODY_BYTES, GraphqlApp, GraphqlOptions
from .contract import load_graphql_contract, read_sdl
from .limits import DEFAULT_MAX_ANSWER_BYTES, Limits

__all__ = ["Settings", "build_app", "main", "parse_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    core: CoreSettings = CoreSettings()
    graphql: GraphqlOptions = field(default_factory=GraphqlOptions)
    log_level: str = "warning"
    access_log: bool = False


def _milliseconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise ValueError(text)
    return value


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    parser = argparse.ArgumentParser(prog="server.py", description="Serve the mock GraphQL API.")
    parser.add_argument("--host", default=env.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=env.get("PORT", "8080"))
    add_core_arguments(parser, env)
    parser.add_argument(
        "--list-length", type=non_negative, default=env.get("MOCKC_GRAPHQL_LIST_LENGTH", "2")
    )
    parser.add_argument(
        "--max-list", type=non_negative, default=env.get("MOCKC_GRAPHQL_MAX_LIST", "100")
    )
    parser.add_argument(
        "--event-interval-ms",
        type=_milliseconds,
        default=env.get("MOCKC_GRAPHQL_EVENT_INTERVAL_MS", "1000"),
    )
    parser.add_argument("--graphiql", type=flag_value, default=env.get("MOCKC_GRAPHIQL", "1"))
    parser.add_argument(
        "--introspection", type=flag_value, default=env.get("MOCKC_GRAPHQL_INTROSPECTION", "1")
    )
    parser.add_argument(
        "--validate",
        type=flag_value,
        default=env.get("MOCKC_VALIDATE", "1"),
        help="check arguments and variables against the schema (1/0)",
    )
    parser.add_argument(
        "--max-depth", type=non_negative, default=env.get("MOCKC_GRAPHQL_MAX_DEPTH", "64")
    )
    parser.add_argument(
        "--max-nodes", type=non_negative, default=env.get("MOCKC_GRAPHQL_MAX_NODES", "500000")
    )
    parser.add_argument(
        "--max-answer-bytes",
        type=non_negative,
        default=env.get("MOCKC_GRAPHQL_MAX_ANSWER_BYTES", str(DEFAULT_MAX_ANSWER_BYTES)),
    )
    parser.add_argument(
        "--max-subscriptions",
        type=non_negative,
        default=env.get("MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS", "100"),
    )
    parser.add_argument(
        "--max-body-bytes",
        type=non_negative,
        default=env.get("MOCKC_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES)),
    )
    add_log_arguments(parser, env)
    parser.add_argument("--access-log", action="store_true", help="log every request")
    options = parser.parse_args(argv)
    return Settings(
        host=options.host,
        port=options.port,
        core=core_settings(options, env),
        graphql=GraphqlOptions(
            list_length=options.list_length,
            max_list=max(options.max_list, options.list_length),
            event_interval_ms=options.event_interval_ms,
            graphiql=options.graphiql,
            introspection=options.introspection,
            max_body_bytes=options.max_body_bytes,
            validate=options.validate,
            limits=Limits(
                max_depth=options.max_depth,
                max_nodes=options.max_nodes,
                max_answer_bytes=options.max_answer_bytes,
                max_subscriptions=options.max_subscriptions,
            ),
        ),
        log_level=options.log_level,
        access_log=options.access_log,
    )


def build_app(directory: Path, settings: Settings) -> GraphqlApp:
    """Load the contract, the schema and the hooks in ``directory``."""
    contract = load_graphql_contract(directory)
    sdl = read_sdl(directory, contract)
    try:
        operation_ids = [spec["id"] for spec in contract["operations"]]
        hooks = load_hooks(directory / "handlers.py", operation_ids)
        return GraphqlApp(
            contract,
            sdl,
            directory,
            settings=settings.core,
            options=settings.graphql,
            hooks=hooks,
        )
    except GraphQLError as exc:
        raise ContractError(f"{directory / contract['schema']}: {exc}") from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: GraphqlApp, settings: Settings) -> None:
    server = embedded_granian(
        app,
        settings.host,
        settings.port,
        settings.log_level,
        websockets=True,
        log_access=settings.access_log,
    )
    await serve_until_signalled(
        server,
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port}/graphql "
        f"({app.operation_count} root fields, {app.service.mocks.active_mock_count} mocks; "
        "GraphiQL at /graphql, admin API under /__mockc/)",
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(
        directory,
        argv,
        parse=parse_settings,
        build=build_app,
        ports=lambda settings: [(settings.host, settings.port, "")],
        serve=_serve,
    )
