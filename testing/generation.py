"""Generate the server of :class:`ServerOptions` into a folder, through the
compiler's driver (the same code ``mockc generate`` runs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..compiler.config import load_config
from ..compiler.driver import GenerateOptions, generate
from ..compiler.errors import MockcError
from .errors import GenerationFailed, SpecNotFound
from .options import ServerOptions

__all__ = ["Generated", "generate_server"]


@dataclass(frozen=True, kw_only=True)
class Generated:
    folder: Path
    protocol: str
    """The target: ``http``, ``grpc``, ``graphql``…"""
    operations: tuple[str, ...]
    warnings: tuple[str, ...]


def generate_server(options: ServerOptions, out: Path) -> Generated:
    """Write the server of ``options`` into the new folder ``out``.

    Raises :class:`SpecNotFound` for a missing spec or config file and
    :class:`GenerationFailed` (with the located error) when mockc refuses them."""
    specs, target, seed, remote = _inputs(options)
    for spec in specs:
        if not spec.exists():
            raise SpecNotFound(f"{options.label}: no spec file {spec}")
    generate_options = GenerateOptions(
        target=target, seed=seed, link_runtime=True, allow_remote_refs=remote, mock_format="json"
    )
    try:
        compiled, _report = generate(specs, out, generate_options)
    except MockcError as error:
        raise GenerationFailed(
            f"mockc could not generate a server from {options.label}:\n{error.render()}"
        ) from error
    if not (out / "server.py").exists():
        raise GenerationFailed(
            f"{options.label} makes several servers ({', '.join(sorted(compiled.targets))}): "
            "choose one with target=…"
        )
    return Generated(
        folder=out,
        protocol=target or _served_protocol(out) or compiled.target,
        operations=compiled.operation_ids,
        warnings=tuple(diagnostic.render(excerpt=False) for diagnostic in compiled.diagnostics),
    )


def _inputs(options: ServerOptions) -> tuple[list[Path], str | None, int, bool]:
    """The spec files, target, seed and remote-refs switch to generate with."""
    if options.config is None:
        return list(options.spec), options.target, options.seed, False
    if not options.config.exists():
        raise SpecNotFound(f"no mockc config file {options.config}")
    try:
        config = load_config(options.config)
    except MockcError as error:
        raise GenerationFailed(str(error)) from error
    servers = config.servers
    if options.server is not None:
        servers = tuple(server for server in servers if server.name == options.server)
        if not servers:
            known = ", ".join(server.name for server in config.servers) or "none"
            raise GenerationFailed(
                f"{options.config}: no server named {options.server!r} (declared: {known})"
            )
    elif len(servers) != 1:
        known = ", ".join(server.name for server in servers) or "none"
        raise GenerationFailed(
            f"{options.config} declares {len(servers)} servers ({known}): say which with server=…"
        )
    chosen = servers[0]
    return (
        list(chosen.specs),
        options.target or chosen.target,
        options.seed or chosen.seed,
        chosen.allow_remote_refs,
    )


def _served_protocol(out: Path) -> str:
    """The protocol of the generated server (its contract's), "" when unsaid:
    an AsyncAPI document's server is SSE, WebSocket or a broker's."""
    try:
        contract = json.loads((out / "contract.json").read_bytes())
    except (OSError, ValueError):
        return ""
    protocol = contract.get("protocol") if isinstance(contract, dict) else None
    return protocol if isinstance(protocol, str) else ""
