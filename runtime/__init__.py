"""The runtime every generated server links: engine, fake data, validation,
protocol adapters. It imports nothing from the compiler or the targets, and
uses relative imports only, so it can be vendored under any package name."""

__version__ = "0.1.0"

from .engine import Content, Engine, Operation, Output, Reply, Request  # noqa: E402
from .exceptions import (  # noqa: E402
    HandlersError,
    HookError,
    NotAcceptable,
    PreferenceError,
    RuntimeFailure,
)

__all__ = [
    "Content",
    "Engine",
    "HandlersError",
    "HookError",
    "NotAcceptable",
    "Operation",
    "Output",
    "PreferenceError",
    "Reply",
    "Request",
    "RuntimeFailure",
    "__version__",
]
