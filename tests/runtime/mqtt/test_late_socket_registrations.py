"""aiomqtt asks the loop to watch a socket that may be closed by the time the
loop gets to it (the connection dropped meanwhile): the service says so in one
debug line, not a traceback, and other failures are reported as before."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from mockc.runtime.mqtt.client import quiet_late_socket_registrations


def _closed_fd() -> int:
    probe = socket.socket()
    fd = probe.fileno()
    probe.close()
    return fd


async def _run_callbacks(*calls: tuple[object, ...]) -> None:
    loop = asyncio.get_running_loop()
    quiet_late_socket_registrations(loop)
    quiet_late_socket_registrations(loop)  # once per loop, however often it is asked
    for callback, *args in calls:
        loop.call_soon(callback, *args)  # type: ignore[arg-type]
    await asyncio.sleep(0.05)


@pytest.mark.parametrize("watch", ["add_writer", "add_reader"])
@pytest.mark.parametrize("fd", [-1, "closed"])
def test_watching_a_closed_socket_is_one_debug_line(
    caplog: pytest.LogCaptureFixture, watch: str, fd: int | str
) -> None:
    number = _closed_fd() if fd == "closed" else fd

    async def main() -> None:
        loop = asyncio.get_running_loop()
        await _run_callbacks((getattr(loop, watch), number, lambda: None))

    with caplog.at_level(logging.DEBUG):
        asyncio.run(main())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    lines = [r.getMessage() for r in caplog.records if r.name == "mockc.mqtt"]
    assert len(lines) == 1 and "socket closed before the loop watched it" in lines[0]


def test_other_failures_in_the_loop_are_still_reported(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise ValueError("a callback of the service's own")

    with caplog.at_level(logging.DEBUG):
        asyncio.run(_run_callbacks((broken,)))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info is not None
    assert "a callback of the service's own" in str(errors[0].exc_info[1])
    assert not [r for r in caplog.records if r.name == "mockc.mqtt"]
