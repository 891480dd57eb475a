"""A protocol plug-in from the test folder alone: line-echo over TCP.

It registers a front end (``.lineecho`` specs), a target (the ``lineecho``
server) and the target's runtime adapter (``adapter/``, vendored into the
server as ``mockc_runtime/lineecho``) with mockc's registries; nothing under
``compiler/``, ``targets/`` or ``runtime/`` names it.
"""

from __future__ import annotations

from pathlib import Path

from mockc.compiler.frontends.registry import (
    FrontEnd,
    imported_when_used,
    register_front_end,
    unregister_front_end,
)
from mockc.targets.registry import RuntimeAdapter, Target, register_target, unregister_target

from .frontend import PROTOCOL, SNIFF

FRONT_END = FrontEnd(
    name=PROTOCOL,
    suffixes=(".lineecho",),
    sniff=SNIFF,
    load=imported_when_used(f"{__package__}.frontend", "load"),
    targets=(PROTOCOL, "http"),
    options=frozenset({"warnings"}),
)
"""Its commands go to the line-echo target, its ``GET`` operations to HTTP."""

TARGET = Target(
    name=PROTOCOL,
    module=f"{__package__}.target",
    bindings=(PROTOCOL,),
    adapters=(RuntimeAdapter(package=PROTOCOL, source=Path(__file__).parent / "adapter"),),
)


def register() -> None:
    register_front_end(FRONT_END)
    register_target(TARGET)


def unregister() -> None:
    unregister_front_end(FRONT_END.name)
    unregister_target(TARGET.name)


__all__ = ["FRONT_END", "TARGET", "register", "unregister"]
