"""The functions, ``state.*`` methods and filters an expression may call.

Each table maps a name to a :class:`Callee`: how many arguments it takes,
its implementation, and whether it is pure (then a call with constant
arguments is computed once, at compile time). No implementation raises,
except RenderLimitError for results that would be too large: a misuse (a
wrong argument type, an unreachable state store) answers None.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from .limits import MAX_INT_BITS, check_size
from .scope import Scope
from .values import is_number, to_json_text, to_text

__all__ = [
    "FILTERS",
    "FUNCTIONS",
    "MAX_PROCESS_COUNTERS",
    "STATE_METHODS",
    "Callee",
]

MAX_PROCESS_COUNTERS = 10_000
"""How many counter names ``counter()`` remembers without a state store."""
_MAX_FORMAT_LENGTH = 256
_MAX_NUMBER_TEXT = 100
_MISSING = object()


class Callee(NamedTuple):
    """A callable name: arity bounds, implementation, purity."""

    min_args: int
    max_args: int
    call: Callable[..., Any]
    pure: bool = False

    def arity(self) -> str:
        """The accepted argument counts, in words."""
        if self.min_args == self.max_args:
            count = self.min_args
            return f"{count} argument{'' if count == 1 else 's'}"
        return f"{self.min_args} to {self.max_args} arguments"


# -- functions -----------------------------------------------------------------


def _now(scope: Scope, pattern: Any = _MISSING) -> Any:
    moment = datetime.now(UTC)
    if pattern is _MISSING:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    if type(pattern) is not str or len(pattern) > _MAX_FORMAT_LENGTH:
        return None
    try:
        return moment.strftime(pattern)
    except (ValueError, UnicodeError):
        return None


def _uuid(scope: Scope) -> str:
    return str(uuid.uuid4())


_process_counters: dict[str, int] = {}
_counters_lock = threading.Lock()


def _counter(scope: Scope, name: Any) -> Any:
    key = _key(name)
    if key is None:
        return None
    if scope.state is not None:
        try:
            return scope.state.incr("counter:" + key)
        except Exception:
            return None
    with _counters_lock:
        current = _process_counters.get(key)
        if current is None and len(_process_counters) >= MAX_PROCESS_COUNTERS:
            return None
        current = (current or 0) + 1
        _process_counters[key] = current
        return current


def _length(value: Any) -> Any:
    if type(value) in (str, list, tuple, dict):
        return len(value)
    return None


FUNCTIONS: dict[str, Callee] = {
    "counter": Callee(1, 1, _counter),
    "len": Callee(1, 1, lambda scope, value: _length(value), pure=True),
    "now": Callee(0, 1, _now),
    "uuid": Callee(0, 0, _uuid),
}


# -- state methods -------------------------------------------------------------


def _key(value: Any) -> str | None:
    if type(value) is str:
        return value
    if is_number(value):
        return to_text(value)
    return None


def _state_get(scope: Scope, key: Any, default: Any = None) -> Any:
    name = _key(key)
    if name is None or scope.state is None:
        return default
    try:
        return scope.state.get(name, default)
    except Exception:
        return default


def _state_put(scope: Scope, key: Any, value: Any) -> Any:
    name = _key(key)
    if name is None:
        return None
    if scope.state is not None:
        try:
            scope.state.put(name, value)
        except Exception:
            return None
    return value


def _state_incr(scope: Scope, key: Any, by: Any = 1) -> Any:
    name = _key(key)
    if name is None or scope.state is None or type(by) is not int:
        return None
    if by.bit_length() > MAX_INT_BITS:
        return None
    try:
        return scope.state.incr(name, by)
    except Exception:
        return None


def _state_delete(scope: Scope, key: Any) -> bool:
    name = _key(key)
    if name is None or scope.state is None:
        return False
    try:
        return bool(scope.state.delete(name))
    except Exception:
        return False


def _state_has(scope: Scope, key: Any) -> bool:
    name = _key(key)
    if name is None or scope.state is None:
        return False
    try:
        return scope.state.get(name, _MISSING) is not _MISSING
    except Exception:
        return False


STATE_METHODS: dict[str, Callee] = {
    "delete": Callee(1, 1, _state_delete),
    "get": Callee(1, 2, _state_get),
    "has": Callee(1, 1, _state_has),
    "incr": Callee(1, 2, _state_incr),
    "put": Callee(2, 2, _state_put),
}


# -- filters -------------------------------------------------------------------


def _to_int(value: Any) -> Any:
    kind = type(value)
    if kind is int:
        return value
    if kind is bool:
        return int(value)
    if kind is str:
        text = value.strip()
        if len(text) > _MAX_NUMBER_TEXT:
            return None
        try:
            return _bounded(int(text))
        except ValueError:
            value = _to_float(text)
            kind = type(value)
    if kind is float and math.isfinite(value):
        return _bounded(int(value))
    return None


def _bounded(value: int) -> int | None:
    return value if value.bit_length() <= MAX_INT_BITS else None


def _to_float(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        text = value.strip()
        if len(text) > _MAX_NUMBER_TEXT:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    elif kind is int or kind is bool:
        try:
            number = float(value)
        except OverflowError:
            return None
    elif kind is float:
        number = value
    else:
        return None
    return number if math.isfinite(number) else None


def _case(convert: Callable[[str], str]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        if value is None:
            return None
        result = convert(to_text(value))
        check_size(len(result))
        return result

    return apply


def _default(value: Any, fallback: Any) -> Any:
    return fallback if value is None else value


FILTERS: dict[str, Callee] = {
    "default": Callee(1, 1, _default, pure=True),
    "float": Callee(0, 0, _to_float, pure=True),
    "int": Callee(0, 0, _to_int, pure=True),
    "json": Callee(0, 0, to_json_text, pure=True),
    "length": Callee(0, 0, _length, pure=True),
    "lower": Callee(0, 0, _case(str.lower), pure=True),
    "str": Callee(0, 0, to_text, pure=True),
    "upper": Callee(0, 0, _case(str.upper), pure=True),
}
