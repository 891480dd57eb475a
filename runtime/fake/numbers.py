"""Fake integers and numbers within a schema's bounds, ``multipleOf`` and ``format``."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .words import normalise_name

__all__ = ["fake_integer", "fake_number", "is_multiple"]

_FORMAT_RANGES: Mapping[str, tuple[int, int]] = {
    "int8": (-(2**7), 2**7 - 1),
    "int16": (-(2**15), 2**15 - 1),
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "uint8": (0, 2**8 - 1),
    "uint16": (0, 2**16 - 1),
    "uint32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
}

_NAME_RANGES: tuple[tuple[tuple[str, ...], tuple[float, float]], ...] = (
    (("latitude", "lat"), (-90.0, 90.0)),
    (("longitude", "lng", "lon"), (-180.0, 180.0)),
    (("year",), (1990, 2030)),
    (("age",), (18, 90)),
    (("percent", "ratio", "rate", "score"), (0, 100)),
    (("price", "amount", "cost", "total", "balance", "fee"), (1, 1000)),
    (("count", "size", "limit", "offset", "page", "quantity", "qty", "number", "num"), (0, 100)),
    (("id",), (1, 1000)),
)
_DEFAULT_RANGE = (0, 100)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@lru_cache(maxsize=4096)
def _name_range(name: str) -> tuple[float, float]:
    key = normalise_name(name)
    if key:
        for needles, bounds in _NAME_RANGES:
            if needles == ("id",):
                if key.endswith("id") or key == "id":
                    return bounds
            elif any(needle in key for needle in needles):
                return bounds
    return _DEFAULT_RANGE


def _bounds(schema: Mapping[str, Any]) -> tuple[float | None, bool, float | None, bool]:
    """(low, low_is_exclusive, high, high_is_exclusive), tightest of both keyword forms."""
    low, high = _num(schema.get("minimum")), _num(schema.get("maximum"))
    low_ex = high_ex = False
    ex_low, ex_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if ex_low is True:  # draft 4 / OpenAPI 3.0 boolean form
        low_ex = low is not None
    elif (value := _num(ex_low)) is not None and (low is None or value >= low):
        low, low_ex = value, True
    if ex_high is True:
        high_ex = high is not None
    elif (value := _num(ex_high)) is not None and (high is None or value <= high):
        high, high_ex = value, True
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMAT_RANGES:
        fmt_low, fmt_high = _FORMAT_RANGES[fmt]
        if low is None or low < fmt_low:
            low, low_ex = fmt_low, False
        if high is None or high > fmt_high:
            high, high_ex = fmt_high, False
    return low, low_ex, high, high_ex


def _integer_bounds(schema: Mapping[str, Any]) -> tuple[int | None, int | None]:
    low, low_ex, high, high_ex = _bounds(schema)
    int_low = None if low is None else (math.floor(low) + 1 if low_ex else math.ceil(low))
    int_high = None if high is None else (math.ceil(high) - 1 if high_ex else math.floor(high))
    return int_low, int_high


def _preferred(low: float | None, high: float | None, name: str) -> tuple[float, float]:
    """The name's realistic range, intersected with the schema's, or the schema's alone."""
    pref_low, pref_high = _name_range(name)
    lo = pref_low if low is None else max(low, pref_low)
    hi = pref_high if high is None else min(high, pref_high)
    if lo <= hi:
        return lo, hi
    if low is not None and high is not None:
        return low, high
    if low is not None:
        return low, low + (pref_high - pref_low)
    assert high is not None
    return high - (pref_high - pref_low), high


def fake_integer(schema: Mapping[str, Any], rng: random.Random, name: str = "") -> int:
    low, high = _integer_bounds(schema)
    step = _num(schema.get("multipleOf"))
    lo, hi = _preferred(low, high, name)
    lo_i, hi_i = math.ceil(lo), math.floor(hi)
    if step is not None and step > 0:
        if float(step).is_integer():
            return _integer_multiple(int(step), low, high, lo_i, hi_i, rng)
        value = _float_multiple(step, low, high, lo, hi, rng, want_integer=True)
        if value is not None:
            return int(value)
    if lo_i > hi_i:
        return int(low if low is not None else (high if high is not None else 0))
    return rng.randint(lo_i, hi_i)


def _integer_multiple(
    step: int, low: int | None, high: int | None, lo: int, hi: int, rng: random.Random
) -> int:
    first, last = -(-lo // step), hi // step
    if first > last:  # preferred range too narrow: use the schema's own bounds
        first = -(-low // step) if low is not None else (last if high is not None else 0)
        last = high // step if high is not None else first + 10
    if first > last:
        return first * step
    return rng.randint(first, min(last, first + 1000)) * step


def is_multiple(value: float, step: float) -> bool:
    """The ``multipleOf`` test as common validators run it."""
    if isinstance(step, float):
        quotient = value / step
        return math.isfinite(quotient) and int(quotient) == quotient
    return isinstance(value, int) and value % step == 0


def _float_multiple(
    step: float,
    low: float | None,
    high: float | None,
    lo: float,
    hi: float,
    rng: random.Random,
    *,
    low_ex: bool = False,
    high_ex: bool = False,
    want_integer: bool = False,
) -> float | None:
    decimals = max(0, -math.floor(math.log10(step)) + 2) if step < 1 else 0
    for bound_lo, bound_hi in ((lo, hi), (low, high)):
        start = math.ceil(bound_lo / step) if bound_lo is not None else 0
        stop = math.floor(bound_hi / step) if bound_hi is not None else start + 100
        if start > stop:
            continue
        for _ in range(20):
            k = rng.randint(start, min(stop, start + 1000))
            value = round(k * step, decimals)
            if want_integer and not value.is_integer():
                continue
            if _strictly(value, low, low_ex, high, high_ex) and is_multiple(value, step):
                return value
    return None


def fake_number(schema: Mapping[str, Any], rng: random.Random, name: str = "") -> float:
    low, low_ex, high, high_ex = _bounds(schema)
    step = _num(schema.get("multipleOf"))
    lo, hi = _preferred(low, high, name)
    if step is not None and step > 0:
        value = _float_multiple(float(step), low, high, lo, hi, rng, low_ex=low_ex, high_ex=high_ex)
        if value is not None:
            return value
    for _ in range(10):
        value = round(rng.uniform(lo, hi), 2)
        if _strictly(value, low, low_ex, high, high_ex):
            return float(value)
    middle = (lo + hi) / 2
    if _strictly(middle, low, low_ex, high, high_ex):
        return float(middle)
    return float(low if low is not None else (high if high is not None else 0))


def _strictly(
    value: float, low: float | None, low_ex: bool, high: float | None, high_ex: bool
) -> bool:
    if low is not None and (value < low or (low_ex and value == low)):
        return False
    return not (high is not None and (value > high or (high_ex and value == high)))
