"""Following what the replicas of one server share through their state store
(Redis): the active scenario and the positions of response sequences.

The active scenario is read at most every :data:`SCENARIO_CHECK_SECONDS`, by the
first request (or admin call) after that time, so a request costs one clock
reading, and a switch made through one replica is served by every other from
their next request after at most that long. A store that cannot be reached
while following leaves the replica serving what it served, with one warning
per outage.
"""

from __future__ import annotations

import logging
from time import monotonic

from ..state import ReplicaControl, StateError

__all__ = ["SCENARIO_CHECK_SECONDS", "SharedPositions", "SharedScenario"]

log = logging.getLogger("mockc.state")

SCENARIO_CHECK_SECONDS = 0.2
"""How long a replica serves the active scenario it knows before asking again."""


class _Outage:
    """Warn once when the shared store fails, once when it answers again."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.failing = False

    def failed(self, error: StateError) -> None:
        if not self.failing:
            log.warning("%s: %s; going on with this replica's own", self.what, error)
        self.failing = True

    def answered(self) -> None:
        if self.failing:
            log.warning("%s: the state store answers again", self.what)
        self.failing = False


class SharedPositions:
    """Positions of response sequences, one counter per mock in the shared store."""

    def __init__(self, control: ReplicaControl) -> None:
        self._control = control
        self._outage = _Outage("sharing response sequences")

    def next(self, sequence: str) -> int | None:
        """The next position of ``sequence``; None when the store failed (the mock
        then goes on with its own counter)."""
        try:
            position = self._control.next_position(sequence)
        except StateError as error:
            self._outage.failed(error)
            return None
        if self._outage.failing:
            self._outage.answered()
        return position


class SharedScenario:
    """The shared active scenario, as this replica last saw it."""

    def __init__(self, control: ReplicaControl) -> None:
        self._control = control
        self.version = 0
        """The version of the scenario this replica serves."""
        self.next_check = 0.0
        """When (``time.monotonic``) to ask the store again."""
        self._outage = _Outage("following the shared active scenario")

    def due(self) -> bool:
        return monotonic() >= self.next_check

    def startup(self, requested: str | None, remembered: str | None) -> str | None:
        """The scenario to serve at start-up: ``requested`` (shared with every
        replica), else the one shared already, else ``remembered`` (then shared).
        Raises StateError when the store cannot be reached."""
        if requested:
            self.version = self._control.set_active_scenario(requested)
            return requested
        self._control.set_active_scenario(remembered, unless_set=True)
        self.version, name = self._control.active_scenario()
        self.next_check = monotonic() + SCENARIO_CHECK_SECONDS
        return name

    def share(self, name: str | None) -> None:
        """Make ``name`` the active scenario of every replica."""
        self.version = self._control.set_active_scenario(name)
        self.next_check = monotonic() + SCENARIO_CHECK_SECONDS

    def changed(self) -> tuple[bool, str | None]:
        """(True, name) when another replica switched the scenario since this one
        last looked; (False, None) otherwise, or when the store failed."""
        self.next_check = monotonic() + SCENARIO_CHECK_SECONDS
        try:
            version, name = self._control.active_scenario()
        except StateError as error:
            self._outage.failed(error)
            return False, None
        if self._outage.failing:
            self._outage.answered()
        if version == self.version:
            return False, None
        self.version = version
        return True, name
