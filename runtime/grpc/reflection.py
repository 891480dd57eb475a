"""Server reflection, both versions: ``grpc.reflection.v1`` (what current grpcurl
and Postman ask first) and ``grpc.reflection.v1alpha`` (older clients).

grpcio-reflection ships the v1alpha service only. The two versions' messages
have the same fields under the same numbers (v1 renamed the package and
nothing else), so the same servicer answers both: v1 is registered as a
generic handler of the v1 method path that reads and writes the v1alpha
messages, which are byte-for-byte the v1 ones on the wire. The v1 file's
descriptor, the v1alpha one under the v1 package, is added to the pool so
that reflection lists and describes the v1 service too.
"""

from __future__ import annotations

import contextlib

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool

__all__ = ["V1_SERVICE", "V1ALPHA_SERVICE", "enable_reflection"]

V1_SERVICE = "grpc.reflection.v1.ServerReflection"
V1ALPHA_SERVICE = "grpc.reflection.v1alpha.ServerReflection"
_V1_FILE = "grpc/reflection/v1/reflection.proto"
_METHOD = "ServerReflectionInfo"


def enable_reflection(
    server: grpc.aio.Server, service_names: list[str], pool: descriptor_pool.DescriptorPool
) -> None:
    """Serve reflection v1 and v1alpha on ``server``, describing ``service_names``
    (the two reflection services are added to them) from ``pool``."""
    from grpc_reflection.v1alpha import reflection, reflection_pb2

    _add_v1_file(pool, reflection_pb2.DESCRIPTOR)
    names = sorted({*service_names, V1_SERVICE, V1ALPHA_SERVICE})
    servicer = reflection.aio.ReflectionServicer(names, pool=pool)
    reflection.enable_server_reflection(names, server, pool=pool)
    handler = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(V1_SERVICE, {_METHOD: handler}),)
    )


def _add_v1_file(pool: descriptor_pool.DescriptorPool, v1alpha: object) -> None:
    """The v1 reflection.proto, made from v1alpha's by renaming its package."""
    with contextlib.suppress(KeyError):
        pool.FindFileByName(_V1_FILE)
        return
    proto = descriptor_pb2.FileDescriptorProto()
    v1alpha.CopyToProto(proto)  # type: ignore[attr-defined]
    old_package = proto.package
    proto.name = _V1_FILE
    proto.package = "grpc.reflection.v1"
    prefix = f".{old_package}."
    for message in proto.message_type:
        for field in message.field:
            if field.type_name.startswith(prefix):
                field.type_name = ".grpc.reflection.v1." + field.type_name[len(prefix) :]
    for service in proto.service:
        for method in service.method:
            for attribute in ("input_type", "output_type"):
                name = getattr(method, attribute)
                if name.startswith(prefix):
                    setattr(method, attribute, ".grpc.reflection.v1." + name[len(prefix) :])
    proto.options.Clear()
    with contextlib.suppress(TypeError):  # a file of the server's protos declares these names
        pool.Add(proto)
