"""The channels of a WebSocket contract: per served path, the messages clients
send (with their validators) and the operations the server sends."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..schema_validators import compile_validator, defs_registry, registry_refs

__all__ = ["Channel", "Inbound", "channels_of", "is_json"]


def is_json(media_type: str) -> bool:
    """Whether frames of ``media_type`` are JSON: JSON types, and Avro ones, whose
    data a WebSocket carries in its JSON form (it has no Avro binary form)."""
    kind = media_type.split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json") or "avro" in kind


MAX_PROBLEMS = 10
"""Problems an error frame lists at most."""


def _pointer(path: Any) -> str:
    return "/" + "/".join(map(str, path)) if path else "(root)"


@dataclass(slots=True)
class Inbound:
    """A message clients send: its operation, media type and payload validator."""

    operation: str
    media_type: str
    validator: Any
    """A jsonschema-rs validator; None when the payload is unconstrained."""
    replies: bool
    reply_path: str = ""
    """The channel whose sockets get the reply (AsyncAPI 3 ``reply.channel`` at
    another address); "": the connection the message came on."""

    def problems(self, payload: Any) -> list[str]:
        if self.validator is None:
            return []
        return [
            f"{_pointer(error.instance_path)}: {error.message}"
            for error in self.validator.iter_errors(payload)
        ][:MAX_PROBLEMS]


@dataclass(slots=True)
class Channel:
    path: str
    subprotocol: str = ""
    inbound: list[Inbound] = field(default_factory=list)
    outbound: list[str] = field(default_factory=list)
    """The ids of the operations the server sends on this channel."""

    @property
    def json(self) -> bool:
        """Whether frames clients send must be JSON (any inbound message declares JSON)."""
        return not self.inbound or any(is_json(message.media_type) for message in self.inbound)


def channels_of(operations: list[Mapping[str, Any]], defs: Mapping[str, Any]) -> list[Channel]:
    """The channels of the contract's ``operations``, in first-seen order."""
    registry = defs_registry(defs) if defs else None
    channels: dict[str, Channel] = {}
    for spec in operations:
        binding = spec["binding"]
        channel = channels.setdefault(binding["path"], Channel(binding["path"]))
        channel.subprotocol = channel.subprotocol or binding.get("subprotocol", "")
        if binding["action"] == "send":
            channel.outbound.append(spec["id"])
            continue
        contents = (spec.get("input") or {}).get("contents") or {"application/json": {}}
        media_type, content = next(iter(contents.items()))
        schema = content.get("schema")
        validator = (
            compile_validator(registry_refs(schema), registry=registry)
            if schema not in (None, {}, True)
            else None
        )
        reply_path = binding.get("reply_path") or ""
        channel.inbound.append(
            Inbound(spec["id"], media_type, validator, binding.get("reply", False), reply_path)
        )
        if reply_path:  # the sockets of the reply's channel get the replies
            replies = channels.setdefault(reply_path, Channel(reply_path))
            replies.outbound.append(spec["id"])
    return list(channels.values())
