"""Running GraphQL documents against the mock schema.

Documents are parsed and validated once per query text (a bounded cache), so
a client repeating a query pays only for execution. Errors keep the shape of
the GraphQL spec: ``message``, ``locations``, ``path``, ``extensions``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    ExperimentalIncrementalExecutionResults,
    GraphQLError,
    GraphQLSchema,
    KnownArgumentNamesRule,
    NoSchemaIntrospectionCustomRule,
    NoUnusedVariablesRule,
    OperationDefinitionNode,
    OperationType,
    ProvidedRequiredArgumentsRule,
    UniqueArgumentNamesRule,
    UniqueInputFieldNamesRule,
    ValuesOfCorrectTypeRule,
    VariablesInAllowedPositionRule,
    execute,
    experimental_execute_incrementally,
    parse,
    specified_rules,
    subscribe,
    validate,
)
from graphql.execution.execute import assume_not_awaitable

from .incremental import has_incremental_directives, without_incremental
from .limits import Limits, answer_too_large, depth_rule, estimate_nodes, too_many_nodes
from .values import Execution

__all__ = [
    "Documents",
    "Prepared",
    "encode_result",
    "format_errors",
    "is_request_error",
    "operation_type",
    "result_document",
]

INPUT_VALUE_RULES = frozenset(
    {
        KnownArgumentNamesRule,
        UniqueArgumentNamesRule,
        ValuesOfCorrectTypeRule,
        ProvidedRequiredArgumentsRule,
        VariablesInAllowedPositionRule,
        UniqueInputFieldNamesRule,
        NoUnusedVariablesRule,
    }
)
"""The validation rules that only check input values (arguments, input objects,
variables), skipped with validation off (``MOCKC_VALIDATE=0``): unknown arguments
are then ignored, and a value execution cannot use is an error of its field
only, the rest of the query answering, instead of refusing the whole request."""
_CACHE_SIZE = 512
_MAX_TOKENS = 50_000
_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query text, parsed and validated: the document, or the errors that stop it."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    plain: DocumentNode | None = None
    """The document without ``@defer``/``@stream``, when it has them (else None)."""

    @property
    def plain_document(self) -> DocumentNode | None:
        """What runs when the answer is one plain result."""
        return self.plain if self.plain is not None else self.document

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The operation ``name`` selects (the only one when None), if any."""
        if self.document is None:
            return None
        operations = [
            definition
            for definition in self.document.definitions
            if isinstance(definition, OperationDefinitionNode)
        ]
        if name is None:
            return operations[0] if len(operations) == 1 else None
        return next((op for op in operations if op.name and op.name.value == name), None)


