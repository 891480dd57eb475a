"""Kafka tests: one Tansu broker for the session (skipped, saying why, when its
binary cannot run), and generated Kafka mock services run as real processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.tansu import Tansu, TansuFailed, unusable


@pytest.fixture(scope="session")
def tansu() -> Iterator[Tansu]:
    reason = unusable()
    if reason:
        pytest.skip(f"no Kafka broker for the tests: {reason}")
    try:
        broker = Tansu.start()
    except TansuFailed as error:
        pytest.skip(f"no Kafka broker for the tests: {error}")
    with broker:
        yield broker
