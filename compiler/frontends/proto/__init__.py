"""Protocol Buffers front end: ``.proto`` files (proto2, proto3) to the IR.

protoc (from grpcio-tools) compiles the files into a descriptor set, with
their imports and source info; every service method of the files named
becomes an operation, its messages JSON Schema by the proto3 JSON mapping,
its comments descriptions. The descriptor set itself travels in the IR
(``Api.extensions["x-grpc"]["descriptor_set"]``) for the wire details JSON
Schema cannot carry.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast

from google.protobuf import descriptor_pb2

from ... import ir
from ...errors import Diagnostic, SpecError
from ...naming import python_identifier, schema_name, snake_case
from .comments import METHOD, SERVICE, Comments, summary_of
from .protoc import Compiled, compile_protos
from .schemas import SymbolTable, schema_ref

__all__ = ["MEDIA_TYPE", "descriptor_set_of", "load"]

MEDIA_TYPE = "application/grpc+proto"
_SYNTAXES = {"": "proto2", "proto2": "proto2", "proto3": "proto3", "editions": "editions"}


def load(
    paths: Path | Sequence[Path],
    *,
    include_paths: Sequence[Path] = (),
    warnings: list[Diagnostic] | None = None,
) -> ir.Api:
    """Read the ``.proto`` files at ``paths`` (compiled together, imports found
    through ``include_paths`` and inferred roots) into one Api.

    Raises SpecError (RefError for a missing import) with protoc's messages,
    each at its file, line and column.
    """
    entries = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if not entries:
        raise SpecError("no .proto file given")
    compiled = compile_protos(entries, [Path(p) for p in include_paths])
    found = list(compiled.warnings)
    api = _api(compiled, found)
    if warnings is not None:
        warnings.extend(found)
    return api


def _api(compiled: Compiled, warnings: list[Diagnostic]) -> ir.Api:
    files = {file.name: file for file in compiled.files.file}
    comments = {name: Comments(file) for name, file in files.items()}
    table = SymbolTable(compiled.files, comments)
    operations: list[ir.Operation] = []
    services: list[str] = []
    for name in compiled.entries:
        file = files[name]
        shown = compiled.disk.get(name, name)
        if not file.service:
            warnings.append(
                Diagnostic(
                    file=shown,
                    message="declares no service: it has nothing to serve",
                    level="warning",
                )
            )
        for s_index, service in enumerate(file.service):
            services.append(service.name)
            for m_index, method in enumerate(service.method):
                operations.append(
                    _operation(file, shown, comments[name], service, s_index, method, m_index)
                )
    roots = [name for op in operations for name in _types_of(op)]
    for name in compiled.entries:
        roots += [symbol for symbol, s in table.symbols.items() if s.file == name]
    schemas = _named_schemas(table, roots, compiled)
    first = files[compiled.entries[0]]
    entry_path = Path(compiled.disk.get(first.name, first.name))
    sources = [compiled.disk[name] for name in compiled.entries]
    sources += sorted(path for name, path in compiled.disk.items() if name not in compiled.entries)
    without_info = descriptor_pb2.FileDescriptorSet()
    for file in compiled.files.file:
        copy = without_info.file.add()
        copy.CopyFrom(file)
        copy.ClearField("source_code_info")
    return ir.Api(
        name=snake_case(entry_path.stem) or "api",
        title=", ".join(dict.fromkeys(services)) or first.package or entry_path.stem,
        version=_version_of(first.package),
        description=comments[first.name].comment((SERVICE, 0)) if first.service else "",
        spec_format=_SYNTAXES.get(first.syntax, first.syntax),
        sources=tuple(dict.fromkeys(sources)),
        operations=tuple(operations),
        schemas=schemas,
        extensions=_extensions(without_info),
    )


def descriptor_set_of(api: ir.Api) -> str:
    """The base64 descriptor set this front end put in ``api`` ("" when none)."""
    found = (api.extensions or {}).get("x-grpc")
    value = found.get("descriptor_set") if isinstance(found, Mapping) else None
    return value if isinstance(value, str) else ""


def _extensions(files: descriptor_pb2.FileDescriptorSet) -> Mapping[str, ir.JsonValue]:
    encoded = base64.b64encode(files.SerializeToString()).decode("ascii")
    return cast(Mapping[str, ir.JsonValue], ir.freeze({"x-grpc": {"descriptor_set": encoded}}))


def _operation(
    file: descriptor_pb2.FileDescriptorProto,
    shown: str,
    comments: Comments,
    service: descriptor_pb2.ServiceDescriptorProto,
    s_index: int,
    method: descriptor_pb2.MethodDescriptorProto,
    m_index: int,
) -> ir.Operation:
    path = (SERVICE, s_index, METHOD, m_index)
    place = comments.at(path)
    comment = place.comment if place is not None else ""
    input_type = method.input_type.lstrip(".")
    output_type = method.output_type.lstrip(".")
    source = ir.Source(
        file=shown,
        pointer=f"/{service.name}/{method.name}",
        line=place.line if place else None,
        column=place.column if place else None,
    )
    return ir.Operation(
        id=python_identifier(f"{service.name}_{method.name}"),  # unique: the name pass
        shape=_shape(method),
        input=ir.Message(
            contents=(ir.Content(media_type=MEDIA_TYPE, schema=ir.freeze(schema_ref(input_type))),),
            required=True,
        ),
        outputs=(
            ir.Output(
                key="OK",
                message=ir.Message(
                    contents=(
                        ir.Content(
                            media_type=MEDIA_TYPE, schema=ir.freeze(schema_ref(output_type))
                        ),
                    )
                ),
            ),
        ),
        binding=ir.GrpcBinding(
            package=file.package,
            service=service.name,
            method=method.name,
            input_type=input_type,
            output_type=output_type,
        ),
        summary=summary_of(comment),
        description=comment,
        tags=(f"{file.package}.{service.name}" if file.package else service.name,),
        deprecated=method.options.deprecated or service.options.deprecated,
        source=source,
    )


def _shape(method: descriptor_pb2.MethodDescriptorProto) -> ir.Shape:
    if method.client_streaming and method.server_streaming:
        return ir.Shape.BIDI
    if method.client_streaming:
        return ir.Shape.CLIENT_STREAM
    if method.server_streaming:
        return ir.Shape.SERVER_STREAM
    return ir.Shape.UNARY


def _types_of(operation: ir.Operation) -> list[str]:
    binding = operation.binding
    assert isinstance(binding, ir.GrpcBinding)
    return [binding.input_type, binding.output_type]


def _named_schemas(
    table: SymbolTable, roots: list[str], compiled: Compiled
) -> tuple[ir.NamedSchema, ...]:
    """The schemas of ``roots`` and of every message and enum they reach, in
    the order they are first reached."""
    order: list[str] = []
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        pending.extend(table.referenced(name))
    named = []
    for name in order:
        symbol = table.symbols[name]
        if table.is_map_entry(name):
            continue
        place = table.comments[symbol.file].at(symbol.path)
        named.append(
            ir.NamedSchema(
                name=schema_name(name),
                schema=ir.freeze(table.schema(symbol)),
                source=ir.Source(
                    file=compiled.disk.get(symbol.file, symbol.file),
                    pointer="/" + name.replace(".", "/"),
                    line=place.line if place else None,
                    column=place.column if place else None,
                ),
            )
        )
    return tuple(named)


def _version_of(package: str) -> str:
    """``v1`` for ``google.pubsub.v1``: a version-looking last part of the package."""
    last = package.rpartition(".")[2]
    if len(last) > 1 and last[0] == "v" and last[1].isdigit():
        return last
    return ""
