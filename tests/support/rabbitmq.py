"""The RabbitMQ the tests use, one virtual host per test module, or a skip.

``scripts/test`` makes sure RabbitMQ answers before pytest runs: it exports
``MOCKC_RABBITMQ_REQUIRED=1`` when it does (a RabbitMQ test then fails rather
than skips if the broker stops answering), or ``MOCKC_NO_RABBITMQ=<reason>``
when it could not get one (the tests skip with that reason).
``MOCKC_RABBITMQ_URL`` points at another broker (default the local one,
``amqp://guest:guest@127.0.0.1:5672/``); virtual hosts are made and removed
with ``rabbitmqctl`` on this machine.

    with Vhost() as vhost:
        url = vhost.url                       # amqp://guest:guest@127.0.0.1:5672/mockc-test-…
        vhost.exchanges()                     # {name: (type, durable, auto_delete)}
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import uuid
from types import TracebackType
from urllib.parse import quote

import pika
import pika.exceptions
import pytest

__all__ = ["DEFAULT_RABBITMQ_URL", "Vhost", "rabbitmq_url"]

DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
_CTL_TIMEOUT_S = 60


@functools.cache
def _problem(url: str) -> str | None:
    """Why RabbitMQ at ``url`` does not answer, or None when it does."""
    parameters = pika.URLParameters(url)
    parameters.socket_timeout = 3
    parameters.blocked_connection_timeout = 3
    try:
        pika.BlockingConnection(parameters).close()
    except pika.exceptions.AMQPError as error:
        return str(error) or type(error).__name__
    except OSError as error:
        return str(error)
    if shutil.which("rabbitmqctl") is None:
        return "rabbitmqctl is not installed (the tests make a virtual host each)"
    return None


def rabbitmq_url() -> str:
    """The base URL of the broker the tests may use; skips the calling test when
    there is none (fails instead when ``scripts/test`` found one that then went away)."""
    missing = os.environ.get("MOCKC_NO_RABBITMQ", "")
    if missing:
        pytest.skip(missing if missing != "1" else "RabbitMQ is not available (MOCKC_NO_RABBITMQ)")
    url = os.environ.get("MOCKC_RABBITMQ_URL") or DEFAULT_RABBITMQ_URL
    problem = _problem(url)
    if problem is not None:
        reason = f"RabbitMQ is missing: {url.split('@')[-1]}: {problem}"
        if os.environ.get("MOCKC_RABBITMQ_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


def ctl(*args: str) -> str:
    """Run ``rabbitmqctl`` quietly; its output."""
    done = subprocess.run(
        ["rabbitmqctl", "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=_CTL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"rabbitmqctl {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if line.strip()]


class Vhost:
    """A virtual host of its own for a test module, removed afterwards."""

    def __init__(self) -> None:
        base = rabbitmq_url().rstrip("/")
        self.name = f"mockc-test-{uuid.uuid4().hex[:12]}"
        self.url = f"{base}/{quote(self.name, safe='')}"
        self.user = pika.URLParameters(base + "/").credentials.username

    def __enter__(self) -> Vhost:
        ctl("add_vhost", self.name)
        ctl("set_permissions", "-p", self.name, self.user, ".*", ".*", ".*")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        ctl("delete_vhost", self.name)

    # -- what the broker holds -------------------------------------------------

    def exchanges(self) -> dict[str, tuple[str, bool, bool]]:
        """The vhost's own exchanges (not ``amq.*`` nor the default one):
        name → (type, durable, auto_delete)."""
        rows = _rows(
            ctl(
                "list_exchanges",
                "-p",
                self.name,
                "name",
                "type",
                "durable",
                "auto_delete",
                "--no-table-headers",
            )
        )
        return {
            row[0]: (row[1], row[2] == "true", row[3] == "true")
            for row in rows
            if row[0] and not row[0].startswith("amq.")
        }

    def queues(self) -> dict[str, tuple[bool, bool, bool]]:
        """name → (durable, auto_delete, exclusive)."""
        rows = _rows(
            ctl(
                "list_queues",
                "-p",
                self.name,
                "name",
                "durable",
                "auto_delete",
                "exclusive",
                "--no-table-headers",
            )
        )
        return {row[0]: (row[1] == "true", row[2] == "true", row[3] == "true") for row in rows}

    def bindings(self) -> set[tuple[str, str, str]]:
        """(exchange, queue, routing key) of every binding but the default exchange's."""
        rows = _rows(
            ctl(
                "list_bindings",
                "-p",
                self.name,
                "source_name",
                "destination_name",
                "routing_key",
                "--no-table-headers",
            )
        )
        return {(row[0], row[1], row[2]) for row in rows if row[0]}

    def close_connections(self) -> None:
        """Close every client connection to this vhost (as an operator would)."""
        ctl("close_all_connections", "-p", self.name, "closed by a test")
