"""The IR checker: the invariants of docs/ir.md, checked between passes.

A front end or a pass that builds a broken Api is stopped here, at the place
in the spec the broken node came from, instead of in a target or at run
time. Checked:

- operation ids are valid Python identifiers, unique (ignoring case, as file
  names of mocks), and stable: no pass after the first check renames one;
- named schemas have unique names and every ``$ref`` names one of them;
- the ``xml`` and ``x-order`` annotations follow their vocabulary;
- every output key is well-formed for the operation's binding kind
  (:func:`mockc.compiler.ir.selectors.output_selector`), keys are unique
  within an operation, SOAP faults are errors of SOAP operations;
- bindings agree with the operation's shape (a gRPC method may stream, a
  SOAP operation may not; a channel's ``send`` is not a ``subscribe``) and
  carry the values their kind allows.

The checks are cheap: a schema object already found sound is not walked
again (passes share the frozen schemas they do not change), so checking after
every pass costs little more than checking once.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator, Mapping

from mockc.compiler import ir
from mockc.compiler.errors import Diagnostic, IrError, RefError
from mockc.compiler.ir.selectors import SelectorError, output_selector

from .schema_refs import def_name

__all__ = ["IrChecker", "run"]

_DATA_KEYWORDS = frozenset({"examples", "example", "default", "const", "enum"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_ONE_SCHEMA = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
        "x-graphql-args",
    }
)
_SCHEMA, _MAP, _OTHER = 0, 1, 2
_HTTP_METHOD = re.compile(r"[A-Z][A-Z-]*")
_PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")

_SHAPES: dict[type, frozenset[ir.Shape]] = {
    ir.HttpBinding: frozenset({ir.Shape.UNARY, ir.Shape.SERVER_STREAM}),
    ir.GrpcBinding: frozenset(
        {ir.Shape.UNARY, ir.Shape.SERVER_STREAM, ir.Shape.CLIENT_STREAM, ir.Shape.BIDI}
    ),
    ir.GraphqlBinding: frozenset({ir.Shape.UNARY, ir.Shape.SERVER_STREAM}),
    ir.SoapBinding: frozenset({ir.Shape.UNARY}),
    ir.McpBinding: frozenset({ir.Shape.UNARY}),
}
_CHANNEL_SHAPES = {
    "send": frozenset({ir.Shape.PUBLISH, ir.Shape.SERVER_STREAM, ir.Shape.BIDI}),
    # unary: a request answered on the connection it came in on (a line or a
    # WebSocket message and its reply), as well as consumed with a reply channel
    "receive": frozenset(
        {ir.Shape.UNARY, ir.Shape.SUBSCRIBE, ir.Shape.CLIENT_STREAM, ir.Shape.BIDI}
    ),
}
_CHANNEL_OPTIONS: dict[str, type] = {
    "kafka": ir.KafkaOptions,
    "rabbitmq": ir.AmqpOptions,
    "amqp": ir.AmqpOptions,
    "mqtt": ir.MqttOptions,
    "websocket": ir.WebSocketOptions,
    "sse": ir.SseOptions,
}
_CHOICES: dict[tuple[type, str], frozenset[str]] = {
    (ir.GraphqlBinding, "root"): frozenset({"query", "mutation", "subscription"}),
    (ir.SoapBinding, "style"): frozenset({"document", "rpc"}),
    (ir.SoapBinding, "use"): frozenset({"literal", "encoded"}),
    (ir.SoapBinding, "soap_version"): frozenset({"1.1", "1.2"}),
    (ir.McpBinding, "primitive"): frozenset({"tool", "resource", "prompt"}),
}


class IrChecker:
    """Checks one Api after another; remembers the first ids (stability) and
    the schema objects already found sound."""

    def __init__(self) -> None:
        self._ids: tuple[str, ...] | None = None
        self._sound: dict[int, ir.JsonValue] = {}
        """Schemas walked without a fault, by identity (kept alive here, so an
        identity is never reused for another object)."""

    def check(self, api: ir.Api, *, after: str = "") -> None:
        """Raise :class:`IrError` naming every fault of ``api`` (``after``: the
        pass that built it, for the message)."""
        faults = _Faults(after)
        self._check_ids(api, faults)
        names = self._check_schemas(api, faults)
        for operation in api.operations:
            _check_operation(operation, faults)
        if faults.found:
            raise IrError(faults.found)
        self._check_refs_and_vocabulary(api, names, faults)
        if faults.found:
            unresolved = [fault for fault in faults.found if fault.code == "ref"]
            raise RefError(unresolved) if unresolved else IrError(faults.found)

    def _check_ids(self, api: ir.Api, faults: _Faults) -> None:
        seen: set[str] = set()
        for operation in api.operations:
            if not operation.id.isidentifier() or keyword.iskeyword(operation.id):
                faults.add(operation.source, f"operation id {operation.id!r} is not an identifier")
            if operation.id.lower() in seen:
                faults.add(operation.source, f"operation id {operation.id!r} is not unique")
            seen.add(operation.id.lower())
        ids = tuple(operation.id for operation in api.operations)
        if self._ids is None:
            self._ids = ids
        elif ids != self._ids:
            changed = sorted(set(ids) ^ set(self._ids))[:5] or ["(their order)"]
            faults.add(None, "a pass changed operation ids: " + ", ".join(changed))

    def _check_schemas(self, api: ir.Api, faults: _Faults) -> frozenset[str]:
        names: set[str] = set()
        for named in api.schemas:
            if named.name in names:
                faults.add(named.source, f"schema name {named.name!r} is not unique")
            names.add(named.name)
        return frozenset(names)

    def _check_refs_and_vocabulary(
        self, api: ir.Api, names: frozenset[str], faults: _Faults
    ) -> None:
        for schema, source in _schemas(api):
            if id(schema) in self._sound or not isinstance(schema, Mapping | tuple):
                continue
            before = len(faults.found)
            for message, code in _schema_faults(schema, names):
                faults.add(source, message, code=code)
            if len(faults.found) == before:
                self._sound[id(schema)] = schema


def run(api: ir.Api, diagnostics: list[Diagnostic]) -> ir.Api:
    """Check ``api`` once (a pass of its own, for tests and single checks)."""
    IrChecker().check(api)
    return api


class _Faults:
    def __init__(self, after: str) -> None:
        self.after = after
        self.found: list[Diagnostic] = []

    def add(self, source: ir.Source | None, message: str, *, code: str = "ir") -> None:
        if self.after and code == "ir":
            message += f" (after the {self.after} pass)"
        self.found.append(
            Diagnostic.at(
                source,
                message=message,
                code=code,
            )
        )


def _check_operation(operation: ir.Operation, faults: _Faults) -> None:
    at = operation.source
    binding = operation.binding
    keys: set[str] = set()
    for output in operation.outputs:
        where = output.source or at
        if output.key in keys:
            faults.add(where, f"{operation.id}: output {output.key!r} is declared twice")
        keys.add(output.key)
        try:
            output_selector(output, binding)
        except SelectorError as exc:
            faults.add(where, f"{operation.id}: {exc}")
        if output.fault is not None and not (
            isinstance(binding, ir.SoapBinding) and output.is_error
        ):
            faults.add(where, f"{operation.id}: fault {output.key!r} must be a SOAP error output")
        if output.event and not isinstance(binding, ir.ChannelBinding):
            faults.add(where, f"{operation.id}: only channel outputs name an event")
    for each in operation.bindings:
        for message in _binding_faults(operation, each):
            faults.add(at, f"{operation.id}: {message}")
    if binding in operation.alternate_bindings:
        faults.add(at, f"{operation.id}: the primary binding is repeated among the others")


def _binding_faults(operation: ir.Operation, binding: ir.Binding) -> Iterator[str]:
    kind = type(binding)
    for (owner, name), allowed in _CHOICES.items():
        if owner is kind and getattr(binding, name) not in allowed:
            yield f"{name} {getattr(binding, name)!r} is not one of {', '.join(sorted(allowed))}"
    if isinstance(binding, ir.ChannelBinding):
        yield from _channel_faults(operation, binding)
        return
    shapes = _SHAPES[kind]
    if operation.shape not in shapes and binding is operation.binding:
        yield f"shape {operation.shape.value!r} is not one a {kind.__name__} can have"
    if isinstance(binding, ir.HttpBinding):
        if not _HTTP_METHOD.fullmatch(binding.method):
            yield f"HTTP method {binding.method!r} is not an upper-case token"
        if not binding.path.startswith("/"):
            yield f"HTTP path {binding.path!r} does not start with '/'"
    elif isinstance(binding, ir.McpBinding):
        if binding.arguments and binding.primitive != "prompt":
            yield "only a prompt has arguments"
        if binding.annotations is not None and binding.primitive != "tool":
            yield "only a tool has annotations"
        if (binding.mime_type or binding.uri_template) and binding.primitive != "resource":
            yield "only a resource has a MIME type and a URI"


def _channel_faults(operation: ir.Operation, binding: ir.ChannelBinding) -> Iterator[str]:
    shapes = _CHANNEL_SHAPES.get(binding.action)
    if shapes is None:
        yield f"channel action {binding.action!r} is neither 'send' nor 'receive'"
    elif operation.shape not in shapes:
        yield f"shape {operation.shape.value!r} contradicts the channel action {binding.action!r}"
    expected = _CHANNEL_OPTIONS.get(binding.protocol)
    if binding.options is not None and type(binding.options) is not expected:
        yield f"{type(binding.options).__name__} do not fit protocol {binding.protocol!r}"
    if binding.reply is not None and binding.action != "receive":
        yield "only a 'receive' operation has a reply"
    declared = {p.name for p in binding.parameters if p.location is ir.ParameterLocation.PATH}
    for name in _PATH_PARAMETER.findall(binding.channel):
        if name not in declared:
            yield f"channel parameter {{{name}}} is not declared"


def _schemas(api: ir.Api) -> Iterator[tuple[ir.JsonValue, ir.Source | None]]:
    for named in api.schemas:
        yield named.schema, named.source
    for operation in api.operations:
        for binding in operation.bindings:
            for parameter in getattr(binding, "parameters", ()):
                yield parameter.schema, parameter.source or operation.source
            options = getattr(binding, "options", None)
            if isinstance(options, ir.KafkaOptions):
                yield options.key, operation.source
        messages = [operation.input] if operation.input is not None else []
        for output in operation.outputs:
            messages.append(output.message)
            for header in output.headers:
                yield header.schema, header.source or output.source or operation.source
        for message in messages:
            for header in message.headers:
                yield header.schema, header.source or message.source or operation.source
            for content in message.contents:
                yield content.schema, message.source or operation.source


def _schema_faults(schema: ir.JsonValue, names: frozenset[str]) -> Iterator[tuple[str, str]]:
    """Unresolved ``$ref``s (code ``ref``) and misused annotations (``ir``) in ``schema``."""
    stack: list[tuple[ir.JsonValue, int]] = [(schema, _SCHEMA)]
    while stack:
        node, role = stack.pop()
        if isinstance(node, tuple):
            stack.extend((item, _OTHER) for item in node)
            continue
        if not isinstance(node, Mapping):
            continue
        if role == _MAP:
            stack.extend((value, _SCHEMA) for value in node.values())
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and def_name(ref) not in names:
            yield f"$ref {ref!r} does not name a schema of the API", "ref"
        if role == _SCHEMA:
            yield from ((message, "ir") for message in _annotation_faults(node))
        for key, value in node.items():
            if key in _DATA_KEYWORDS:
                continue
            if role == _SCHEMA and key in _SCHEMA_MAPS:
                stack.append((value, _MAP))
            elif role == _SCHEMA and key in _SCHEMA_LISTS and isinstance(value, tuple):
                stack.extend((item, _SCHEMA) for item in value)
            else:
                stack.append((value, _SCHEMA if role == _SCHEMA and key in _ONE_SCHEMA else _OTHER))


def _annotation_faults(schema: Mapping[str, ir.JsonValue]) -> Iterator[str]:
    xml = schema.get(ir.XML_KEYWORD)
    if xml is not None:
        if not isinstance(xml, Mapping):
            yield "the xml annotation is not an object"
        else:
            for member, value in xml.items():
                wanted = ir.XML_MEMBERS.get(member)
                if wanted is None:
                    yield f"xml annotation: unknown member {member!r}"
                elif not isinstance(value, wanted):
                    yield f"xml annotation: {member!r} is not a {wanted.__name__}"
    order = schema.get(ir.ORDER_KEYWORD)
    if order is not None:
        known = _property_names(schema)
        branches = schema.get("anyOf")
        for branch in branches if isinstance(branches, tuple) else ():  # an XSD choice's
            if isinstance(branch, Mapping):
                known |= _property_names(branch)
        if not isinstance(order, tuple) or not all(
            isinstance(name, str) and name in known for name in order
        ):
            yield f"{ir.ORDER_KEYWORD} must list property names of the schema"


def _property_names(schema: Mapping[str, ir.JsonValue]) -> set[str]:
    properties = schema.get("properties")
    return set(properties) if isinstance(properties, Mapping) else set()
