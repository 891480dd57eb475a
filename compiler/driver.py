"""The pipeline: spec files → front end → IR → passes → target → output folder."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockc import __version__
from mockc.targets import registry
from mockc.targets.common import (
    GeneratedFile,
    TargetOptions,
    generated_header,
    index_files,
    shown_sources,
)

from . import ir, reuse
from .errors import Diagnostic, GenerationError, SpecError
from .frontends.registry import FrontEnd, front_end_for
from .merge.output import MergeOptions, WriteReport, write_output
from .merge.state import check_writable
from .models import MODELS_FILE, plan_models
from .naming import NameAllocator
from .passes import SERVE_PASSES, mcp_tools, run_passes
from .passes.mockgen import MockFormat, generate_mocks
from .progress import NO_PROGRESS, Progress

TARGETS = registry.TARGETS
"""Every back end's ``generate``, by the name ``--target`` takes (the target
registry's live view: plug-ins registered before the driver runs are in it)."""


@dataclass(frozen=True, kw_only=True)
class Compiled:
    api: ir.Api
    target: str
    """The default target of the specs' format."""
    targets: tuple[str, ...] = ()
    """Every target the specs' format feeds (empty: ``target`` alone); see :func:`servers_of`."""
    diagnostics: tuple[Diagnostic, ...]
    """Warnings about the specs (faults are raised as errors instead)."""
    reused: tuple[str, ...] | None = None
    """Set when :func:`generate` found the inputs unchanged since the last
    generation and compiled nothing (:mod:`.reuse`): the ids of the operations.
    ``api`` then holds only the Api's name and sources."""

    @property
    def operation_ids(self) -> tuple[str, ...]:
        if self.reused is not None:
            return self.reused
        return tuple(operation.id for operation in self.api.operations)


@dataclass(frozen=True, kw_only=True)
class GenerateOptions:
    target: str | None = None
    link_runtime: bool = False
    seed: int = 0
    allow_remote_refs: bool = False
    include_paths: tuple[Path, ...] = ()
    """Folders searched for imported .proto files (``-I``)."""
    merge: MergeOptions = MergeOptions()
    """How user files are merged (--prune, --theirs, --adopt) and --check (dry run)."""
    mock_format: MockFormat = "yaml"
    """``json`` for a server generated to be served at once (``mockc serve SPEC``):
    the same mocks, written much faster (:func:`.passes.mockgen.generate_mocks`)."""
    models: bool = False
    """Write models.py and type the hook stubs with it (:mod:`.models`)."""


def compile_specs(
    specs: Sequence[Path],
    *,
    allow_remote_refs: bool = False,
    include_paths: Sequence[Path] = (),
    serving: bool = False,
) -> Compiled:
    """The Api of ``specs`` after the passes. ``serving``: for a server generated
    to be served at once (``mockc serve SPEC``): the passes that only warn are
    left out (:data:`.passes.SERVE_PASSES`), and so is the IR checker that
    guards the passes (the tests run it on every spec)."""
    if not specs:
        raise SpecError("no spec file given")
    diagnostics: list[Diagnostic] = []
    targets: set[str] = set()
    fed: dict[str, tuple[str, ...]] = {}
    given = {
        "allow_remote_refs": allow_remote_refs,
        "include_paths": tuple(include_paths),
        "warnings": diagnostics,
    }

    def options(front_end: FrontEnd) -> dict[str, object]:
        return {name: value for name, value in given.items() if name in front_end.options}

    slots: list[ir.Api | str] = []
    batches: dict[str, tuple[FrontEnd, list[Path]]] = {}
    for spec in specs:
        front_end = front_end_for(spec)
        targets.add(front_end.target)
        fed[front_end.target] = front_end.targets
        if not front_end.together:
            slots.append(front_end.load(spec, **options(front_end)))
        elif front_end.name in batches:
            batches[front_end.name][1].append(spec)
        else:  # compiled as one unit, in the place of the first of them
            batches[front_end.name] = (front_end, [spec])
            slots.append(front_end.name)
    apis = [
        slot
        if isinstance(slot, ir.Api)
        else batches[slot][0].load(batches[slot][1], **options(batches[slot][0]))
        for slot in slots
    ]
    target = _shared_target(targets)
    fed[target] = tuple(dict.fromkeys(name for t in (target, *sorted(targets)) for name in fed[t]))
    passes = SERVE_PASSES if serving else None
    checked = run_passes(_merge(apis), diagnostics, passes=passes, check_ir=not serving)
    api = _served_only(checked, fed[target], diagnostics)
    return Compiled(api=api, target=target, targets=fed[target], diagnostics=tuple(diagnostics))