class Documents:
    """Parses, validates and runs documents against ``schema``."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        introspection: bool = True,
        limits: Limits | None = None,
        list_length: int = 2,
        max_list: int = 100,
        validate: bool = True,
    ) -> None:
        self.schema = schema
        self.limits = limits = limits or Limits()
        self.list_length = list_length
        self.max_list = max_list
        self._rules = list(specified_rules)
        if not validate:
            self._rules = [rule for rule in self._rules if rule not in INPUT_VALUE_RULES]
        if not introspection:
            self._rules.append(NoSchemaIntrospectionCustomRule)
        if limits.max_depth > 0:
            self._rules.append(depth_rule(limits.max_depth))
        self._cache: dict[str, Prepared] = {}
        self._estimates: dict[int, tuple[OperationDefinitionNode, int]] = {}
        self.incremental = any(schema.get_directive(name) for name in ("defer", "stream"))
        """The schema declares ``@defer`` or ``@stream``: documents run with
        graphql-core's incremental execution (its plain ``execute`` refuses them)."""

    def prepare(self, query: str) -> Prepared:
        found = self._cache.get(query)
        if found is not None:
            return found
        try:
            document = parse(query, max_tokens=_MAX_TOKENS)
        except GraphQLError as error:
            prepared = Prepared(None, (error,))
        else:
            errors = validate(self.schema, document, self._rules)
            if errors:
                prepared = Prepared(None, tuple(errors))
            elif self.incremental and has_incremental_directives(document):
                prepared = Prepared(document, (), without_incremental(document))
            else:
                prepared = Prepared(document, ())
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[query] = prepared
        return prepared

    def too_costly(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode | None,
        variables: dict[str, Any] | None,
    ) -> GraphQLError | None:
        """The error refusing ``operation`` when its answer would hold more objects
        and values than the limit (None when it may run)."""
        limit = self.limits.max_nodes
        if operation is None or limit <= 0:
            return None
        key = id(operation)
        known = None if variables else self._estimates.get(key)
        if known is not None and known[0] is operation:
            nodes = known[1]
        else:
            nodes = estimate_nodes(
                self.schema,
                document,
                operation,
                variables,
                list_length=self.list_length,
                max_list=self.max_list,
                ceiling=limit,
            )
            if not variables:  # the estimate depends on the text alone: keep it
                if len(self._estimates) >= _CACHE_SIZE:
                    self._estimates.clear()
                self._estimates[key] = (operation, nodes)
        return too_many_nodes(nodes, limit, operation) if nodes > limit else None

    def too_large(self, content: bytes) -> bytes | None:
        """The error answer replacing ``content`` when it is over the size limit."""
        limit = self.limits.max_answer_bytes
        if limit <= 0 or len(content) <= limit:
            return None
        return encode_result({"errors": [answer_too_large(len(content), limit).formatted]})

    def execute(
        self,
        document: DocumentNode,
        execution: Execution,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> ExecutionResult:
        """Run a query or mutation (every resolver is synchronous) to one result;
        ``document`` holds no ``@defer``/``@stream`` (see :attr:`Prepared.plain_document`)."""
        run = experimental_execute_incrementally if self.incremental else execute
        result = run(
            self.schema,
            document,
            context_value=execution,
            variable_values=variables,
            operation_name=operation_name,
            is_awaitable=assume_not_awaitable,
        )
        assert isinstance(result, ExecutionResult)
        return result

    def execute_incrementally(
        self,
        document: DocumentNode,
        execution: Execution,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> ExecutionResult | ExperimentalIncrementalExecutionResults:
        """Run a query that may defer or stream: one result, or an initial result
        and the results that follow."""
        result = experimental_execute_incrementally(
            self.schema,
            document,
            context_value=execution,
            variable_values=variables,
            operation_name=operation_name,
            is_awaitable=assume_not_awaitable,
        )
        assert isinstance(result, ExecutionResult | ExperimentalIncrementalExecutionResults)
        return result

    async def subscribe(
        self,
        document: DocumentNode,
        execution: Execution,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> AsyncIterator[ExecutionResult] | ExecutionResult:
        found = subscribe(
            self.schema,
            document,
            context_value=execution,
            variable_values=variables,
            operation_name=operation_name,
        )
        if inspect.isawaitable(found):
            return await found
        return found


def operation_type(operation: OperationDefinitionNode | None) -> str:
    if operation is None:
        return "query"
    return {
        OperationType.QUERY: "query",
        OperationType.MUTATION: "mutation",
        OperationType.SUBSCRIPTION: "subscription",
    }[operation.operation]


def format_errors(errors: Any) -> list[dict[str, Any]]:
    return [error.formatted for error in errors]


def is_request_error(result: ExecutionResult) -> bool:
    """Execution never began (unknown operation, bad variables): no ``data`` then."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


def result_document(result: ExecutionResult) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if result.errors:
        document["errors"] = format_errors(result.errors)
    if not is_request_error(result):
        document["data"] = result.data
    if result.extensions:
        document["extensions"] = result.extensions
    return document


def encode_result(document: dict[str, Any]) -> bytes:
    return _json.encode(document).encode()
