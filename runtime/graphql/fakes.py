"""Deterministic fake values of GraphQL leaf types (scalars and enums).

A value depends only on the server seed and its *key*, the path of names that
leads to it from the root field and its arguments (``query_person({"id":"1"})
.homeworld.name``): the same field of the same object answers the same value
whatever else a query selects, and different arguments give other values.
Field names steer realism (``email``, ``city``, ``createdAt``); custom
scalars follow the JSON Schema the compiler chose for their name
(``DateTime``: a date-time, ``URL``: a URI, ``JSON``: an object).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..fake import FakeData
from ..fake.numbers import fake_integer, fake_number
from ..fake.strings import fake_string

__all__ = ["LeafFakes", "rng_for", "stable_index"]

_INT = {"type": "integer", "format": "int32"}
_FLOAT = {"type": "number"}
_STRING = {"type": "string"}
_ID = {"type": "integer", "minimum": 1, "maximum": 99_999}
_CACHE_SIZE = 65_536

Maker = Callable[[random.Random, str, str], Any]
"""``make(rng, key, field name) -> value``."""


def rng_for(seed: int, key: str) -> random.Random:
    digest = hashlib.blake2b(f"{seed}\x00{key}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def stable_index(key: str, count: int) -> int:
    """A choice among ``count`` that depends only on ``key``."""
    digest = hashlib.blake2b(key.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % count


class LeafFakes:
    """Fake values per leaf type, cached (bounded) by key."""

    def __init__(self, seed: int, scalars: Mapping[str, Any]) -> None:
        self.seed = seed
        self._custom = FakeData(dict(scalars), seed=seed)
        self._scalars = scalars
        self._cache: dict[str, Any] = {}
        self._makers: dict[str, Maker] = {
            "Int": lambda rng, key, name: fake_integer(_INT, rng, name),
            "Float": lambda rng, key, name: fake_number(_FLOAT, rng, name),
            "String": lambda rng, key, name: fake_string(_STRING, rng, name),
            "Boolean": lambda rng, key, name: rng.random() < 0.5,
            "ID": lambda rng, key, name: str(fake_integer(_ID, rng, name)),
        }

    def maker(self, type_name: str, enum_values: Sequence[str] | None = None) -> Maker:
        """How values of the leaf type ``type_name`` are made."""
        found = self._makers.get(type_name)
        if found is not None:
            return found
        if enum_values is not None:
            choices = tuple(enum_values) or ("",)
            found = lambda rng, key, name: rng.choice(choices)  # noqa: E731
        else:
            schema = self._scalars.get(type_name) or _STRING
            custom = self._custom
            found = lambda rng, key, name: custom.generate(schema, key=key)  # noqa: E731
        self._makers[type_name] = found
        return found

    def value(self, maker: Maker, key: str, name: str) -> Any:
        cache = self._cache
        found = cache.get(key, cache)
        if found is not cache:
            return found
        value = maker(rng_for(self.seed, key), key, name)
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[key] = value
        return value
