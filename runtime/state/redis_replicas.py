"""What the replicas of one server agree on through Redis, besides the mocks' state.

Keys, under the store's ``mockc:{namespace}:`` prefix:

- ``seq:{mock}`` — the counter a response sequence's position comes from (INCR);
- ``scenario`` — the shared active scenario, as JSON (a name, or null);
- ``scenario:version`` — a counter raised with every change of ``scenario``, which
  each replica reads (cheaply, now and then) to see whether to switch.

:meth:`~.redis.RedisStore.clear` deletes the positions and keeps the scenario.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .redis import _Client

__all__ = ["SCENARIO_KEYS", "RedisReplicas"]

SCENARIO_KEYS = ("scenario", "scenario:version")
"""The keys (after the prefix) that clearing the state keeps."""

# Set the scenario and raise its version in one step; with ARGV[2] == '1', only
# when no replica has set one yet (then the version already there is returned).
_SET_SCENARIO = """
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
  return redis.call('GET', KEYS[2])
end
redis.call('SET', KEYS[1], ARGV[1])
return redis.call('INCR', KEYS[2])
"""


class RedisReplicas:
    """A :class:`~.base.ReplicaControl` in the Redis of a :class:`~.redis.RedisStore`."""

    def __init__(self, client: _Client) -> None:
        self._client = client
        self._positions = client.prefix + "seq:"
        self._scenario = client.prefix + SCENARIO_KEYS[0]
        self._version = client.prefix + SCENARIO_KEYS[1]
        self._set_scenario = client.redis.register_script(_SET_SCENARIO)

    def next_position(self, sequence: str) -> int:
        with self._client.calls(f"advancing the response sequence of {sequence!r}"):
            return int(self._client.redis.incr(self._positions + sequence)) - 1

    def active_scenario(self) -> tuple[int, str | None]:
        with self._client.calls("reading the active scenario"):
            version, text = self._client.redis.mget([self._version, self._scenario])
        if version is None or text is None:
            return 0, None
        name = self._client.decode(text, self._scenario)
        try:
            number = int(version)
        except ValueError:
            number = 0
        return number, name if isinstance(name, str) and name else None

    def set_active_scenario(self, name: str | None, *, unless_set: bool = False) -> int:
        encoded = self._client.encode(name, "the active scenario")
        with self._client.calls("sharing the active scenario"):
            version = self._set_scenario(
                keys=[self._scenario, self._version], args=[encoded, "1" if unless_set else "0"]
            )
        try:
            return int(version)
        except (TypeError, ValueError):
            return 0
