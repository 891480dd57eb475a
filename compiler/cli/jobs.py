"""The servers one ``mockc generate`` run writes: the one named on the command
line, or those of the project config (all, or those that read the given specs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..config import Config, ServerConfig, find_config, load_config
from ..driver import GenerateOptions, compile_specs
from ..errors import MockcError
from ..merge.output import MergeOptions
from .options import shown

__all__ = ["Job", "configured_jobs", "options"]


@dataclass(frozen=True, kw_only=True)
class Job:
    name: str | None
    specs: list[Path]
    out: Path
    options: GenerateOptions


def options(overrides: dict[str, Any], merge: MergeOptions, **configured: Any) -> GenerateOptions:
    values = {**configured, **{k: v for k, v in overrides.items() if v is not None}}
    return GenerateOptions(**values, merge=merge)


def configured_jobs(
    config_path: Path | None,
    specs: tuple[Path, ...],
    overrides: dict[str, Any],
    merge: MergeOptions,
    quiet: bool,
) -> list[Job]:
    path = config_path or find_config(Path.cwd())
    if path is None:
        raise click.UsageError(
            "no -o OUT given and no project config found (mockc.toml, or [tool.mockc] in "
            "pyproject.toml, here or above); give -o, or write one with 'mockc init'"
        )
    config = load_config(path)
    servers = list(config.servers)
    if specs:
        servers = _affected(config, specs)
        if not servers and not quiet:
            click.echo(
                f"mockc: no server in {shown(config.path)} uses "
                + ", ".join(str(spec) for spec in specs)
                + "; nothing to do",
                err=True,
            )
    return [
        Job(
            name=server.name,
            specs=list(server.specs),
            out=server.out,
            options=options(
                overrides,
                merge,
                target=server.target,
                link_runtime=server.link_runtime,
                seed=server.seed,
                models=server.models,
                allow_remote_refs=server.allow_remote_refs,
            ),
        )
        for server in servers
    ]


def _affected(config: Config, specs: Sequence[Path]) -> list[ServerConfig]:
    """The servers that read any of ``specs``: as a configured spec, or as a
    document a spec refers to; every server when the config itself is given."""
    given = {spec.resolve() for spec in specs}
    if config.path in given:
        return list(config.servers)
    affected = []
    for server in config.servers:
        if given & set(server.specs):
            affected.append(server)
            continue
        try:
            compiled = compile_specs(list(server.specs), allow_remote_refs=False)
        except MockcError:
            continue  # its own specs are unchanged; a broken ref shows when they change
        sources = {Path(source).resolve() for source in compiled.api.sources}
        if given & sources:
            affected.append(server)
    return affected
