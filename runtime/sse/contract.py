"""What a generated SSE server is built from: ``contract.json`` with
``protocol: "sse"`` and operations whose binding is a ``channel`` one:

``{"kind": "channel", "protocol": "sse", "channel": "/rooms/{roomId}",
"path": "/rooms/{roomId}", "action": "send", "parameters": [...],
"options": {"method": "GET", "framing": "sse", "event": "", "retry_ms": null}}``

``path`` is where the stream is served (the channel's address, or the hub
path of a channel whose address is not a path). Each output is an event type:
its ``key`` is the message name, its ``event`` the name on the wire. A channel
clients send on may have ``"reply": {"path": "/replies/{roomId}",
"address_location": ""}`` (AsyncAPI 3 ``reply``): its outputs are the replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contract import Contract, ContractError, load_contract

__all__ = ["Stream", "load_sse_contract", "streams_of"]


@dataclass(frozen=True, slots=True)
class Stream:
    """One channel operation of the server."""

    operation: str
    path: str
    action: str
    """``send``: a stream clients read; ``receive``: clients send to it."""
    events: dict[str, str]
    """Output key → event name on the wire."""
    media_types: dict[str, str]
    """Output key → the media type of its data."""
    default_event: str
    retry_ms: int | None
    method: str
    choices: dict[str, tuple[str, ...]]
    """Path parameter → the values its ``enum`` allows (parameters with one)."""
    accepts: dict[str, Any]
    """What clients may send (``receive``): media type → payload schema."""
    reply_path: str = ""
    """Where the reply to a message clients send goes (3.x ``reply``): the
    path of the stream that carries it ("" when none, or when the message names it)."""
    framing: str = "sse"
    """The wire format: ``sse`` (``text/event-stream``) or ``ndjson``."""
    reply_location: str = ""
    """Where the message names its reply's address (``$message.header#/replyTo``)."""


def load_sse_contract(directory: Path) -> Contract:
    data: Any = load_contract(directory)
    if data.get("protocol") != "sse":
        raise ContractError(
            f"{directory / 'contract.json'}: not the contract of an SSE server; "
            "regenerate the server"
        )
    return data  # type: ignore[no-any-return]


def streams_of(contract: Contract) -> list[Stream]:
    streams: list[Stream] = []
    for spec in contract["operations"]:
        binding: Any = spec["binding"]
        if binding.get("kind") != "channel":
            raise ContractError(f"operation {spec['id']!r} is not a channel operation")
        options = binding.get("options") or {}
        outputs: list[Any] = spec["outputs"]
        events = {out["key"]: out.get("event") or out["key"] for out in outputs}
        media_types = {
            out["key"]: next(iter(out["contents"]), "application/json") for out in outputs
        }
        first = outputs[0]["key"] if outputs else "message"
        streams.append(
            Stream(
                operation=spec["id"],
                path=binding.get("path") or binding["channel"],
                action=binding["action"],
                events=events,
                media_types=media_types,
                default_event=options.get("event") or events.get(first, first),
                retry_ms=options.get("retry_ms"),
                method=options.get("method") or "GET",
                choices=_choices(binding.get("parameters") or []),
                accepts=_accepts(spec.get("input")),
                framing=options.get("framing") or "sse",
                reply_path=(binding.get("reply") or {}).get("path") or "",
                reply_location=(binding.get("reply") or {}).get("address_location") or "",
            )
        )
    return streams


def _choices(parameters: list[Any]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for parameter in parameters:
        schema = parameter.get("schema")
        enum = schema.get("enum") if isinstance(schema, dict) else None
        if parameter.get("location") == "path" and isinstance(enum, list):
            found[parameter["name"]] = tuple(str(value) for value in enum)
    return found


def _accepts(message: Any) -> dict[str, Any]:
    contents = message.get("contents") if isinstance(message, dict) else None
    if not isinstance(contents, dict):
        return {}
    return {media: content.get("schema") for media, content in contents.items()}
