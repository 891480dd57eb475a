"""The entry point of a generated GraphQL server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags; the
table in ``runtime/settings/table.py`` says which apply to GraphQL (its own:
``MOCKC_GRAPHQL_LIST_LENGTH``, ``MOCKC_GRAPHQL_MAX_LIST``,
``MOCKC_GRAPHQL_EVENT_INTERVAL_MS``, ``MOCKC_GRAPHIQL``,
``MOCKC_GRAPHQL_INTROSPECTION`` and the limits ``MOCKC_GRAPHQL_MAX_DEPTH``,
``MOCKC_GRAPHQL_MAX_NODES``, ``MOCKC_GRAPHQL_MAX_ANSWER_BYTES``,
``MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS``).

Start-up problems (a bad contract or schema, a broken ``handlers.py``, an
unreachable state store, a busy port) print one line on stderr and exit
with code 2. Broken mock files are reported and skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from graphql import GraphQLError

from ..admin.token import secure_admin
from ..contract import ContractError
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import malformed_contract, one_port, run, serve_asgi
from .app import GraphqlApp, GraphqlOptions
from .contract import load_graphql_contract, read_sdl, schema_file
from .limits import Limits

__all__ = ["Settings", "build_app", "main", "parse_settings"]

PROTOCOL = "graphql"


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    graphql: GraphqlOptions = field(default_factory=GraphqlOptions)
    access_log: bool = False


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    """Settings from ``env``, overridden by the flags in ``argv``."""
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock GraphQL API.")
    return Settings(
        **server_fields(values),
        graphql=GraphqlOptions(
            list_length=values["list_length"],
            max_list=max(values["max_list"], values["list_length"]),
            event_interval_ms=values["event_interval_ms"],
            graphiql=values["graphiql"],
            introspection=values["introspection"],
            max_body_bytes=values["max_body_bytes"],
            validate=values["validate"],
            limits=Limits(
                max_depth=values["max_depth"],
                max_nodes=values["max_nodes"],
                max_answer_bytes=values["max_answer_bytes"],
                max_subscriptions=values["max_subscriptions"],
            ),
        ),
        access_log=values["access_log"],
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
            settings=secure_admin(settings.core, settings.host, directory),
            options=settings.graphql,
            hooks=hooks,
        )
    except GraphQLError as exc:
        raise ContractError(f"{directory / schema_file(contract)}: {exc}") from exc
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: GraphqlApp, settings: Settings) -> None:
    await serve_asgi(
        app,
        settings,
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port}/graphql "
        f"({app.operation_count} root fields, {app.service.mocks.active_mock_count} mocks; "
        "GraphiQL at /graphql, admin API under /__mockc/)",
        websockets=True,
        log_access=settings.access_log,
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    """Serve the mock in ``directory`` until SIGTERM or SIGINT, then exit the process."""
    run(directory, argv, parse=parse_settings, build=build_app, ports=one_port, serve=_serve)
