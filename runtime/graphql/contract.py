"""What a generated GraphQL server is built from: ``contract.json`` and the SDL.

``contract.json`` has the shape of the HTTP target's (so ``mockc validate``
reads both), with ``protocol: "graphql"`` and:

- ``schema``: the SDL file beside it (``schema.graphql``);
- ``operations``: one per root field, ``{"id", "root", "field", "responses": []}``,
  then one per object type that mocks may target, ``{"id": "User", "type": "User",
  "responses": []}``;
- ``scalars``: the JSON Schema each custom scalar's fake values follow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from ..contract import ContractError, load_contract
from ..engine import Operation

__all__ = [
    "GraphqlContract",
    "GraphqlOperationSpec",
    "engine_operations",
    "load_graphql_contract",
    "read_sdl",
]


class GraphqlOperationSpec(TypedDict):
    id: str
    root: NotRequired[str]
    """``query``, ``mutation`` or ``subscription`` (root fields)."""
    field: NotRequired[str]
    type: NotRequired[str]
    """The object type (type mocks)."""
    responses: list[Any]


class GraphqlContract(TypedDict):
    format: int
    generated_by: str
    protocol: str
    api: dict[str, str]
    defs: dict[str, Any]
    schema: str
    operations: list[GraphqlOperationSpec]
    scalars: dict[str, Any]


def load_graphql_contract(directory: Path) -> GraphqlContract:
    data: Any = load_contract(directory)
    if data.get("protocol") != "graphql" or not isinstance(data.get("schema"), str):
        raise ContractError(
            f"{directory / 'contract.json'}: not the contract of a GraphQL server; "
            "regenerate the server"
        )
    return cast(GraphqlContract, data)


def read_sdl(directory: Path, contract: GraphqlContract) -> str:
    path = directory / contract["schema"]
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise ContractError(f"{path}: cannot read the schema: {error.strerror}") from None


def engine_operations(contract: GraphqlContract) -> list[Operation]:
    """Root fields and type targets as engine operations: no declared outputs, so
    when no hook or mock answers, the engine says nothing and fake data answers."""
    return [Operation(id=spec["id"], outputs=()) for spec in contract["operations"]]
