"""The floor of the gRPC benchmark: the least a grpc.aio server can do for `SayHello`.

A hand-written servicer of helloworld's `Greeter` that answers a constant
`HelloReply`, with the generated stubs of grpcio-tools, on grpc.aio with the
same server options as a generated mockc server. It matches nothing, records
nothing and renders nothing, so its calls/s is the ceiling a generated server
(same library, same Python) can hope to approach.

    PYTHONPATH=DIR_WITH_HELLOWORLD_PB2 python bench/grpc_floor.py PORT
"""

from __future__ import annotations

import asyncio
import signal
import sys

import grpc
import helloworld_pb2  # type: ignore[import-not-found]
import helloworld_pb2_grpc  # type: ignore[import-not-found]

REPLY = helloworld_pb2.HelloReply(message="Dolore dolore consectetur et et ipsum adipiscing.")
OPTIONS = (
    ("grpc.max_receive_message_length", 4 * 1024 * 1024),
    ("grpc.max_send_message_length", 4 * 1024 * 1024),
    ("grpc.so_reuseport", 0),
)


class Greeter(helloworld_pb2_grpc.GreeterServicer):  # type: ignore[misc]
    async def SayHello(self, request: object, context: object) -> object:  # noqa: N802
        return REPLY


async def serve(port: int) -> None:
    server = grpc.aio.server(options=OPTIONS)
    helloworld_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopping.set)
    print(f"floor: serving on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    await stopping.wait()
    await server.stop(0)


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1])))
