"""Root fields as operations: one per field of the query, mutation and
subscription types, with the field's arguments as input and its type as the
``data`` output."""

from __future__ import annotations

from graphql import GraphQLObjectType

from ... import ir
from ...naming import python_identifier
from .types import TypeMapper

__all__ = ["ROOTS", "MEDIA_TYPE", "read_operations"]

MEDIA_TYPE = "application/json"
ROOTS = ("query", "mutation", "subscription")


def read_operations(mapper: TypeMapper) -> tuple[ir.Operation, ...]:
    schema = mapper.schema
    operations: list[ir.Operation] = []
    for root in ROOTS:
        root_type: GraphQLObjectType | None = getattr(schema, f"{root}_type")
        if root_type is None:
            continue
        for name, field in root_type.fields.items():
            input_message = None
            if field.args:
                args = mapper.input_object(field.args)
                input_message = ir.Message(
                    contents=(ir.Content(media_type=MEDIA_TYPE, schema=ir.freeze(args)),),
                    required=bool(args.get("required")),
                )
            output = ir.Output(
                key="data",
                message=ir.Message(
                    contents=(
                        ir.Content(
                            media_type=MEDIA_TYPE, schema=ir.freeze(mapper.type_schema(field.type))
                        ),
                    )
                ),
            )
            operations.append(
                ir.Operation(
                    id=python_identifier(f"{root}_{name}"),  # unique: the name pass
                    shape=ir.Shape.SERVER_STREAM if root == "subscription" else ir.Shape.UNARY,
                    input=input_message,
                    outputs=(output,),
                    binding=ir.GraphqlBinding(root=root, field=name, return_type=str(field.type)),
                    description=field.description or "",
                    deprecated=field.deprecation_reason is not None,
                    source=mapper.source(root_type, name),
                )
            )
    return tuple(operations)
