"""Following what the replicas of one server share through their state store
(Redis): the active scenario and the positions of response sequences.

A thread of each replica reads the scenario's version every
:data:`SCENARIO_CHECK_SECONDS` and switches when another replica changed it, so
requests pay nothing for it (and never wait on the store for it), and a switch
made through one replica is served by every other within about that long. A
store that cannot be reached leaves the replica serving what it served, with
one warning per outage.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable

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
        self._outage = _Outage("following the shared active scenario")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def startup(self, requested: str | None, remembered: str | None) -> str | None:
        """The scenario to serve at start-up: ``requested`` (shared with every
        replica), else the one shared already, else ``remembered`` (then shared).
        Raises StateError when the store cannot be reached."""
        if requested:
            self.version = self._control.set_active_scenario(requested)
            return requested
        self._control.set_active_scenario(remembered, unless_set=True)
        self.version, name = self._control.active_scenario()
        return name

    def share(self, name: str | None) -> None:
        """Make ``name`` the active scenario of every replica."""
        self.version = self._control.set_active_scenario(name)

    def follow(self, switch: Callable[[str | None], None]) -> None:
        """Call ``switch(name)`` from a thread whenever another replica changes the
        scenario, until :meth:`stop` (or until ``switch``'s object is gone: the
        thread holds it weakly)."""
        if self._thread is not None:
            return
        method = weakref.WeakMethod(switch)  # type: ignore[arg-type, unused-ignore]
        self._thread = threading.Thread(
            target=self._run, args=(method,), name="mockc-scenario", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self, method: weakref.WeakMethod[Callable[[str | None], None]]) -> None:
        while not self._stop.wait(SCENARIO_CHECK_SECONDS):
            changed, name = self.changed()
            switch = method()
            if switch is None:
                return
            if changed:
                try:
                    switch(name)
                except Exception:  # noqa: BLE001 - the thread must outlive any one failure
                    log.exception("switching to the shared active scenario %r failed", name)
            del switch

    def changed(self) -> tuple[bool, str | None]:
        """(True, name) when another replica switched the scenario since this one
        last looked; (False, None) otherwise, or when the store failed."""
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
