"""Which back ends exist, what each serves, and what its servers vendor.

A target registers itself with one :class:`Target` entry: its name (what
``--target`` takes), the module whose ``generate(api, options)`` writes its
servers (imported when first used: a back end pulls in its protocol's
libraries), the binding kinds it serves (see :func:`binding_kind`), and the
runtime adapter packages its servers run on. The built-in targets are the
table :data:`BUILT_IN`; a plug-in calls :func:`register_target` with its own
entry before the driver runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from mockc.compiler import ir

if TYPE_CHECKING:  # annotations only: targets.common imports this module
    from .common.emit import GeneratedFile, TargetOptions

Generate: TypeAlias = "Callable[[ir.Api, TargetOptions], list[GeneratedFile]]"

__all__ = [
    "BUILT_IN",
    "TARGETS",
    "Generate",
    "RuntimeAdapter",
    "Target",
    "UnknownTargetError",
    "adapter_packages",
    "binding_kind",
    "register_target",
    "unregister_target",
    "registered_targets",
    "target_named",
]


class UnknownTargetError(KeyError):
    """No target of that name is registered."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        known = ", ".join(target.name for target in registered_targets())
        return f"unknown target {self.name!r} (known: {known})"


@dataclass(frozen=True, kw_only=True)
class RuntimeAdapter:
    """A runtime subpackage that adapts one protocol: vendored into the servers
    of the targets that name it, and only into those."""

    package: str
    """Its name under ``mockc_runtime`` (``http``, ``grpc``…)."""
    source: Path | None = None
    """The folder of a plug-in's adapter, vendored as ``mockc_runtime/<package>/``;
    None: ``mockc/runtime/<package>/``."""


@dataclass(frozen=True, kw_only=True)
class Target:
    name: str
    """What ``--target`` and the project config's ``target`` take."""
    module: str
    """The module whose ``generate(api, options)`` returns the server's files."""
    bindings: tuple[str, ...]
    """The binding kinds (:func:`binding_kind`) of the operations it serves."""
    adapters: tuple[RuntimeAdapter, ...]
    """The runtime adapter packages its servers import; the runtime packages
    those import are vendored with them (:mod:`.common.vendor`)."""

    def load(self) -> Generate:
        generate: Generate = importlib.import_module(self.module).generate
        return generate


BUILT_IN: tuple[Target, ...] = (
    Target(
        name="http",
        module="mockc.targets.http",
        bindings=("http", "sse", "websocket", "ws"),  # channels beside the routes: the driver
        adapters=(RuntimeAdapter(package="http"),),
    ),
    Target(
        name="grpc",
        module="mockc.targets.grpc",
        bindings=("grpc",),
        adapters=(RuntimeAdapter(package="grpc"),),
    ),
    Target(
        name="graphql",
        module="mockc.targets.graphql",
        bindings=("graphql",),
        adapters=(RuntimeAdapter(package="graphql"),),
    ),
    Target(
        name="websocket",
        module="mockc.targets.websocket",
        bindings=("websocket", "ws"),
        adapters=(RuntimeAdapter(package="websocket"),),
    ),
    Target(
        name="soap",
        module="mockc.targets.soap",
        bindings=("soap",),
        adapters=(RuntimeAdapter(package="soap"),),
    ),
    Target(
        name="sse",
        module="mockc.targets.sse",
        bindings=("sse",),
        adapters=(RuntimeAdapter(package="sse"),),
    ),
    Target(
        name="mcp",
        module="mockc.targets.mcp",
        bindings=("mcp",),
        adapters=(RuntimeAdapter(package="mcp"),),
    ),
    Target(
        name="mqtt",
        module="mockc.targets.mqtt",
        bindings=("mqtt",),
        adapters=(RuntimeAdapter(package="mqtt"), RuntimeAdapter(package="broker")),
    ),
    Target(
        name="amqp",
        module="mockc.targets.amqp",
        bindings=("amqp", "rabbitmq"),
        adapters=(RuntimeAdapter(package="amqp"), RuntimeAdapter(package="broker")),
    ),
    Target(
        name="kafka",
        module="mockc.targets.kafka",
        bindings=("kafka",),
        adapters=(RuntimeAdapter(package="kafka"), RuntimeAdapter(package="broker")),
    ),
)
"""The targets of this package, registered when this module is imported."""

_REGISTERED: dict[str, Target] = {}


def register_target(target: Target) -> Target:
    """Make ``target`` known (replacing an entry of the same name); returns it."""
    _REGISTERED[target.name] = target
    return target


def unregister_target(name: str) -> None:
    """Forget the target ``name`` (a plug-in unloading); unknown names are ignored."""
    _REGISTERED.pop(name, None)


def registered_targets() -> tuple[Target, ...]:
    """Every target, built-in ones first, then plug-ins in registration order."""
    return tuple(_REGISTERED.values())


def target_named(name: str) -> Target:
    try:
        return _REGISTERED[name]
    except KeyError:
        raise UnknownTargetError(name) from None


def adapter_packages() -> frozenset[str]:
    """The runtime subpackages that adapt a protocol, over every target:
    every other runtime subpackage is core (vendored into every server)."""
    return frozenset(
        adapter.package for target in _REGISTERED.values() for adapter in target.adapters
    )


def binding_kind(binding: ir.Binding) -> str:
    """What routes an operation to a target: the protocol of its binding
    (a channel's own protocol: ``sse``, ``websocket``, ``kafka``…)."""
    if isinstance(binding, ir.ChannelBinding):
        return binding.protocol
    return _KINDS[type(binding)]


_KINDS: dict[type, str] = {
    ir.HttpBinding: "http",
    ir.GrpcBinding: "grpc",
    ir.GraphqlBinding: "graphql",
    ir.SoapBinding: "soap",
    ir.McpBinding: "mcp",
}


class _Generators(Mapping[str, Generate]):
    """Every registered target's ``generate``, by name, each imported when first used."""

    def __getitem__(self, name: str) -> Generate:
        if name not in _REGISTERED:
            raise KeyError(name)
        return _REGISTERED[name].load()

    def __iter__(self) -> Iterator[str]:
        return iter(list(_REGISTERED))

    def __len__(self) -> int:
        return len(_REGISTERED)


TARGETS: Mapping[str, Generate] = _Generators()
"""Every target's ``generate``, by the name ``--target`` takes (a live view:
plug-ins registered later are in it)."""

for _target in BUILT_IN:
    register_target(_target)
