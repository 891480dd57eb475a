"""Which operation a SOAP request calls.

At the request's address path, among the ports of its SOAP version (any
version when none matches): the SOAP 1.2 ``action`` parameter, then
``SOAPAction``, then WS-Addressing ``Action`` (the first of them that names
an operation's soapAction), then the body's first element.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Dispatcher", "PortEntry"]


@dataclass(frozen=True, slots=True)
class PortEntry:
    operation_id: str
    address: str
    soap_version: str
    soap_action: str
    input_element: str


class Dispatcher:
    def __init__(self, operations: Iterable[Mapping[str, Any]]) -> None:
        self.by_address: dict[str, list[PortEntry]] = {}
        for spec in operations:
            for port in spec["binding"]["ports"]:
                entry = PortEntry(
                    operation_id=spec["id"],
                    address=port["address"],
                    soap_version=port["soap_version"],
                    soap_action=port["soap_action"],
                    input_element=port["input_element"],
                )
                self.by_address.setdefault(entry.address, []).append(entry)
        self._candidates = {
            (address, version): [e for e in entries if e.soap_version == version] or entries
            for address, entries in self.by_address.items()
            for version in ("1.1", "1.2")
        }
        """The entries a request of each SOAP version at each address may call."""

    def serves(self, path: str) -> bool:
        return path in self.by_address

    def find(
        self, path: str, version: str, actions: Sequence[str], body_element: str
    ) -> PortEntry | None:
        same = self._candidates.get((path, version))
        if same is None:
            entries = self.by_address.get(path, [])
            same = [entry for entry in entries if entry.soap_version == version] or entries
        for action in actions:
            if action:
                for entry in same:
                    if entry.soap_action == action:
                        return entry
        for entry in same:
            if body_element and entry.input_element == body_element:
                return entry
        return None