def _shared_target(targets: set[str]) -> str:
    """The target of specs of several formats: the one whose registry entry
    also serves what the others' default targets serve (the HTTP target serves
    SSE channels, so an OpenAPI and an AsyncAPI document give one server
    whose mocks' ``then`` reach the streams); each operation is then routed
    by its binding kind (:func:`servers_of`)."""
    if len(targets) == 1:
        return next(iter(targets))
    known = {target.name for target in registry.registered_targets()}
    for name in sorted(targets):
        if name not in known:
            continue
        serves = set(registry.target_named(name).bindings)
        if all(
            other in known and set(registry.target_named(other).bindings) <= serves
            for other in targets - {name}
        ):
            return name
    raise SpecError(f"these specs belong to different targets ({', '.join(sorted(targets))})")


def _served_only(api: ir.Api, fed: Sequence[str], warnings: list[Diagnostic]) -> ir.Api:
    """``api`` without the channel operations no registered target of the format
    serves yet (a Kafka channel before there is a Kafka target): one warning
    line per channel says so. A spec left with nothing to serve is an error."""
    known = {target.name for target in registry.registered_targets()}
    kinds = {kind for name in fed if name in known for kind in registry.target_named(name).bindings}
    unserved: dict[tuple[str, str], list[ir.Operation]] = {}
    kept: list[ir.Operation] = []
    for operation in api.operations:
        binding = operation.binding
        if isinstance(binding, ir.ChannelBinding) and binding.protocol not in kinds:
            unserved.setdefault((binding.protocol, binding.channel), []).append(operation)
        else:
            kept.append(operation)
    if not unserved:
        return api
    for (protocol, channel), operations in unserved.items():
        source = operations[0].source
        warnings.append(
            Diagnostic.at(
                source,
                level="warning",
                message=f"channel {channel!r} is a {protocol} channel, which no target serves "
                f"yet; not generated: {', '.join(o.id for o in operations)}",
            )
        )
    if not kept:
        first = next(iter(unserved.values()))[0].source
        protocols = ", ".join(sorted({protocol for protocol, _ in unserved}))
        channels = ", ".join(channel for _, channel in unserved)
        raise GenerationError(
            Diagnostic(
                file=first.file if first else "",
                pointer=first.pointer if first else None,
                line=first.line if first else None,
                column=first.column if first else None,
                message=f"nothing to serve: every channel is of a protocol no target serves "
                f"yet ({protocols}: {channels})",
            )
        )
    return dataclasses.replace(api, operations=tuple(kept))


@dataclass(frozen=True, kw_only=True)
class RoutedServer:
    """One server of a generation: a target and the operations it serves."""

    target: str
    api: ir.Api
    """The compiled Api with only this target's operations (all when it is the only one)."""
    folder: str = ""
    """Where the server goes in the output folder: "" for the folder itself,
    else a subfolder named after the target."""


def servers_of(compiled: Compiled, target: str | None = None) -> tuple[RoutedServer, ...]:
    """The servers to generate: one per target that serves an operation.

    Each operation goes to the first of the format's targets whose registry
    entry serves its binding kind. When one target serves them all (every
    format with one protocol), that one server fills the output folder; when
    several do (AsyncAPI: SSE, WebSocket, Kafka…), each gets a subfolder named
    after it. ``target`` (``--target``) forces one server with every operation.
    """
    if target is not None:
        forced = registry.target_named(target)
        return (RoutedServer(target=forced.name, api=_served_as(compiled.api, forced)),)
    known = {registered.name for registered in registry.registered_targets()}
    candidates = [
        registry.target_named(name)
        for name in compiled.targets or (compiled.target,)
        if name in known or name == compiled.target
    ]
    if len(candidates) == 1:
        return (RoutedServer(target=candidates[0].name, api=compiled.api),)
    routed: dict[str, list[ir.Operation]] = {}
    for operation in compiled.api.operations:
        kind = registry.binding_kind(operation.binding)
        served_by = next((c.name for c in candidates if kind in c.bindings), None)
        if served_by is None:
            raise GenerationError(
                Diagnostic.at(
                    operation.source,
                    message=f"operation {operation.id!r} is a {kind} operation, which none of "
                    f"this format's targets serves ({', '.join(c.name for c in candidates)})",
                )
            )
        routed.setdefault(served_by, []).append(operation)
    if len(routed) <= 1:
        return (RoutedServer(target=next(iter(routed), compiled.target), api=compiled.api),)
    return tuple(
        RoutedServer(
            target=c.name,
            api=dataclasses.replace(compiled.api, operations=tuple(routed[c.name])),
            folder=c.name,
        )
        for c in candidates
        if c.name in routed
    )


DERIVED_BINDINGS: dict[tuple[str, str], Callable[[ir.Api, list[Diagnostic]], ir.Api]] = {
    ("http", "mcp"): mcp_tools.run,
}
"""Passes that give operations of one binding kind a binding of another, so
that a target forced with ``--target`` serves them: (from, to) → the pass."""


