"""gRPC target: services of .proto files served by a standalone grpc.aio server."""

from .generator import GrpcOptions, generate

__all__ = ["GrpcOptions", "generate"]
