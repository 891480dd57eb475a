"""The server's protos: a descriptor pool of its own, built from ``protos/descriptors.binpb``.

The pool is private, not protobuf's default one: the files of a user's protos
may share names with the files the runtime's own libraries register there
(``grpc/health/v1/health.proto``, ``google/api/*.proto``…), in other
versions, and the default pool refuses a second, different file of the same
name. The messages of google.rpc (``Status`` and the rich error details) and
the well-known types are added from the installed packages when the set
does not carry them, so that error details and ``Any`` resolve.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, FileDescriptor, MethodDescriptor

__all__ = ["DESCRIPTORS_FILE", "MethodInfo", "Protos", "load_protos"]

DESCRIPTORS_FILE = Path("protos") / "descriptors.binpb"


@dataclass(frozen=True, slots=True)
class MethodInfo:
    """One method of a service, as the pool declares it."""

    service: str
    """Full service name (``routeguide.RouteGuide``)."""
    name: str
    client_streaming: bool
    server_streaming: bool
    input: Descriptor
    output: Descriptor

    @property
    def full_method(self) -> str:
        return f"/{self.service}/{self.name}"


class Protos:
    """The pool of a server's protos and the message classes made from it."""

    def __init__(self, files: descriptor_pb2.FileDescriptorSet) -> None:
        self.pool = descriptor_pool.DescriptorPool()
        self.file_names = [file.name for file in files.file]
        for file in files.file:
            self.pool.Add(file)
        self._classes: dict[str, type[Any]] = {}
        for module in _runtime_protos():
            self.add_file(module)

    def add_file(self, file: FileDescriptor) -> None:
        """Add ``file`` (from the default pool) and its imports, unless the pool
        has files of those names already."""
        for dependency in file.dependencies:
            self.add_file(dependency)
        try:
            self.pool.FindFileByName(file.name)
            return
        except KeyError:
            pass
        proto = descriptor_pb2.FileDescriptorProto()
        file.CopyToProto(proto)
        with contextlib.suppress(TypeError):  # a file of the set declares these names
            self.pool.Add(proto)

    def message_class(self, full_name: str) -> type[Any]:
        """The message class of ``full_name`` (KeyError when the pool has none)."""
        found = self._classes.get(full_name)
        if found is None:
            found = message_factory.GetMessageClass(self.pool.FindMessageTypeByName(full_name))
            self._classes[full_name] = found
        return found

    def service_names(self, files: list[str]) -> list[str]:
        return [
            service.full_name
            for name in files
            for service in self.pool.FindFileByName(name).services_by_name.values()
        ]

    def methods(self, service: str) -> Iterator[MethodInfo]:
        descriptor = self.pool.FindServiceByName(service)
        method: MethodDescriptor
        for method in descriptor.methods:
            yield MethodInfo(
                service=descriptor.full_name,
                name=method.name,
                client_streaming=method.client_streaming,
                server_streaming=method.server_streaming,
                input=method.input_type,
                output=method.output_type,
            )


def _runtime_protos() -> list[FileDescriptor]:
    """Files every server's pool has: google.rpc's status and error details, and
    the well-known types."""
    from google.protobuf import (
        any_pb2,
        duration_pb2,
        empty_pb2,
        field_mask_pb2,
        struct_pb2,
        timestamp_pb2,
        wrappers_pb2,
    )
    from google.rpc import error_details_pb2, status_pb2

    modules = (
        any_pb2,
        duration_pb2,
        empty_pb2,
        field_mask_pb2,
        struct_pb2,
        timestamp_pb2,
        wrappers_pb2,
        status_pb2,
        error_details_pb2,
    )
    return [module.DESCRIPTOR for module in modules]


def load_protos(directory: Path) -> Protos:
    """The protos of the server in ``directory``; OSError/ValueError when the
    descriptor file is missing or unreadable."""
    data = (directory / DESCRIPTORS_FILE).read_bytes()
    try:
        files = descriptor_pb2.FileDescriptorSet.FromString(data)
    except Exception as exc:  # protobuf's DecodeError
        raise ValueError(f"{directory / DESCRIPTORS_FILE}: not a descriptor set ({exc})") from exc
    return Protos(files)