def _served_as(api: ir.Api, target: registry.Target) -> ir.Api:
    """``api`` as ``target`` serves it: operations of a kind it does not serve
    get the binding it does from :data:`DERIVED_BINDINGS` (HTTP operations
    become MCP tools for the ``mcp`` target)."""
    kinds = {registry.binding_kind(operation.binding) for operation in api.operations}
    for (source, kind), derive in DERIVED_BINDINGS.items():
        if source in kinds and source not in target.bindings and kind in target.bindings:
            api = derive(api, [])
    return api


def plan_files(
    compiled: Compiled,
    options: GenerateOptions,
    out: Path | None = None,
    warnings: list[Diagnostic] | None = None,
    progress: Progress = NO_PROGRESS,
    server: RoutedServer | None = None,
    *,
    mocks: bool = True,
) -> list[GeneratedFile]:
    """The files of ``server`` (None: the only server of ``compiled``);
    generated files name the specs relative to ``out`` (by their names when
    None), whatever the checkout's path. Warnings about generated mocks are
    added to ``warnings``. Without ``mocks``, the server's files alone (its
    mocks are written when first needed: :mod:`.serve_mocks`)."""
    if server is None:
        servers = _servers(compiled, options)
        if len(servers) > 1:
            raise GenerationError(
                f"these specs make {len(servers)} servers "
                f"({', '.join(s.target for s in servers)}): plan each of servers_of()"
            )
        server = servers[0]
    api = server.api
    target_options = TargetOptions(
        version=__version__,
        link_runtime=options.link_runtime,
        seed=options.seed,
        sources=shown_sources(api.sources, out),
    )
    typed: list[GeneratedFile] = []
    if options.models:
        target_options, typed = _plan_models(api, target_options, warnings, progress)
    files = registry.target_named(server.target).load()(api, target_options) + typed
    if not mocks:
        return files
    progress.phase("generating mocks", total=len(api.operations))
    return files + generate_mocks(
        api,
        seed=options.seed,
        warnings=warnings,
        on_mock=progress.advance,
        mock_format=options.mock_format,
    )


def generate(
    specs: Sequence[Path], out: Path, options: GenerateOptions, progress: Progress = NO_PROGRESS
) -> tuple[Compiled, WriteReport]:
    check_writable(out, adopt=options.merge.adopt)
    settings = {
        "target": options.target,
        "link_runtime": options.link_runtime,
        "seed": options.seed,
        "allow_remote_refs": options.allow_remote_refs,
        "include_paths": list(options.include_paths),
    }
    if options.mock_format != "yaml":
        settings["mock_format"] = options.mock_format
    if options.models:
        settings["models"] = True
    merge = options.merge
    last = None
    if not (merge.prune or merge.theirs or merge.adopt):
        last = reuse.reusable(out, specs, settings)
    if last is not None:
        compiled = Compiled(
            api=ir.Api(name=last.name, sources=last.sources),
            target=last.target,
            diagnostics=last.diagnostics,
            reused=last.operations,
        )
        files = last.files
    else:
        progress.phase("reading specs")
        compiled = compile_specs(
            specs, allow_remote_refs=options.allow_remote_refs, include_paths=options.include_paths
        )
        servers = _servers(compiled, options)
        if len(servers) > 1:
            return _generate_servers(compiled, servers, out, options, progress)
        progress.phase("generating the server")
        warnings: list[Diagnostic] = []
        files = plan_files(compiled, options, out, warnings, progress)
        compiled = dataclasses.replace(compiled, diagnostics=compiled.diagnostics + tuple(warnings))
    progress.phase("merging with your files" if not merge.dry_run else "comparing")
    report = write_output(
        out,
        files,
        manifest_extra={"mockc": __version__, "target": options.target or compiled.target},
        operations=compiled.operation_ids,
        options=merge,
    )
    if last is None and not merge.dry_run:
        reuse.record(
            out,
            specs,
            settings,
            name=compiled.api.name,
            sources=compiled.api.sources,
            target=compiled.target,
            operations=compiled.operation_ids,
            files=files,
            diagnostics=compiled.diagnostics,
        )
    return compiled, report


def _plan_models(
    api: ir.Api,
    options: TargetOptions,
    warnings: list[Diagnostic] | None,
    progress: Progress,
) -> tuple[TargetOptions, list[GeneratedFile]]:
    """``--models``: models.py, and the target told to type the hook stubs."""
    progress.phase("generating models.py")
    planned = plan_models(api, header=generated_header(options, api.sources))
    if warnings is not None:
        warnings.extend(planned.diagnostics)
    options = dataclasses.replace(options, hook_signatures=planned.signatures)
    return options, [GeneratedFile(path=MODELS_FILE, content=planned.content)]


