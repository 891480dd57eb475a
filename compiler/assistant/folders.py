"""What a generated server folder says of itself: its contract (title,
protocol, operations) and, for a folder of several servers, the servers in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mockc.runtime.contract import CONTRACT_FILE

__all__ = ["MANIFEST", "describe_folder", "operation_summary", "server_folders"]

MANIFEST = Path(".mockc") / "manifest.json"


def server_folders(out: Path) -> list[Path]:
    """The server folders of a generation into ``out``: ``out`` itself, or its
    subfolders when the specs made several servers."""
    if (out / CONTRACT_FILE).is_file():
        return [out]
    return sorted(child for child in out.iterdir() if (child / CONTRACT_FILE).is_file())


def operation_summary(operation: dict[str, Any]) -> dict[str, Any]:
    """An operation as an assistant needs it: id, and how it is called."""
    summary: dict[str, Any] = {"id": operation.get("id")}
    binding = operation.get("binding")
    if isinstance(binding, dict):
        summary["kind"] = binding.get("kind")
        for key in ("method", "path", "service", "rpc", "type", "field", "channel", "name", "uri"):
            value = binding.get(key)
            if isinstance(value, str | int):
                summary[key] = value
    return summary


def describe_folder(folder: Path) -> dict[str, Any]:
    """Title, protocol and operations of the server generated in ``folder``."""
    try:
        contract = json.loads((folder / CONTRACT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return {"folder": str(folder), "error": f"cannot read {CONTRACT_FILE}: {error}"}
    api = contract.get("api") if isinstance(contract, dict) else None
    operations = contract.get("operations") if isinstance(contract, dict) else None
    api = api if isinstance(api, dict) else {}
    operations = operations if isinstance(operations, list) else []
    return {
        "folder": str(folder),
        "title": api.get("title") or api.get("name"),
        "version": api.get("version"),
        "protocol": contract.get("protocol"),
        "operations": [operation_summary(op) for op in operations if isinstance(op, dict)],
    }
