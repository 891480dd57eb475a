"""How ``scripts/test`` shares the tests among pytest-xdist workers.

A unit of work is a test file (its module-scoped fixtures, such as a generated
server, a RabbitMQ virtual host or a Kafka topic, are built once, on one
worker), or a named group: every test marked ``pytest.mark.xdist_group("NAME")``
runs on one worker, one after another, whatever its file. Files marked
``slow`` are handed out first, then the others by test count (most first), so
that no long file starts last and keeps one worker busy after the others are
done.
"""

from __future__ import annotations

import pytest
from xdist.scheduler.loadscope import LoadScopeScheduling

__all__ = ["FileOrGroupScheduling", "order_for_workers"]


class FileOrGroupScheduling(LoadScopeScheduling):
    """``--dist loadgroup`` with files (not single tests) as the default unit."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.rfind("@") > nodeid.rfind("]"):  # xdist appends "@group"
            return nodeid.split("@")[-1]
        return nodeid.split("::", 1)[0]


def _unit(item: pytest.Item) -> str:
    groups = sorted(str(mark.args[0]) for mark in item.iter_markers("xdist_group") if mark.args)
    return "@" + "_".join(groups) if groups else item.nodeid.split("::", 1)[0]


def order_for_workers(items: list[pytest.Item]) -> None:
    """Sort ``items`` (the same way on every worker) into the order in which their
    units are handed out: slow units first, then by test count; a unit's own
    tests keep their order."""
    counts: dict[str, int] = {}
    slow: set[str] = set()
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        unit = _unit(item)
        counts[unit] = counts.get(unit, 0) + 1
        first.setdefault(unit, index)
        if item.get_closest_marker("slow") is not None:
            slow.add(unit)
    position = {item.nodeid: index for index, item in enumerate(items)}

    def key(item: pytest.Item) -> tuple[bool, int, int, int]:
        unit = _unit(item)
        return (unit not in slow, -counts[unit], first[unit], position[item.nodeid])

    items.sort(key=key)
