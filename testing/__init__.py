"""Mock servers in Python tests: generate a server from a spec, start it,
drive and check it through its admin API.

The pytest plug-in (registered by installing mockc) gives the ``mock_server``
fixture; :func:`running_server` does the same without pytest. See
docs/testing.md. Names are imported on first use, so that loading the
plug-in into every pytest run costs next to nothing."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .admin import AdminClient
    from .calls import Call
    from .errors import (
        AdminError,
        GenerationFailed,
        MockcTestingError,
        NotSupportedYet,
        ServerDidNotStart,
        SpecNotFound,
    )
    from .options import ServerOptions
    from .pool import ServerPool
    from .scoped import ServerForTest
    from .server import MockServer, running_server, start_server

_HOMES = {
    "AdminClient": "admin",
    "AdminError": "errors",
    "Call": "calls",
    "GenerationFailed": "errors",
    "MockServer": "server",
    "MockcTestingError": "errors",
    "NotSupportedYet": "errors",
    "ServerDidNotStart": "errors",
    "ServerForTest": "scoped",
    "ServerOptions": "options",
    "ServerPool": "pool",
    "SpecNotFound": "errors",
    "running_server": "server",
    "start_server": "server",
}

__all__ = [
    "AdminClient",
    "AdminError",
    "Call",
    "GenerationFailed",
    "MockServer",
    "MockcTestingError",
    "NotSupportedYet",
    "ServerDidNotStart",
    "ServerForTest",
    "ServerOptions",
    "ServerPool",
    "SpecNotFound",
    "running_server",
    "start_server",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{home}", __name__), name)
