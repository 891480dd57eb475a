"""The ``crud`` preset: a mock that is a REST collection kept in the state store.

Records live in ``StateStore.collection(NAME)`` under their id as text; the id
inside a record keeps its type (an integer for ``id_type: int``). The id of
``get``/``replace``/``patch``/``delete`` is the path parameter ``id_param``, by
default the request's last path parameter. Statuses follow REST (201 created,
204 deleted) unless the operation declares another success status, which is
then answered instead (a ``delete`` declared 200 answers the removed record).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Encoder, Operation, Reply, Request
from ..state import StateStore
from .conformance import is_http_operation
from .crud_errors import PROBLEM_MEDIA_TYPE, ErrorShapes
from .crud_listing import ListQuery
from .crud_records import list_wrapper, record_shape
from .responses import data_reply, default_status, media_for

__all__ = ["CrudHandler", "CrudSpec", "compile_crud", "merge_patch"]


@dataclass(frozen=True, slots=True)
class CrudSpec:
    collection: str
    action: str
    id_field: str = "id"
    id_param: str | None = None
    id_type: str | None = None
    """None: ``int``, or text ids when the record schema's id is a string."""
    wrap: str | None = None


def compile_crud(data: dict[str, Any]) -> CrudSpec:
    """The preset of a ``crud`` mapping that is valid against the schema."""
    return CrudSpec(
        collection=data["collection"],
        action=data["action"],
        id_field=data.get("id_field", "id"),
        id_param=data.get("id_param"),
        id_type=data.get("id_type"),
        wrap=data.get("wrap"),
    )


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch: ``null`` removes a key, objects merge, the rest replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _success(operation: Operation, preferred: str) -> str:
    """``preferred`` when the operation declares it (or its range); a ``default``
    response is the spec's catch-all for errors, not a declared success."""
    if not operation.outputs:
        return preferred
    output = operation.output_for(preferred)
    if output is not None and output.status != "default":
        return preferred
    return default_status(operation)


