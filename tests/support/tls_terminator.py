"""A TLS terminator for tests: accepts TLS connections on a free loopback port and
relays their plain bytes to a TCP server behind it (a broker without TLS of its
own, such as the Tansu the Kafka tests run).

    with TlsTerminator(("127.0.0.1", broker.port), cert, key) as front:
        ...  # clients connect to front.address with TLS

It runs its own asyncio loop in a thread, so synchronous tests can use it.
``handshakes`` counts the TLS handshakes that succeeded.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from pathlib import Path
from types import TracebackType

from tests.support.servers import free_port

__all__ = ["TlsTerminator"]

_CHUNK = 64 * 1024


class TlsTerminator:
    """TLS on ``127.0.0.1:<port>``, relayed in plain TCP to ``upstream``."""

    def __init__(
        self, upstream: tuple[str, int], cert: Path, key: Path, port: int | None = None
    ) -> None:
        self.upstream = upstream
        self.port = port or free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.handshakes = 0
        self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._context.load_cert_chain(cert, key)
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._loop.set_exception_handler(lambda _loop, _context: None)  # refused handshakes
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self) -> TlsTerminator:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        future.result(10)
        return self

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, ssl=self._context, ssl_handshake_timeout=10
        )

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.handshakes += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            _pipe(reader, up_writer), _pipe(up_reader, writer), return_exceptions=True
        )

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._server.wait_closed(), 2)

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        self._loop.close()

    def __enter__(self) -> TlsTerminator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except (OSError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
