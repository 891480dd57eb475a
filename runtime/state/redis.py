"""The Redis state store: one state shared by every replica of a server.

Every key lives under ``mockc:{namespace}:`` so that several servers can share
one Redis:

- ``kv:{key}`` — a value or counter, as JSON text (counters are JSON integers,
  which Redis's ``INCRBY`` reads as they are);
- ``col:{name}:records`` — a hash of record id → record (JSON);
- ``col:{name}:order`` — a sorted set of record ids, scored by creation sequence;
- ``col:{name}:seq`` — the counter that sequence comes from;
- ``col:{name}:ids`` — the counter :meth:`next_id` hands out;
- ``collections`` — the set of collection names, for :meth:`RedisStore.snapshot`;
- ``seq:…`` and ``scenario…`` — what replicas agree on besides (``redis_replicas.py``).

The namespace is percent-encoded, so it never contains ``:`` or glob characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import redis
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, RedisError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from .base import StateError
from .factory import redact_url
from .redis_replicas import SCENARIO_KEYS, RedisReplicas

__all__ = ["RedisStore"]

_SCAN_BATCH = 500
_INT64 = 2**63

# INCRBY failed (the key holds something other than a 64-bit integer): start the
# counter again from the increment, as the memory store does; an integer that
# would overflow is an error. Atomic, so concurrent replicas lose no increment.
_INCR_FALLBACK = """
local result = redis.pcall('INCRBY', KEYS[1], ARGV[1])
if type(result) == 'table' and result.err then
  local current = redis.call('GET', KEYS[1])
  if current and string.match(current, '^%-?%d+$') then
    return result
  end
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return result
"""


def _glob_escape(text: str) -> str:
    """``text`` as a literal inside a Redis ``MATCH`` pattern."""
    return "".join("\\" + char if char in "\\*?[]^" else char for char in text)


def _text(value: str | bytes) -> str:
    """A reply as text (the pool decodes replies; this only narrows the type)."""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


class _Client:
    """The connection pool, the key layout and the error translation one store shares."""

    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        socket_timeout: float,
        connect_timeout: float,
        max_connections: int,
    ) -> None:
        self.url = redact_url(url)
        self.prefix = f"mockc:{quote(namespace, safe='')}:"
        self.socket_timeout = socket_timeout
        try:
            self.pool = redis.ConnectionPool.from_url(
                url,
                decode_responses=True,
                socket_timeout=socket_timeout,
                socket_connect_timeout=connect_timeout,
                max_connections=max_connections,
                # One immediate retry after a broken connection (Redis restarted,
                # idle connection dropped); a timeout is not retried.
                retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            )
        except (TypeError, ValueError) as error:
            raise StateError(
                f"invalid Redis URL {self.url}: {_one_line(error)}; "
                "expected redis://[user:password@]host[:port][/db], rediss://… or unix:///path"
            ) from None
        self.redis = redis.Redis(connection_pool=self.pool)
        self.incr_fallback = self.redis.register_script(_INCR_FALLBACK)

    @contextmanager
    def calls(self, action: str) -> Iterator[None]:
        """Turn the Redis errors raised inside into :class:`StateError`."""
        try:
            yield
        except AuthenticationError as error:
            raise StateError(
                f"Redis at {self.url} refused the credentials while {action} "
                f"({_one_line(error)}); check the user and password in the state URL"
            ) from error
        except RedisTimeoutError as error:
            raise StateError(
                f"Redis at {self.url} did not answer within {self.socket_timeout:g}s while "
                f"{action}; check that it runs and is reachable from here"
            ) from error
        except RedisConnectionError as error:
            raise StateError(
                f"cannot reach Redis at {self.url} while {action} ({_one_line(error)}); "
                "start Redis there or set MOCKC_STATE to a reachable redis:// URL "
                "(or to 'memory')"
            ) from error
        except RedisError as error:
            raise StateError(
                f"Redis at {self.url} failed while {action}: {_one_line(error)}"
            ) from error

    def encode(self, value: Any, what: str) -> str:
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as error:
            raise StateError(f"{what} is not JSON data: {_one_line(error)}") from None

    def decode(self, reply: str | bytes, where: str) -> Any:
        text = _text(reply)
        try:
            return json.loads(text)
        except ValueError:
            raise StateError(
                f"Redis key {where!r} at {self.url} holds {text[:40]!r}, which is not JSON; "
                "delete the key or clear the state"
            ) from None

    def scan(self, pattern: str) -> Iterator[str]:
        """Every key matching ``pattern`` (at least once; SCAN may repeat one)."""
        yield from self.redis.scan_iter(match=pattern, count=_SCAN_BATCH)


class _RedisCollection:
    """One collection of a :class:`RedisStore`; see the module docstring for its keys."""

    def __init__(self, client: _Client, name: str) -> None:
        self._client = client
        self._name = name
        base = f"{client.prefix}col:{name}:"
        self._records = base + "records"
        self._order = base + "order"
        self._seq = base + "seq"
        self._ids = base + "ids"
        self._registry = client.prefix + "collections"

    def next_id(self) -> int:
        with self._client.calls(f"handing out an id in collection {self._name!r}"):
            pipe = self._client.redis.pipeline(transaction=True)
            pipe.incr(self._ids)
            pipe.sadd(self._registry, self._name)
            value, _ = pipe.execute()
        return int(value)

    def list(self) -> list[Any]:
        with self._client.calls(f"listing collection {self._name!r}"):
            pipe = self._client.redis.pipeline(transaction=True)
            pipe.zrange(self._order, 0, -1)
            pipe.hgetall(self._records)
            order, records = pipe.execute()
        return [
            self._client.decode(records[record_id], self._records)
            for record_id in order
            if record_id in records
        ]

    def get(self, record_id: str) -> Any | None:
        with self._client.calls(f"reading record {record_id!r} of {self._name!r}"):
            text = self._client.redis.hget(self._records, record_id)
        return None if text is None else self._client.decode(text, self._records)

    def put(self, record_id: str, record: Any) -> bool:
        encoded = self._client.encode(record, f"record {record_id!r} of {self._name!r}")
        with self._client.calls(f"storing record {record_id!r} of {self._name!r}"):
            sequence = int(self._client.redis.incr(self._seq))
            pipe = self._client.redis.pipeline(transaction=True)
            pipe.hset(self._records, record_id, encoded)
            # NX: a replaced record keeps the place it was created in.
            pipe.zadd(self._order, {record_id: sequence}, nx=True)
            pipe.sadd(self._registry, self._name)
            added, _, _ = pipe.execute()
        return bool(added)

    def delete(self, record_id: str) -> bool:
        with self._client.calls(f"deleting record {record_id!r} of {self._name!r}"):
            pipe = self._client.redis.pipeline(transaction=True)
            pipe.hdel(self._records, record_id)
            pipe.zrem(self._order, record_id)
            removed, _ = pipe.execute()
        return bool(removed)

    def clear(self) -> None:
        with self._client.calls(f"clearing collection {self._name!r}"):
            pipe = self._client.redis.pipeline(transaction=True)
            pipe.delete(self._records, self._order, self._seq, self._ids)
            pipe.sadd(self._registry, self._name)
            pipe.execute()


class RedisStore:
    """A :class:`~.base.StateStore` in Redis, shared by every process that opens
    the same ``url`` and ``namespace``.

    Construction checks the connection (PING); any Redis problem, then or later,
    raises :class:`StateError` naming the URL (without its password).
    """

    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        socket_timeout: float = 2.0,
        connect_timeout: float = 1.0,
        max_connections: int = 64,
    ) -> None:
        if not namespace:
            raise StateError("the Redis state store needs a non-empty namespace")
        self._namespace = namespace
        self._client = _Client(
            url,
            namespace,
            socket_timeout=socket_timeout,
            connect_timeout=connect_timeout,
            max_connections=max_connections,
        )
        self._kv = self._client.prefix + "kv:"
        self._registry = self._client.prefix + "collections"
        self._registered: set[str] = set()
        self._kept = frozenset(self._client.prefix + key for key in SCENARIO_KEYS)
        self._replicas: RedisReplicas | None = None
        try:
            with self._client.calls("connecting"):
                self._client.redis.ping()
        except StateError:
            self._client.pool.disconnect()
            raise

    @property
    def url(self) -> str:
        """The Redis URL, its password hidden."""
        return self._client.url

    @property
    def namespace(self) -> str:
        return self._namespace

    def __repr__(self) -> str:
        return f"RedisStore({self.url!r}, {self._namespace!r})"

    def get(self, key: str, default: Any = None) -> Any:
        with self._client.calls(f"reading key {key!r}"):
            text = self._client.redis.get(self._kv + key)
        return default if text is None else self._client.decode(text, self._kv + key)

    def put(self, key: str, value: Any) -> None:
        encoded = self._client.encode(value, f"the value of key {key!r}")
        with self._client.calls(f"writing key {key!r}"):
            self._client.redis.set(self._kv + key, encoded)

    def delete(self, key: str) -> bool:
        with self._client.calls(f"deleting key {key!r}"):
            return bool(self._client.redis.delete(self._kv + key))

    def incr(self, key: str, by: int = 1) -> int:
        if not -_INT64 <= by < _INT64:
            raise StateError(f"cannot add {by} to counter {key!r}: not a 64-bit integer")
        with self._client.calls(f"incrementing counter {key!r}"):
            try:
                return int(self._client.redis.incrby(self._kv + key, by))
            except ResponseError:
                return int(self._client.incr_fallback(keys=[self._kv + key], args=[by]))

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key in self._keys(prefix) if key.startswith(prefix))

    def _keys(self, prefix: str = "") -> set[str]:
        pattern = _glob_escape(self._kv + prefix) + "*"
        with self._client.calls("listing keys"):
            return {key[len(self._kv) :] for key in self._client.scan(pattern)}

    def snapshot(self) -> dict[str, Any]:
        names = sorted(self._keys())
        values: dict[str, Any] = {}
        with self._client.calls("reading every key"):
            for start in range(0, len(names), _SCAN_BATCH):
                batch = names[start : start + _SCAN_BATCH]
                texts = self._client.redis.mget([self._kv + name for name in batch])
                for name, text in zip(batch, texts, strict=True):
                    if text is not None:
                        values[name] = self._client.decode(text, self._kv + name)
            collections = sorted(
                _text(name) for name in self._client.redis.smembers(self._registry)
            )
        return {
            "values": values,
            "collections": {
                name: _RedisCollection(self._client, name).list() for name in collections
            },
        }

    def collection(self, name: str) -> _RedisCollection:
        if name not in self._registered:
            with self._client.calls(f"opening collection {name!r}"):
                self._client.redis.sadd(self._registry, name)
            self._registered.add(name)
        return _RedisCollection(self._client, name)

    def replicas(self) -> RedisReplicas:
        if self._replicas is None:
            self._replicas = RedisReplicas(self._client)
        return self._replicas

    def clear(self) -> None:
        """Delete every key of this namespace (SCAN and DEL in batches) but the
        shared active scenario."""
        self._registered = set()
        pattern = _glob_escape(self._client.prefix) + "*"
        with self._client.calls("clearing the state"):
            batch: list[str] = []
            for key in self._client.scan(pattern):
                if key in self._kept:
                    continue
                batch.append(key)
                if len(batch) >= _SCAN_BATCH:
                    self._client.redis.delete(*batch)
                    batch = []
            if batch:
                self._client.redis.delete(*batch)

    def close(self) -> None:
        self._client.redis.close()
        self._client.pool.disconnect()
