"""A stream read in the background by a real SSE client (httpx-sse)."""

from __future__ import annotations

import threading

import httpx
from httpx_sse import ServerSentEvent, connect_sse

TIMEOUT = httpx.Timeout(10.0)


class Reader(threading.Thread):
    """Reads ``count`` events in the background; ``ready`` once the stream is open."""

    def __init__(self, url: str, count: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(daemon=True)
        self.url, self.count, self.headers = url, count, headers
        self.events: list[ServerSentEvent] = []
        self.ready = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with (
                httpx.Client(timeout=TIMEOUT) as client,
                connect_sse(client, "GET", self.url, headers=dict(self.headers or {})) as source,
            ):
                self.ready.set()
                for event in source.iter_sse():
                    self.events.append(event)
                    if len(self.events) == self.count:
                        return
        except BaseException as error:  # reported by the test
            self.error = error
            self.ready.set()

    def result(self) -> list[ServerSentEvent]:
        self.join(timeout=15)
        assert self.error is None, self.error
        assert not self.is_alive(), f"only {len(self.events)} of {self.count} events arrived"
        return self.events


def open_stream(url: str, count: int = 1) -> Reader:
    """A reader of the first ``count`` events at ``url``, once the stream is open."""
    reader = Reader(url, count)
    reader.start()
    assert reader.ready.wait(10)
    threading.Event().wait(0.3)  # the server registers the stream it just opened
    return reader
