"""A Mosquitto of a test's own (:mod:`tests.support.mosquitto`, shared with the
other MQTT tests)."""

from __future__ import annotations

from tests.support.mosquitto import Mosquitto

__all__ = ["Mosquitto"]
