"""The MQTT tests' own Mosquitto: one per test session (per worker), on a free
loopback port, for the tests whose topics are fixed by their documents."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.mosquitto import Mosquitto


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mosquitto]:
    if os.environ.get("MOCKC_NO_MQTT"):
        pytest.skip(os.environ["MOCKC_NO_MQTT"])
    broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"))
    try:
        yield broker
    finally:
        broker.stop()
