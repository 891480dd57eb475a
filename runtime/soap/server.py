"""The entry point of a generated SOAP server: settings, start-up checks, granian.

Settings come from the environment and can be overridden by flags (the
shared table in ``runtime/settings/table.py``). Start-up problems print one
line on stderr and exit with code 2.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ..admin.token import secure_admin
from ..contract import ContractError
from ..engine import load_hooks
from ..settings import ServerSettings, read_settings, server_fields
from ..startup import malformed_contract, one_port, run, serve_asgi
from .app import PROTOCOL, SoapApp, SoapOptions

__all__ = ["Settings", "build_app", "main", "parse_settings"]


@dataclass(frozen=True, slots=True)
class Settings(ServerSettings):
    soap: SoapOptions = field(default_factory=SoapOptions)


def parse_settings(argv: list[str] | None, env: Mapping[str, str]) -> Settings:
    values = read_settings(PROTOCOL, argv, env, description="Serve the mock SOAP service.")
    return Settings(
        **server_fields(values),
        soap=SoapOptions(max_body_bytes=values["max_body_bytes"], validate=values["validate"]),
    )


def build_app(directory: Path, settings: Settings) -> SoapApp:
    path = directory / "contract.json"
    try:
        contract = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise ContractError(f"{path}: {exc}") from exc
    try:
        hooks = load_hooks(
            directory / "handlers.py", [spec["id"] for spec in contract["operations"]]
        )
        return SoapApp(
            contract,
            directory,
            settings=secure_admin(settings.core, settings.host, directory),
            options=settings.soap,
            hooks=hooks,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise malformed_contract(directory, exc) from exc


async def _serve(app: SoapApp, settings: Settings) -> None:
    addresses = ", ".join(sorted(app.dispatcher.by_address))
    await serve_asgi(
        app,
        settings,
        f"mockc: serving {app.title} on http://{settings.host}:{settings.port} "
        f"({app.operation_count} operations at {addresses}; admin API under /__mockc/)",
    )


def main(directory: Path, argv: list[str] | None = None) -> NoReturn:
    run(directory, argv, parse=parse_settings, build=build_app, ports=one_port, serve=_serve)
