"""Every identifier rule of mockc, in one place.

Names are decided here and only read elsewhere (targets and templates never
invent names). A :class:`NameAllocator` hands out unique names within one scope.
"""

from __future__ import annotations

import keyword
import re

__all__ = ["NameAllocator", "python_identifier", "schema_name"]

_NON_WORD = re.compile(r"[^0-9A-Za-z_]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def python_identifier(text: str, *, fallback: str = "op") -> str:
    """A valid, non-keyword Python identifier that keeps ``text`` readable.

    ``listPets`` stays ``listPets``; ``get /pets/{petId}`` becomes
    ``get_pets_petId``; ``2fa.verify`` becomes ``_2fa_verify``.
    """
    name = _NON_WORD.sub("_", text).strip("_")
    name = re.sub(r"_+", "_", name)
    if not name:
        name = fallback
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def schema_name(text: str) -> str:
    """A name for ``#/$defs/<name>``: readable, and safe in a JSON pointer and a URL."""
    name = re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_")
    return name or "Schema"


def snake_case(text: str) -> str:
    return python_identifier(_CAMEL_BOUNDARY.sub("_", text)).lower()


class NameAllocator:
    """Unique names within one scope: a taken name gets ``_2``, ``_3``… appended.

    Comparison ignores case, so two names never differ only by case (they may
    become file names on a case-insensitive file system).
    """

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self._taken: set[str] = {name.lower() for name in reserved}

    def allocate(self, wanted: str) -> str:
        name = wanted
        counter = 2
        while name.lower() in self._taken:
            name = f"{wanted}_{counter}"
            counter += 1
        self._taken.add(name.lower())
        return name

    def __contains__(self, name: str) -> bool:
        return name.lower() in self._taken
