"""Limits on what one GraphQL request may ask: selection depth and answer size.

Three nested ``first: 100`` ask for a million objects; a chain of fragments
can nest selections deeper than Python's stack. Before anything runs, a
document is measured:

- its **depth**: the deepest chain of fields, through fragments
  (a validation rule, so it is checked once per query text);
- the **objects and values** its answer would hold: each field counts once
  per item of the lists above it, a list being as long as its page argument
  asks (``first``, ``last``, ``limit``…, capped like fake data is) or the
  server's faked list length — the same lengths fake data uses, so the
  estimate is what the server would build.

Both are measured with one pass per fragment (a fragment spread many times
costs once), so measuring cannot itself be the attack. Requests over a limit
get one error in the spec's shape, ``extensions.code`` saying which limit.
Default limits are far above what real clients ask (GitHub's own API stops
at 500,000 nodes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    VariableNode,
    get_named_type,
    is_list_type,
    is_non_null_type,
)
from graphql.type.definition import GraphQLNamedType

__all__ = [
    "DEFAULT_MAX_ANSWER_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_SUBSCRIPTIONS",
    "FULL_LIST_LEVELS",
    "Limits",
    "answer_too_large",
    "depth_rule",
    "estimate_nodes",
    "too_many_nodes",
]

DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_NODES = 500_000
DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_SUBSCRIPTIONS = 100
FULL_LIST_LEVELS = 2
"""Faked lists of lists: levels past this one hold one item (fake data and the
estimate agree), so ``[[[[Int]]]]`` stays small."""
_PAGE_ARGUMENTS = ("first", "last", "limit", "take", "pageSize", "perPage")


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = DEFAULT_MAX_DEPTH
    """Deepest chain of fields (``MOCKC_GRAPHQL_MAX_DEPTH``); 0: no limit."""
    max_nodes: int = DEFAULT_MAX_NODES
    """Most objects and values in one answer, estimated (``MOCKC_GRAPHQL_MAX_NODES``)."""
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES
    """Largest encoded answer (``MOCKC_GRAPHQL_MAX_ANSWER_BYTES``)."""
    max_subscriptions: int = DEFAULT_MAX_SUBSCRIPTIONS
    """Operations running at once on one WebSocket (``MOCKC_GRAPHQL_MAX_SUBSCRIPTIONS``)."""


def depth_rule(max_depth: int) -> type[ASTValidationRule]:
    """A validation rule refusing operations whose fields nest deeper than ``max_depth``."""

    class MaxDepthRule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self._depths: dict[str, int] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> Any:
            depth = self._depth(node.selection_set, set())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"the query nests fields {depth} deep; the limit is {max_depth}",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP", "depth": depth, "limit": max_depth},
                    )
                )
            return self.SKIP

        def _depth(self, selection_set: SelectionSetNode | None, visiting: set[str]) -> int:
            if selection_set is None:
                return 0
            deepest = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    found = 1 + self._depth(selection.selection_set, visiting)
                elif isinstance(selection, InlineFragmentNode):
                    found = self._depth(selection.selection_set, visiting)
                elif isinstance(selection, FragmentSpreadNode):
                    found = self._fragment_depth(selection.name.value, visiting)
                else:
                    continue
                deepest = max(deepest, found)
                if deepest > max_depth:  # deep enough to refuse: stop measuring
                    break
            return deepest

        def _fragment_depth(self, name: str, visiting: set[str]) -> int:
            known = self._depths.get(name)
            if known is not None:
                return known
            fragment = self._fragments.get(name)
            if fragment is None or name in visiting:  # other rules report these
                return 0
            visiting.add(name)
            depth = self._depth(fragment.selection_set, visiting)
            visiting.discard(name)
            self._depths[name] = depth
            return depth

    return MaxDepthRule


def estimate_nodes(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    *,
    list_length: int,
    max_list: int,
    ceiling: int,
) -> int:
    """About how many objects and values the answer to ``operation`` holds (the
    count stops growing past ``ceiling``)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    estimator = _Estimator(schema, document, variables or {}, list_length, max_list, ceiling)
    return estimator.count(operation.selection_set, root)


class _Estimator:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        list_length: int,
        max_list: int,
        ceiling: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.list_length = list_length
        self.max_list = max_list
        self.ceiling = ceiling
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.memo: dict[str, int] = {}
        self.visiting: set[str] = set()

    def count(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        inherited: int | None = None,
    ) -> int:
        """Values under one object of type ``parent`` for ``selection_set``;
        ``inherited``: the page length its lists take (a Relay connection's)."""
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, inherited)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                named = self.schema.get_type(condition.name.value) if condition else None
                total += self.count(selection.selection_set, named or parent, inherited)
            elif isinstance(selection, FragmentSpreadNode):
                if inherited is None:
                    total += self._fragment(selection.name.value)
                else:  # the page length changes the count: no memo
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None and fragment.name.value not in self.visiting:
                        self.visiting.add(fragment.name.value)
                        named = self.schema.get_type(fragment.type_condition.name.value)
                        if named is not None:
                            total += self.count(fragment.selection_set, named, inherited)
                        self.visiting.discard(fragment.name.value)
            if total > self.ceiling:
                return total
        return total

    def _fragment(self, name: str) -> int:
        known = self.memo.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self.visiting:
            return 0
        self.visiting.add(name)
        named = self.schema.get_type(fragment.type_condition.name.value)
        found = self.count(fragment.selection_set, named) if named is not None else 0
        self.visiting.discard(name)
        self.memo[name] = found
        return found

    def _field(self, node: FieldNode, parent: GraphQLNamedType, inherited: int | None) -> int:
        fields = getattr(parent, "fields", None)
        definition = fields.get(node.name.value) if fields else None
        if definition is None:  # __typename, or a field of a member of a union
            return 1 + self.count(node.selection_set, parent) if node.selection_set else 1
        page = self._page(node)
        items = self._items(definition.type, page if page is not None else inherited)
        passed = page if not _is_list(definition.type) else None
        below = self.count(node.selection_set, get_named_type(definition.type), passed)
        return min(items * (1 + below), self.ceiling + 1)

    def _items(self, type_: Any, page: int | None) -> int:
        """How many values a field of ``type_`` answers (lists multiply)."""
        items, level = 1, 0
        while True:
            if is_non_null_type(type_):
                type_ = type_.of_type
            elif is_list_type(type_):
                if level == 0:
                    items *= self.list_length if page is None else page
                elif level < FULL_LIST_LEVELS:
                    items *= self.list_length
                level += 1
                type_ = type_.of_type
            else:
                return max(items, 1)

    def _page(self, node: FieldNode) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value not in _PAGE_ARGUMENTS:
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                value = self.variables.get(argument.value.name.value)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return min(value, self.max_list)
        return None


def _is_list(type_: Any) -> bool:
    return is_list_type(type_.of_type if is_non_null_type(type_) else type_)


def answer_too_large(size: int, limit: int) -> GraphQLError:
    return GraphQLError(
        f"the answer would be {size} bytes; the limit is {limit}",
        extensions={"code": "ANSWER_TOO_LARGE", "bytes": size, "limit": limit},
    )


def too_many_nodes(nodes: int, limit: int, operation: OperationDefinitionNode) -> GraphQLError:
    shown = f"more than {limit:,}" if nodes > limit else f"{nodes:,}"
    return GraphQLError(
        f"the query asks for {shown} objects and values; the limit is {limit:,} "
        "(ask for smaller pages)",
        operation,
        extensions={"code": "QUERY_TOO_COMPLEX", "limit": limit},
    )