def _servers(compiled: Compiled, options: GenerateOptions) -> tuple[RoutedServer, ...]:
    try:
        return servers_of(compiled, options.target)
    except registry.UnknownTargetError as unknown:
        raise GenerationError(str(unknown)) from None


def _generate_servers(
    compiled: Compiled,
    servers: Sequence[RoutedServer],
    out: Path,
    options: GenerateOptions,
    progress: Progress,
) -> tuple[Compiled, WriteReport]:
    """One server per target, each in its own subfolder of ``out`` with its own
    merge state, and an index of them in ``out``; one report for all."""
    merge = options.merge
    folders = [out / server.folder for server in servers]
    for folder in folders:
        check_writable(folder, adopt=merge.adopt)
    report = WriteReport()
    warnings: list[Diagnostic] = []
    shown = shown_sources(compiled.api.sources, out)
    listed = [(s.target, s.folder, len(s.api.operations)) for s in servers]
    parts: list[tuple[Path, str, list[GeneratedFile], tuple[str, ...] | None]] = [
        (out, "", index_files(__version__, shown, listed), None)
    ]
    for server, folder in zip(servers, folders, strict=True):
        progress.phase(f"generating the {server.target} server")
        files = plan_files(compiled, options, folder, warnings, progress, server=server)
        ids = tuple(op.id for op in server.api.operations)
        parts.append((folder, server.folder, files, ids))
    progress.phase("merging with your files" if not merge.dry_run else "comparing")
    targets = [server.target for server in servers]
    for folder, prefix, files, operations in parts:
        written = write_output(
            folder,
            files,
            manifest_extra={"mockc": __version__, "target": prefix or "+".join(targets)},
            operations=operations,
            options=merge,
        )
        _add_report(report, written, prefix)
    report.merge.out = str(out)
    return dataclasses.replace(compiled, diagnostics=compiled.diagnostics + tuple(warnings)), report


def _add_report(into: WriteReport, part: WriteReport, prefix: str) -> None:
    def under(path: str) -> str:
        return f"{prefix}/{path}" if prefix else path

    into.written += map(under, part.written)
    into.unchanged += map(under, part.unchanged)
    into.kept_user_files += map(under, part.kept_user_files)
    into.removed += map(under, part.removed)
    into.merge.extend(
        dataclasses.replace(entry, file=under(entry.file)) for entry in part.merge.entries
    )
    into.merge.changed_files = sorted(
        [*into.merge.changed_files, *map(under, part.merge.changed_files)]
    )


def _merge(apis: list[ir.Api]) -> ir.Api:
    """One Api from several specs served together: operations side by side,
    ids kept unique, named schemas shared when identical."""
    if len(apis) == 1:
        return apis[0]
    first = apis[0]
    ids = NameAllocator()
    operations: list[ir.Operation] = []
    schemas: dict[str, ir.NamedSchema] = {}
    for api in apis:
        for operation in api.operations:
            operations.append(dataclasses.replace(operation, id=ids.allocate(operation.id)))
        for named in api.schemas:
            existing = schemas.get(named.name)
            if existing is not None and existing.schema != named.schema:
                raise SpecError(
                    Diagnostic(
                        file=named.source.file if named.source else "",
                        pointer=named.source.pointer if named.source else None,
                        message=(
                            f"schema {named.name!r} is also defined, differently, by "
                            f"{existing.source.file if existing.source else 'another spec'}; "
                            "rename one of them to serve these specs together"
                        ),
                    )
                )
            schemas[named.name] = named
    return dataclasses.replace(
        first,
        sources=tuple(source for api in apis for source in api.sources),
        operations=tuple(operations),
        schemas=tuple(schemas[name] for name in sorted(schemas)),
        servers=tuple(server for api in apis for server in api.servers),
        extensions=_merged_extensions(apis),
    )


def _merged_extensions(apis: list[ir.Api]) -> Mapping[str, ir.JsonValue] | None:
    """The specs' ``x-<format>`` extensions side by side; two of one key (two
    channel configs' ``x-channels``) merged a level down (their ``schedules``)."""
    merged: dict[str, Any] = {}
    for api in apis:
        for key, value in ir.thaw(api.extensions or {}).items():
            before = merged.get(key)
            if isinstance(before, dict) and isinstance(value, dict):
                merged[key] = {
                    name: {**before[name], **part}
                    if isinstance(before.get(name), dict) and isinstance(part, dict)
                    else part
                    for name, part in {**before, **value}.items()
                }
            else:
                merged[key] = value
    if not merged:
        return None
    frozen = ir.freeze(merged)
    assert isinstance(frozen, Mapping)
    return frozen
