"""The generation and run options a request may give for a server, checked."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from mockc.compiler.driver import TARGETS

from .errors import Problem
from .names import check_file_name

__all__ = ["ServerOptions", "server_options"]

_SETTING = re.compile(r"^MOCKC_[A-Z0-9_]{1,60}$")
_RESERVED = frozenset(
    {"MOCKC_ADMIN_TOKEN", "MOCKC_ADMIN_PORT", "MOCKC_JOURNAL", "MOCKC_DATA_DIR", "MOCKC_SYNC_TOKEN"}
)
_FIELDS = {"name", "target", "seed", "entry", "settings", "start", "link_runtime"}
_REGENERATE_FIELDS = {"entry", "target", "seed", "prune", "theirs"}


@dataclass(frozen=True, kw_only=True)
class ServerOptions:
    target: str | None = None
    seed: int = 0
    entry: tuple[str, ...] = ()
    """The spec files to compile, among those given (default: all of them)."""
    settings: dict[str, str] = field(default_factory=dict)
    """Environment of the server (``MOCKC_DELAY_MS`` …)."""
    link_runtime: bool = True

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["entry"] = list(self.entry)
        return document


def _bool(fields: dict[str, Any], name: str, default: bool) -> bool:
    value = fields.get(name, default)
    if isinstance(value, str) and value.lower() in ("true", "1", "false", "0"):
        return value.lower() in ("true", "1")
    if not isinstance(value, bool):
        raise Problem(400, f"'{name}' must be true or false")
    return value


def server_options(
    fields: dict[str, Any], previous: ServerOptions | None = None, *, regenerate: bool = False
) -> tuple[ServerOptions, dict[str, bool]]:
    """The options in ``fields`` (over ``previous``), and the flags ``start`` (create)
    or ``prune``/``theirs`` (regenerate)."""
    allowed = _REGENERATE_FIELDS if regenerate else _FIELDS
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise Problem(400, f"unknown field(s): {', '.join(unknown)} (known: {sorted(allowed)})")
    base = previous or ServerOptions()
    target = fields.get("target", base.target)
    if target is not None and target not in TARGETS:
        raise Problem(400, f"'target' must be one of {sorted(TARGETS)} or null")
    seed = fields.get("seed", base.seed)
    if isinstance(seed, str) and seed.isdigit():
        seed = int(seed)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise Problem(400, "'seed' must be a whole number from 0 to 2^32-1")
    entry = fields.get("entry", list(base.entry))
    if isinstance(entry, str):
        entry = [entry]
    if not isinstance(entry, list):
        raise Problem(400, "'entry' must be a list of file names")
    settings = fields.get("settings", base.settings)
    if not isinstance(settings, dict):
        raise Problem(400, "'settings' must be an object of MOCKC_… name → value")
    for name, value in settings.items():
        if not _SETTING.fullmatch(name) or name in _RESERVED:
            raise Problem(400, f"setting {name!r} cannot be set (MOCKC_… names, not {name})")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise Problem(400, f"setting {name!r} must be a string or a number")
        if len(str(value)) > 1000:
            raise Problem(400, f"setting {name!r} is too long")
    options = ServerOptions(
        target=target,
        seed=seed,
        entry=tuple(check_file_name(name) for name in entry),
        settings={name: str(value) for name, value in sorted(settings.items())},
        link_runtime=_bool(fields, "link_runtime", base.link_runtime),
    )
    if regenerate:
        flags = {
            "prune": _bool(fields, "prune", False),
            "theirs": _bool(fields, "theirs", False),
        }
    else:
        flags = {"start": _bool(fields, "start", True)}
    return options, flags
