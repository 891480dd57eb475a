"""The schema registry's REST API, under ``/__mockc/schema-registry`` on the
admin port: the calls Confluent's serializers and deserializers make (register
a schema, look one up, read a schema by id, a subject's versions), answered
from the service's :class:`~.schema_registry.SchemaRegistry`. Errors are
answered in the registry's own form: ``{"error_code": …, "message": …}``."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from ..admin.call import AdminCall, Handler, Result
from ..service import MockService
from .schema_registry import RegisteredSchema, SchemaRegistry

__all__ = ["REGISTRY_PATH", "registry_paths", "registry_routes"]

REGISTRY_PATH = "/__mockc/schema-registry"
_SUBJECT = REGISTRY_PATH + "/subjects/{subject}"


def registry_routes(registry: SchemaRegistry) -> list[tuple[str, str, Handler]]:
    """The admin routes of ``registry``'s API."""
    api = _RegistryApi(registry)
    return [
        ("GET", REGISTRY_PATH + "/subjects", api.subjects),
        ("GET", _SUBJECT + "/versions", api.versions),
        ("POST", _SUBJECT + "/versions", api.register),
        ("GET", _SUBJECT + "/versions/{version}", api.version),
        ("GET", _SUBJECT + "/versions/{version}/schema", api.version_schema),
        ("POST", _SUBJECT, api.lookup),
        ("GET", REGISTRY_PATH + "/schemas/ids/{id}", api.schema),
        ("GET", REGISTRY_PATH + "/schemas/ids/{id}/schema", api.raw_schema),
        ("GET", REGISTRY_PATH + "/schemas/ids/{id}/subjects", api.subjects_of),
        ("GET", REGISTRY_PATH + "/schemas/types", api.types),
        ("GET", REGISTRY_PATH + "/config", api.config),
        ("GET", REGISTRY_PATH + "/config/{subject}", api.config),
    ]


def registry_paths() -> dict[str, Any]:
    """The registry's entries in the admin API's OpenAPI document (a summary:
    the registry's own API reference documents the calls)."""
    tags = ["schema registry"]
    return {
        REGISTRY_PATH + "/subjects": {
            "get": {"operationId": "registry_subjects", "tags": tags, "summary": "Subjects"}
        },
        _SUBJECT + "/versions": {
            "post": {
                "operationId": "registry_register",
                "tags": tags,
                "summary": "Register an Avro schema under a subject: its id",
            }
        },
        REGISTRY_PATH + "/schemas/ids/{id}": {
            "get": {"operationId": "registry_schema", "tags": tags, "summary": "A schema by id"}
        },
    }


class _RegistryApi:
    def __init__(self, registry: SchemaRegistry) -> None:
        self.registry = registry

    def subjects(self, service: MockService, call: AdminCall) -> Result:
        return 200, self.registry.subjects()

    def versions(self, service: MockService, call: AdminCall) -> Result:
        subject = _subject(call)
        versions = self.registry.versions(subject)
        return (200, versions) if versions is not None else _no_subject(subject)

    def register(self, service: MockService, call: AdminCall) -> Result:
        schema = _avro_schema(call)
        if isinstance(schema, tuple):
            return schema
        try:
            return 200, {"id": self.registry.register(_subject(call), schema)}
        except ValueError as error:
            return _error(422, 42201, f"Invalid schema: {error}")

    def lookup(self, service: MockService, call: AdminCall) -> Result:
        schema = _avro_schema(call)
        if isinstance(schema, tuple):
            return schema
        subject = _subject(call)
        if self.registry.versions(subject) is None:
            return _no_subject(subject)
        found = self.registry.lookup(subject, schema)
        return (200, _document(found)) if found else _error(404, 40403, "Schema not found")

    def version(self, service: MockService, call: AdminCall) -> Result:
        found = self._version(call)
        return (200, _document(found)) if isinstance(found, RegisteredSchema) else found

    def version_schema(self, service: MockService, call: AdminCall) -> Result:
        found = self._version(call)
        return (200, _raw(found.schema)) if isinstance(found, RegisteredSchema) else found

    def _version(self, call: AdminCall) -> RegisteredSchema | Result:
        subject = _subject(call)
        if self.registry.versions(subject) is None:
            return _no_subject(subject)
        found = self.registry.version(subject, call.params["version"])
        return found if found is not None else _error(404, 40402, "Version not found.")

    def schema(self, service: MockService, call: AdminCall) -> Result:
        text = self._text(call)
        return (200, {"schema": text}) if isinstance(text, str) else text

    def raw_schema(self, service: MockService, call: AdminCall) -> Result:
        text = self._text(call)
        return (200, _raw(text)) if isinstance(text, str) else text

    def subjects_of(self, service: MockService, call: AdminCall) -> Result:
        text = self._text(call)
        return (
            (200, self.registry.subjects(int(call.params["id"]))) if isinstance(text, str) else text
        )

    def _text(self, call: AdminCall) -> str | Result:
        raw = call.params["id"]
        text = self.registry.schema_text(int(raw)) if raw.isdigit() else None
        return text if text is not None else _error(404, 40403, "Schema not found")

    def types(self, service: MockService, call: AdminCall) -> Result:
        return 200, ["AVRO"]

    def config(self, service: MockService, call: AdminCall) -> Result:
        return 200, {"compatibilityLevel": "NONE"}


def _subject(call: AdminCall) -> str:
    return unquote(call.params["subject"])


def _avro_schema(call: AdminCall) -> str | Result:
    """The request's Avro schema text, or the registry's error answer."""
    body = call.body
    if not isinstance(body, dict) or not isinstance(body.get("schema"), str):
        return _error(422, 42201, 'Invalid schema: the body must be {"schema": "<schema text>"}')
    kind = body.get("schemaType", "AVRO")
    if kind != "AVRO":
        return _error(422, 42201, f"Invalid schema: this registry holds Avro schemas, not {kind}")
    if body.get("references"):
        return _error(422, 42201, "Invalid schema: schema references are not supported")
    text: str = body["schema"]
    return text


def _document(found: RegisteredSchema) -> dict[str, Any]:
    return {
        "subject": found.subject,
        "version": found.version,
        "id": found.id,
        "schema": found.schema,
    }


def _raw(text: str) -> Any:
    return json.loads(text)


def _no_subject(subject: str) -> Result:
    return _error(404, 40401, f"Subject '{subject}' not found.")


def _error(status: int, code: int, message: str) -> Result:
    return status, {"error_code": code, "message": message}
