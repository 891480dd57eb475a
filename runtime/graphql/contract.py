"""What a generated GraphQL server is built from: ``contract.json`` and the SDL.

``contract.json`` is the runtime's one format (``mockc.runtime.contract``),
with ``protocol: "graphql"``, operations whose ``graphql`` binding names a
root field (``root``, ``field``, ``return_type``) or an object type that
mocks may target (``object_type``), and a ``graphql`` block: the SDL file
beside it and the JSON Schema each custom scalar's fake values follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..contract import Contract, ContractError, graphql_binding, load_contract

__all__ = [
    "GraphqlContract",
    "RootField",
    "load_graphql_contract",
    "read_sdl",
    "root_fields",
    "type_targets",
]

GraphqlContract = Contract
"""A contract whose ``protocol`` is ``graphql`` (it has the ``graphql`` block)."""


@dataclass(frozen=True, slots=True)
class RootField:
    operation: str
    """The operation id (``query_person``)."""
    root: str
    """``query``, ``mutation`` or ``subscription``."""
    field: str


def load_graphql_contract(directory: Path) -> GraphqlContract:
    data: Any = load_contract(directory)
    block = data.get("graphql")
    if data.get("protocol") != "graphql" or not isinstance(block, dict):
        raise ContractError(
            f"{directory / 'contract.json'}: not the contract of a GraphQL server; "
            "regenerate the server"
        )
    if not isinstance(block.get("schema"), str):
        raise ContractError(f"{directory / 'contract.json'}: graphql.schema names no SDL file")
    return data  # type: ignore[no-any-return]


def read_sdl(directory: Path, contract: GraphqlContract) -> str:
    path = directory / schema_file(contract)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContractError(f"{path}: cannot read the schema: {error.strerror}") from None


def schema_file(contract: GraphqlContract) -> str:
    """The SDL file beside the contract."""
    return contract["graphql"]["schema"]


def root_fields(contract: GraphqlContract) -> list[RootField]:
    """The root fields the contract serves, in contract order."""
    found: list[RootField] = []
    for spec in contract["operations"]:
        binding = graphql_binding(spec)
        root, field = binding.get("root"), binding.get("field")
        if root is not None and field is not None:
            found.append(RootField(spec["id"], root, field))
    return found


def type_targets(contract: GraphqlContract) -> list[str]:
    """The object types mocks may target (their operation ids are the type names)."""
    return [spec["id"] for spec in contract["operations"] if "object_type" in graphql_binding(spec)]
