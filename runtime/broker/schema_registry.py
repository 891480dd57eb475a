"""A schema registry in memory, and the registry's wire format of Avro data.

A Kafka contract that names a schema registry (a server's ``schemaRegistryUrl``,
or ``schemaIdLocation: payload`` on a message) has its Avro payloads and keys
framed as Confluent's serializers write them: a zero byte, the schema's id in
four bytes (big-endian), then the Avro binary. The ids are this service's own:
its registry (:class:`SchemaRegistry`) holds the contract's Avro schemas, ids
1, 2, … in the contract's order, each under the subjects of the topic-name
strategy (``TOPIC-value``, ``TOPIC-key``, for a topic without parameters) and
of the record-name strategy (the record's full name). The admin API serves it
with the registry's REST API (:mod:`.schema_registry_api`), so an application
under test points its ``schema.registry.url`` at the service; schemas the
application registers there get ids of their own, and data it writes with
them is read and resolved to the contract's schema (Avro schema resolution).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastavro import parse_schema
from fastavro.schema import SchemaParseException, to_parsing_canonical_form

from .avro import AvroCodec, AvroError
from .channels import BrokerChannel

__all__ = [
    "FramedCodec",
    "RegisteredSchema",
    "SchemaRegistry",
    "framed",
    "registry_of",
]

MAGIC = b"\x00"
HEADER_SIZE = 5
"""The magic byte and the 4-byte schema id before the Avro binary."""


@dataclass(frozen=True, slots=True)
class RegisteredSchema:
    """A schema's version under one subject."""

    subject: str
    version: int
    id: int
    schema: str


class SchemaRegistry:
    """Subjects, versions and ids of Avro schemas (thread-safe: the admin API
    registers off the event loop while messages are read on it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._texts: list[str] = []
        """Each schema's text by id - 1."""
        self._parsed: list[Any] = []
        self._ids: dict[str, int] = {}
        """Ids by the schema's parsing canonical form."""
        self._subjects: dict[str, list[int]] = {}
        """Each subject's schema ids, version 1 first."""

    def register(self, subject: str, schema: Any) -> int:
        """The id of ``schema`` (JSON text or its parsed JSON), registered under
        ``subject`` as its next version unless it is one already. ValueError
        when it is not an Avro schema."""
        source = _schema_source(schema)
        try:
            canonical = to_parsing_canonical_form(source)
            parsed = parse_schema(source, _write_hint=False)
        except (SchemaParseException, ValueError, TypeError, KeyError) as error:
            raise ValueError(f"not an Avro schema: {error}") from None
        with self._lock:
            schema_id = self._ids.get(canonical)
            if schema_id is None:
                self._texts.append(json.dumps(source, separators=(",", ":")))
                self._parsed.append(parsed)
                schema_id = self._ids[canonical] = len(self._texts)
            versions = self._subjects.setdefault(subject, [])
            if schema_id not in versions:
                versions.append(schema_id)
            return schema_id

    def lookup(self, subject: str, schema: Any) -> RegisteredSchema | None:
        """The version of ``subject`` that is ``schema``, if any."""
        try:
            canonical = to_parsing_canonical_form(_schema_source(schema))
        except (SchemaParseException, ValueError, TypeError, KeyError):
            return None
        with self._lock:
            schema_id = self._ids.get(canonical)
            versions = self._subjects.get(subject, [])
            if schema_id is None or schema_id not in versions:
                return None
            return self._registered(subject, versions.index(schema_id) + 1)

    def schema_text(self, schema_id: int) -> str | None:
        with self._lock:
            return self._texts[schema_id - 1] if 0 < schema_id <= len(self._texts) else None

    def parsed(self, schema_id: int) -> Any:
        """The parsed schema of ``schema_id``, None when no schema has it."""
        with self._lock:
            return self._parsed[schema_id - 1] if 0 < schema_id <= len(self._parsed) else None

    def subjects(self, schema_id: int | None = None) -> list[str]:
        """Every subject (sorted), or those that have ``schema_id``."""
        with self._lock:
            return sorted(
                name
                for name, versions in self._subjects.items()
                if schema_id is None or schema_id in versions
            )

    def versions(self, subject: str) -> list[int] | None:
        with self._lock:
            versions = self._subjects.get(subject)
            return None if versions is None else list(range(1, len(versions) + 1))

    def version(self, subject: str, version: str) -> RegisteredSchema | None:
        """``subject``'s version ``version`` (a number, ``latest`` or ``-1``)."""
        with self._lock:
            versions = self._subjects.get(subject)
            if not versions:
                return None
            number = len(versions) if version in ("latest", "-1") else _number(version)
            if number is None or not 0 < number <= len(versions):
                return None
            return self._registered(subject, number)

    def _registered(self, subject: str, version: int) -> RegisteredSchema:
        schema_id = self._subjects[subject][version - 1]
        return RegisteredSchema(subject, version, schema_id, self._texts[schema_id - 1])


class FramedCodec(AvroCodec):
    """An Avro codec whose bytes carry the registry's wire format: the contract's
    schema, registered as ``schema_id``, is written; data written with any
    registered schema is read."""

    def __init__(self, codec: AvroCodec, registry: SchemaRegistry, schema_id: int) -> None:
        super().__init__(codec.source)
        self.registry = registry
        self.schema_id = schema_id
        self._header = MAGIC + schema_id.to_bytes(4, "big")

    def encode(self, data: Any) -> bytes:
        return self._header + super().encode(data)

    def decode(self, raw: bytes, writer: Any = None) -> Any:
        if len(raw) < HEADER_SIZE or raw[:1] != MAGIC:
            raise AvroError(
                "payload is not in the schema registry's wire format (a zero byte and a "
                "4-byte schema id before the Avro data)"
            )
        schema_id = int.from_bytes(raw[1:HEADER_SIZE], "big")
        if schema_id == self.schema_id:
            return super().decode(raw[HEADER_SIZE:])
        found = self.registry.parsed(schema_id)
        if found is None:
            raise AvroError(f"schema id {schema_id} is not in the service's schema registry")
        return super().decode(raw[HEADER_SIZE:], writer=found)


def registry_of(channels: Iterable[BrokerChannel]) -> SchemaRegistry | None:
    """A registry when a channel's Avro data is framed (``registry_framing``)."""
    framing = any(channel.options.get("registry_framing") for channel in channels)
    return SchemaRegistry() if framing else None


def framed(
    registry: SchemaRegistry,
    channel: BrokerChannel,
    codec: AvroCodec,
    part: str,
    topic: str = "",
) -> AvroCodec:
    """``codec`` framed when ``channel`` says so, its schema registered under the
    subjects of ``topic`` (the channel's address by default) and ``part``
    (``value`` or ``key``); else ``codec`` itself."""
    if not channel.options.get("registry_framing"):
        return codec
    address = topic or channel.address
    subjects = [f"{address}-{part}"] if "{" not in address else []
    record = _full_name(codec.schema)
    if record:
        subjects.append(record)
    schema_id = 0
    for subject in subjects or [f"{channel.operation}-{part}"]:
        schema_id = registry.register(subject, codec.source)
    return FramedCodec(codec, registry, schema_id)


def _schema_source(schema: Any) -> Any:
    if isinstance(schema, str):
        try:
            return json.loads(schema)
        except json.JSONDecodeError:
            return schema  # a primitive's bare name ("string")
    return schema


def _full_name(parsed: Any) -> str:
    if isinstance(parsed, Mapping) and parsed.get("type") in ("record", "enum", "fixed"):
        return str(parsed.get("name") or "")
    return ""


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None