class CrudHandler:
    """Answers one crud action for one operation."""

    __slots__ = (
        "created",
        "deleted",
        "encode",
        "errors",
        "id_kind",
        "listing",
        "media",
        "ok",
        "operation",
        "shape",
        "source",
        "spec",
        "state",
        "wrap",
    )

    def __init__(
        self,
        spec: CrudSpec,
        operation: Operation,
        encoder: Encoder,
        state: StateStore,
        source: str,
        *,
        defs: Mapping[str, Any] | None = None,
        fake: Any = None,
    ) -> None:
        self.spec = spec
        self.operation = operation
        self.encode = encoder
        self.state = state
        self.source = source
        self.media: dict[str, tuple[str, Any]] = {}
        self.ok = _success(operation, "200")
        self.created = _success(operation, "201")
        self.deleted = _success(operation, "204")
        answered = self.created if spec.action == "create" else self.ok
        self.shape = record_shape(operation, answered, spec.action == "list", defs or {}, fake)
        self.listing = (
            ListQuery(operation.query, self.shape.properties if self.shape else {})
            if spec.action == "list"
            else None
        )
        self.errors = ErrorShapes(operation, defs, fake) if is_http_operation(operation) else None
        self.wrap = spec.wrap
        if spec.action == "list" and self.wrap is None:
            self.wrap = list_wrapper(operation, self.ok, defs or {})
        inferred = self.shape.id_kind(spec.id_field) if self.shape is not None else None
        self.id_kind = spec.id_type or inferred or "int"
        """``int`` (1, 2, 3…), ``text`` ("1", "2"…, for string ids), ``uuid`` or ``given``."""

    def handle(self, request: Request, rng: random.Random) -> Reply:
        spec = self.spec
        collection = self.state.collection(spec.collection)
        if spec.action == "list":
            records: Any = collection.list()
            if self.listing is not None and not self.listing.is_empty:
                records = self.listing.apply(records, request.query, spec.id_field)
            return self._answer(self.ok, {self.wrap: records} if self.wrap else records)
        if spec.action == "create":
            return self._create(request, collection, rng)
        found = self._key(request)
        if isinstance(found, Reply):
            return found
        key = self._normal(found)
        existing = collection.get(key) if key is not None else None
        if key is None or existing is None:
            return self._error("404", "Not Found", f"{spec.collection} {found} does not exist")
        if spec.action == "get":
            return self._answer(self.ok, existing)
        if spec.action == "delete":
            collection.delete(key)
            return self._answer(self.deleted, None if self.deleted == "204" else existing)
        body = request.body
        if not isinstance(body, dict):
            return self._bad_request("the request body must be a JSON object")
        record_id = existing.get(spec.id_field, key) if isinstance(existing, dict) else key
        if spec.action == "patch":
            record = merge_patch(existing, self._incoming(body))
        else:
            record = self._incoming(body)
        record = {spec.id_field: record_id, **_without(record, spec.id_field)}
        if self.shape is not None and isinstance(existing, dict):
            record = self.shape.updated(record, existing, key, spec.id_field, rng)
        collection.put(key, record)
        return self._answer(self.ok, record)

    def _incoming(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.shape is None:
            return _without(body, self.spec.id_field)
        return self.shape.incoming(body, self.spec.id_field)

    def _create(self, request: Request, collection: Any, rng: random.Random) -> Reply:
        spec = self.spec
        body = request.body
        if not isinstance(body, dict):
            return self._bad_request("the request body must be a JSON object")
        new_id: Any
        if self.id_kind == "int":
            new_id = collection.next_id()
        elif self.id_kind == "text":
            new_id = str(collection.next_id())
        elif self.id_kind == "uuid":
            new_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        else:
            new_id = body.get(spec.id_field)
            if isinstance(new_id, bool) or not isinstance(new_id, str | int) or new_id == "":
                return self._bad_request(f"the body needs '{spec.id_field}' (text or an integer)")
            if collection.get(str(new_id)) is not None:
                detail = f"{spec.collection} {new_id} already exists"
                return self._error("409", "Conflict", detail)
        record = {spec.id_field: new_id, **self._incoming(body)}
        if self.shape is not None:
            record = self.shape.created(record, str(new_id), spec.id_field, rng)
        collection.put(str(new_id), record)
        return self._answer(self.created, record)

    def _key(self, request: Request) -> str | Reply:
        name = self.spec.id_param
        if name is None:
            if not request.path:
                return self._problem(
                    "500",
                    "Mock misconfigured",
                    f"{self.source}: the request has no path parameter to take the id "
                    "from; set crud.id_param",
                )
            name = next(reversed(request.path))
        value = request.path.get(name)
        if value is None:
            value = request.query.get(name)
        if value is None or isinstance(value, bool | dict | list):
            detail = f"{self.spec.collection}: the request names no id ({name})"
            return self._error("404", "Not Found", detail)
        return str(value)

    def _normal(self, key: str) -> str | None:
        """The stored form of ``key``: integers without leading zeros; None for an
        integer collection asked for something that is not an integer."""
        if self.id_kind != "int":
            return key
        digits = key[1:] if key.startswith("-") else key
        if not (digits.isdigit() and digits.isascii() and len(digits) < 40):
            return None
        return str(int(key))

    def _answer(self, status: str, data: Any) -> Reply:
        if data is None:
            return Reply(status, {}, None, None, None, 0.0, None, self.source)
        media = self.media.get(status)
        if media is None:
            media = self.media[status] = media_for(self.operation, status)
        content = self.encode(data, media[0], media[1])
        return Reply(status, {}, None, media[0], content, 0.0, None, self.source)

    def _error(self, status: str, title: str, detail: str) -> Reply:
        """An error answer in the shape the operation declares for ``status``."""
        if self.errors is None:
            return self._problem(status, title, detail)
        media_type, body = self.errors.body(status, title, detail)
        return data_reply(status, body, self.source, self.encode, media_type)

    def _problem(self, status: str, title: str, detail: str) -> Reply:
        body = {"title": title, "detail": detail}
        return data_reply(status, body, self.source, self.encode, PROBLEM_MEDIA_TYPE)

    def _bad_request(self, detail: str) -> Reply:
        return self._error("400", "Bad Request", f"{self.spec.collection}: {detail}")


def _without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != key}
