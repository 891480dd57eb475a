"""What may be sent as a header (HTTP field, gRPC metadata): names and values.

Mock files are checked with :func:`header_problem` when they load; adapters
pass every outgoing header through :func:`sendable_header`, so that values a
template or a hook computes at request time cannot break the response.
"""

from __future__ import annotations

import re

__all__ = ["header_name_problem", "header_value_problem", "sendable_header"]

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
"""An HTTP field name (RFC 9110 §5.1)."""
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Characters no field value may hold: NUL, CR, LF and the other controls but tab."""


def header_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a header, or None when it can."""
    if _TOKEN.match(name):
        return None
    allowed = "letters, digits and !#$%&'*+-.^_`|~"
    return f"the header name {name!r} is not a valid field name ({allowed})"


def header_value_problem(name: str, value: str) -> str | None:
    """Why ``value`` cannot be sent as the value of header ``name``, or None."""
    found = _CONTROL.search(value)
    if found is not None:
        return (
            f"the value of header '{name}' holds the control character "
            f"U+{ord(found.group()):04X}; header values cannot hold NUL, CR, LF or other controls"
        )
    return None


def sendable_header(name: str, value: str) -> tuple[str, str] | None:
    """``(name, value)`` as it can be sent: control characters in the value become
    spaces; None when the name is not a valid field name (the header is dropped)."""
    if not _TOKEN.match(name):
        return None
    if _CONTROL.search(value):
        value = _CONTROL.sub(" ", value)
    return name, value
