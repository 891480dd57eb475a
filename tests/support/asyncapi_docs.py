"""Small AsyncAPI 3 documents written by the tests, piece by piece."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mockc.compiler.driver import GenerateOptions, generate

ROOM = {"roomId": {}}
"""The parameters of a ``/rooms/{roomId}/…`` address."""


def document(
    title: str, protocol: str, channels: dict[str, Any], operations: dict[str, Any]
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document with one server of ``protocol``."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": "1.0.0"},
        "servers": {"main": {"host": "localhost:8080", "protocol": protocol}},
        "channels": channels,
        "operations": operations,
    }


def channel(
    address: str, messages: dict[str, Any], parameters: dict[str, Any] | None = ROOM
) -> dict[str, Any]:
    return {
        "address": address,
        "messages": messages,
        **({"parameters": parameters} if parameters else {}),
    }


def answered(channel_key: str, reply_channel: str, reply_message: str) -> dict[str, Any]:
    """A ``receive`` operation on ``channel_key`` whose reply is ``reply_message``
    of ``reply_channel``."""
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{channel_key}"},
        "reply": {
            "channel": {"$ref": f"#/channels/{reply_channel}"},
            "messages": [{"$ref": f"#/channels/{reply_channel}/messages/{reply_message}"}],
        },
    }


def generated_server(
    tmp_path_factory: pytest.TempPathFactory, name: str, spec: dict[str, Any], mocks: dict[str, Any]
) -> Path:
    """The server generated from ``spec`` (written as ``name.yaml``), with
    ``mocks`` (operation id → mock) written over the generated ones."""
    written = tmp_path_factory.mktemp("spec") / f"{name}.yaml"
    written.write_text(yaml.safe_dump(spec))
    out = tmp_path_factory.mktemp(name)
    generate([written], out, GenerateOptions(link_runtime=True))
    for operation, mock in mocks.items():
        (out / "mocks" / f"{operation}.yaml").write_text(yaml.safe_dump(mock))
    return out
