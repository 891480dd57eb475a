"""A checked channel config to the IR: channels, their messages, their options."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ... import ir
from ...errors import SpecError
from .reading import Config

__all__ = ["SCHEDULES_EXTENSION", "read_api"]

SCHEDULES_EXTENSION = "x-channels"
"""The Api extension holding ``{"schedules": {operation id: schedule}}``."""

_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_SCHEMAS_PREFIX = "#/schemas/"
_JSON = "application/json"


def read_api(config: Config, *, spec_format: str) -> ir.Api:
    data = config.data
    info = data.get("info") or {}
    operations: list[ir.Operation] = []
    schedules: dict[str, Any] = {}
    seen: dict[str, list[str | int]] = {}
    for channel_name, channel in data["channels"].items():
        where: list[str | int] = ["channels", channel_name]
        for operation, schedule in _channel_operations(config, channel_name, channel, where):
            pointer = _pointer_list(operation.source)
            if operation.id in seen:
                raise SpecError(
                    config.locate(
                        pointer,
                        f"operation id {operation.id!r} is used twice "
                        f"(first at /{'/'.join(map(str, seen[operation.id]))})",
                    )
                )
            seen[operation.id] = pointer
            operations.append(operation)
            if schedule is not None:
                schedules[operation.id] = schedule
    schemas = tuple(
        ir.NamedSchema(
            name=name,
            schema=ir.freeze(_refs(schema)),
            source=_source(config, ["schemas", name]),
        )
        for name, schema in (data.get("schemas") or {}).items()
    )
    _check_refs(config, data, {schema.name for schema in schemas})
    file_stem = config.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ir.Api(
        name=info.get("name") or file_stem,
        title=info.get("title", ""),
        version=info.get("version", ""),
        description=info.get("description", ""),
        spec_format=spec_format,
        sources=(config.file,),
        operations=tuple(operations),
        schemas=schemas,
        extensions=_extensions(schedules),
    )


def _extensions(schedules: dict[str, Any]) -> Mapping[str, ir.JsonValue] | None:
    if not schedules:
        return None
    frozen = ir.freeze({SCHEDULES_EXTENSION: {"schedules": schedules}})
    assert isinstance(frozen, Mapping)
    return frozen


def _channel_operations(
    config: Config, name: str, channel: Mapping[str, Any], where: list[str | int]
) -> list[tuple[ir.Operation, Any]]:
    protocol = channel["protocol"]
    address = channel["address"]
    declared = channel.get("parameters") or {}
    placeholders = _PLACEHOLDER.findall(address)
    for parameter in declared:
        if parameter not in placeholders:
            raise SpecError(
                config.locate(
                    [*where, "parameters", parameter],
                    f"parameter {parameter!r} is not a placeholder of the address {address!r}",
                )
            )
    parameters = tuple(
        ir.Parameter(
            name=placeholder,
            location=ir.ParameterLocation.PATH,
            required=True,
            schema=ir.freeze(
                _refs((declared.get(placeholder) or {}).get("schema", {"type": "string"}))
            ),
            description=(declared.get(placeholder) or {}).get("description", ""),
        )
        for placeholder in placeholders
    )
    options = _options(protocol, channel.get(protocol) or {})
    found: list[tuple[ir.Operation, Any]] = []
    for message_name, message in (channel.get("client_sends") or {}).items():
        here = [*where, "client_sends", message_name]
        reply = message.get("reply")
        outputs: tuple[ir.Output, ...] = ()
        if reply is not None:
            key = reply.get("message") or f"{message_name}_reply"
            outputs = (
                ir.Output(
                    key=key,
                    message=_message(config, reply, [*here, "reply"]),
                    description=reply.get("summary", ""),
                    source=_source(config, [*here, "reply"]),
                ),
            )
        binding = ir.ChannelBinding(
            protocol=protocol,
            channel=address,
            action="receive",
            parameters=parameters,
            options=options,
            reply=ir.ChannelReply(channel=address) if reply is not None else None,
        )
        operation = ir.Operation(
            id=message.get("operation") or f"{name}_{message_name}",
            shape=ir.Shape.UNARY if reply is not None else ir.Shape.SUBSCRIBE,
            input=_message(config, message, here, required=True),
            outputs=outputs,
            binding=binding,
            summary=message.get("summary", ""),
            description=message.get("description", ""),
            source=_source(config, here),
        )
        found.append((operation, None))
    for message_name, message in (channel.get("server_sends") or {}).items():
        here = [*where, "server_sends", message_name]
        binding = ir.ChannelBinding(
            protocol=protocol,
            channel=address,
            action="send",
            parameters=parameters,
            options=options,
        )
        operation = ir.Operation(
            id=message.get("operation") or f"{name}_{message_name}",
            shape=ir.Shape.SERVER_STREAM,
            outputs=(
                ir.Output(
                    key=message_name,
                    message=_message(config, message, here),
                    event=message.get("event", ""),
                    description=message.get("summary", ""),
                    source=_source(config, here),
                ),
            ),
            binding=binding,
            summary=message.get("summary", ""),
            description=message.get("description", ""),
            source=_source(config, here),
        )
        found.append((operation, message.get("schedule")))
    return found


def _options(protocol: str, given: Mapping[str, Any]) -> ir.ChannelOptions:
    if protocol == "websocket":
        return ir.WebSocketOptions(subprotocol=given.get("subprotocol", ""))
    if protocol == "sse":
        return ir.SseOptions(
            method=given.get("method", "GET"),
            framing=given.get("framing", "sse"),
            event=given.get("event", ""),
            retry_ms=given.get("retry_ms"),
        )
    if protocol == "kafka":
        return ir.KafkaOptions(
            key=ir.freeze(_refs(given["key"])) if "key" in given else None,
            partitions=given.get("partitions"),
            replicas=given.get("replicas"),
            group_id=given.get("group_id", ""),
            client_id=given.get("client_id", ""),
        )
    if protocol == "mqtt":
        return ir.MqttOptions(qos=given.get("qos"), retain=given.get("retain"))
    return ir.AmqpOptions(**given)


def _message(
    config: Config, message: Mapping[str, Any], where: list[str | int], *, required: bool = False
) -> ir.Message:
    media_type = message.get("content_type") or _JSON
    examples = tuple(
        ir.Example(
            name=example.get("name") or f"example{index + 1}",
            value=ir.freeze(example["value"]),
            summary=example.get("summary", ""),
            source=_source(config, [*where, "examples", index]),
        )
        for index, example in enumerate(message.get("examples") or ())
    )
    headers = tuple(
        ir.Parameter(
            name=header,
            location=ir.ParameterLocation.METADATA,
            schema=ir.freeze(_refs(spec.get("schema", {}))),
            required=bool(spec.get("required", False)),
            description=spec.get("description", ""),
        )
        for header, spec in (message.get("headers") or {}).items()
    )
    content = ir.Content(
        media_type=media_type,
        schema=ir.freeze(_refs(message["payload"])) if "payload" in message else None,
        examples=examples,
    )
    return ir.Message(
        contents=(content,),
        required=required,
        description=message.get("description", ""),
        headers=headers,
        source=_source(config, where),
    )


def _refs(schema: Any) -> Any:
    """``#/schemas/<Name>`` references as the IR writes them (``#/$defs/<Name>``)."""
    if isinstance(schema, dict):
        return {
            key: (
                ir.SCHEMA_REF_PREFIX + value[len(_SCHEMAS_PREFIX) :]
                if key == "$ref" and isinstance(value, str) and value.startswith(_SCHEMAS_PREFIX)
                else _refs(value)
            )
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_refs(item) for item in schema]
    return schema


def _check_refs(
    config: Config, node: Any, names: set[str], where: list[str | int] | None = None
) -> None:
    """Every ``#/schemas/<Name>`` names a schema of the config."""
    where = where or []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples":
                continue
            if key == "$ref" and isinstance(value, str):
                if (
                    not value.startswith(_SCHEMAS_PREFIX)
                    or value[len(_SCHEMAS_PREFIX) :] not in names
                ):
                    raise SpecError(
                        config.locate(
                            [*where, key],
                            f"$ref {value!r} names no schema of this config "
                            "(write #/schemas/<Name>)",
                        )
                    )
            else:
                _check_refs(config, value, names, [*where, key])
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _check_refs(config, item, names, [*where, index])


def _source(config: Config, where: list[str | int]) -> ir.Source:
    diagnostic = config.locate(where, "")
    return ir.Source(
        file=config.file,
        pointer=diagnostic.pointer or "",
        line=diagnostic.line,
        column=diagnostic.column,
    )


def _pointer_list(source: ir.Source | None) -> list[str | int]:
    if source is None or not source.pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in source.pointer[1:].split("/")]
