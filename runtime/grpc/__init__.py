"""The gRPC adapter: grpc.aio method handlers over the protocol-neutral engine."""
