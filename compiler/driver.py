"""The pipeline: spec files → front end → IR → passes → target → output folder."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mockc import __version__
from mockc.targets.common import GeneratedFile, TargetOptions, shown_sources

from . import ir, reuse
from .errors import Diagnostic, GenerationError, SpecError
from .frontends.registry import FrontEnd, front_end_for
from .naming import NameAllocator
from .output import MergeOptions, WriteReport, check_writable, write_output
from .passes import run_passes
from .passes.mockgen import MockFormat, generate_mocks
from .progress import NO_PROGRESS, Progress

Target = Callable[[ir.Api, TargetOptions], list[GeneratedFile]]


class _Targets(Mapping[str, Target]):
    """Back ends by name, each imported when first used: a back end pulls in
    its protocol's libraries (graphql-core, protobuf), which serving another
    protocol does not need."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Target:
        generate: Target = importlib.import_module(self._modules[name]).generate
        return generate

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


TARGETS: Mapping[str, Target] = _Targets(
    {
        "http": "mockc.targets.http",
        "grpc": "mockc.targets.grpc",
        "graphql": "mockc.targets.graphql",
    }
)
"""Every back end, by the name ``--target`` takes."""


@dataclass(frozen=True, kw_only=True)
class Compiled:
    api: ir.Api
    target: str
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


def compile_specs(
    specs: Sequence[Path],
    *,
    allow_remote_refs: bool = False,
    include_paths: Sequence[Path] = (),
) -> Compiled:
    if not specs:
        raise SpecError("no spec file given")
    diagnostics: list[Diagnostic] = []
    targets: set[str] = set()
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
    if len(targets) > 1:
        raise SpecError(f"these specs belong to different targets ({', '.join(sorted(targets))})")
    api = run_passes(_merge(apis), diagnostics)
    return Compiled(api=api, target=targets.pop(), diagnostics=tuple(diagnostics))


def plan_files(
    compiled: Compiled,
    options: GenerateOptions,
    out: Path | None = None,
    warnings: list[Diagnostic] | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[GeneratedFile]:
    """The files of the server; generated files name the specs relative to
    ``out`` (by their names when None), whatever the checkout's path. Warnings
    about generated mocks are added to ``warnings``."""
    target = options.target or compiled.target
    if target not in TARGETS:
        raise GenerationError(f"unknown target {target!r} (known: {', '.join(TARGETS)})")
    files = TARGETS[target](
        compiled.api,
        TargetOptions(
            version=__version__,
            link_runtime=options.link_runtime,
            seed=options.seed,
            sources=shown_sources(compiled.api.sources, out),
        ),
    )
    progress.phase("generating mocks", total=len(compiled.api.operations))
    return files + generate_mocks(
        compiled.api,
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
    )
