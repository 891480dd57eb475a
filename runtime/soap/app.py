"""The ASGI application of a generated SOAP server.

Every port's address path answers ``POST`` (SOAP 1.1 or 1.2) and
``GET ?wsdl``; ``/health``, ``/metrics`` and the admin API under
``/__mockc/`` are the same as on every mockc server. Every request is
journaled.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from lxml import etree

from ..admin import ADMIN_PREFIX, METRICS_PATH, AdminApp
from ..contract import engine_operations
from ..engine import Hook, Reply, Request
from ..exceptions import PreferenceError, RuntimeFailure
from ..journal import EntryBuilder
from ..json_codec import json_bytes
from ..mocks.problems import WARNING, MockProblem
from ..service import MockService, matched_of
from ..settings import CoreSettings
from ..web.asgi import Receive, Scope, Send, lifespan
from ..web.bodies import DEFAULT_MAX_BODY_BYTES, read_body
from ..web.faults import delay, send_fault
from ..web.headers import request_headers
from ..web.health import Health
from ..web.preferences import parse_prefer
from ..web.problems import Problem
from ..web.responses import send_response
from .dispatch import Dispatcher, PortEntry
from .encoded_answers import write_encoded
from .encoding import EncodingError, is_encoded, read_encoded
from .envelopes import (
    ENVELOPE_NS,
    MEDIA_TYPES,
    EnvelopeError,
    add_detail,
    add_header,
    content_type_action,
    fault_envelope,
    fault_status,
    read_envelope,
    reason_of,
    serialise,
    success_envelope,
    version_of,
)
from .headers import HeaderError, declared_names, not_understood, read_headers, write_headers
from .mtom import is_xop, read_xop
from .outputs import CLIENT, MUST_UNDERSTAND, SERVER, SoapOutputs
from .safety import UnsafeXml, parse_request, parse_xml
from .validation import MAX_PROBLEMS, SchemaLoadError, WsdlSchemas, load_schemas
from .wsdl import WsdlFiles
from .xml_values import local_name, read_element, write_element

__all__ = ["SoapApp", "SoapOptions"]

HEALTH_PATH = "/health"
_VERDICTS_KEPT = 512
"""Answers whose verdict (and envelope) is remembered (then forgotten all at once)."""
ANSWER_PROBLEM_HEADER = "x-mockc-answer-problem"
"""Sent (and journaled) with an answer its WSDL's schemas find invalid."""
PROTOCOL = "soap"
logger = logging.getLogger("mockc")
_JSON = b"application/json"
_MUST_UNDERSTAND = b"mustUnderstand"
_MEDIA_TYPES = {version: media_type.encode() for version, media_type in MEDIA_TYPES.items()}


@dataclass(frozen=True, slots=True)
class SoapOptions:
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    validate: bool = True
    """Check requests (and report answers) against the WSDL's schemas."""


def _encode(data: Any, media_type: str | None, schema: Any = None) -> bytes:
    """An answer's body: literal XML as given, else the element its schema
    describes, as XML (JSON without a schema)."""
    if isinstance(data, bytes):
        return data
    if isinstance(data, str) and data.lstrip().startswith("<"):
        # literal XML (a captured body element), checked like a request
        literal: bytes = etree.tostring(parse_xml(data.strip().encode("utf-8")), encoding="utf-8")
        return literal
    if isinstance(schema, dict) and schema.get("xml"):
        element: bytes = etree.tostring(_body_element(schema, data), encoding="utf-8")
        reason = data.get(FAULT_REASON) if isinstance(data, dict) else None
        if isinstance(reason, str) and FAULT_REASON not in (schema.get("properties") or {}):
            # a fault's reason beside its detail element, until the envelope is written
            text = reason.replace("?>", "? >").encode("utf-8")
            return b"<?" + _REASON_TARGET.encode() + b" " + text + b"?>" + element
        return element
    return json_bytes(data)


def _body_element(schema: dict[str, Any], data: Any) -> etree._Element:
    """The element ``schema`` describes holding ``data`` (SOAP-encoded when
    the schema says so)."""
    if is_encoded(schema):
        return write_encoded(etree.Element("holder"), schema, data)
    return write_element(None, schema, data)


FAULT_REASON = "faultstring"
"""The key of a fault's reason in a mock's or hook's body."""
_REASON_TARGET = "mockc-reason"


def _carried_reason(reply: Reply) -> str | None:
    """The fault reason :func:`_encode` put before an encoded detail element."""
    content = reply.content
    prefix = b"<?" + _REASON_TARGET.encode() + b" "
    if content is None or not content.startswith(prefix):
        return None
    end = content.find(b"?>")
    return content[len(prefix) : end].decode("utf-8", "replace") if end > 0 else None


_FRAGMENT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _append_answer(parent: etree._Element, schema: dict[str, Any] | None, reply: Reply) -> None:
    """Put the reply's element (already encoded, or its data) in ``parent``."""
    content = reply.content
    if content is not None and content.lstrip().startswith(b"<"):
        parent.append(etree.fromstring(content, _FRAGMENT_PARSER))
    elif schema and is_encoded(schema):
        write_encoded(parent, schema, reply.body)
    elif schema:
        write_element(parent, schema, reply.body)


@dataclass(frozen=True, slots=True)
class _Input:
    """What reading a request of one operation needs, found once."""

    declared: list[dict[str, Any]]
    """The declared input header elements."""
    declared_names: frozenset[str]
    schema: dict[str, Any] | None
    """The body element's."""
    encoded: bool
    """An rpc/encoded body."""

    @classmethod
    def of(cls, spec: Mapping[str, Any]) -> _Input:
        declared = spec["binding"].get("input_headers") or []
        schema = _schema(spec.get("input") and spec["input"]["contents"])
        return cls(declared, declared_names(declared), schema, is_encoded(schema))


@dataclass(frozen=True, slots=True)
class _Output:
    """How to answer one output key of one operation, found once."""

    output: dict[str, Any] | None
    """The declared output (None: the key names none, a fault then)."""
    one_way: bool
    fault: bool
    fault_kind: str
    schema: dict[str, Any] | None
    """The body's element, or the fault's detail element."""
    encoded: dict[str, Any] | None
    """The body's schema when it is rpc/encoded."""
    header_specs: list[dict[str, Any]]


class _ClientFault(RuntimeFailure):
    def __init__(
        self,
        version: str,
        reason: str,
        kind: str = CLIENT,
        not_understood: tuple[str, ...] = (),
        operation: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.version = version
        self.reason = reason
        self.kind = kind
        self.operation = operation
        """The operation the request called, when it was found."""
        self.not_understood = not_understood
        """Qualified names of the header blocks not understood (MustUnderstand)."""


class SoapApp:
    def __init__(
        self,
        contract: Mapping[str, Any],
        directory: Path,
        *,
        settings: CoreSettings | None = None,
        options: SoapOptions | None = None,
        hooks: Mapping[str, Hook] | None = None,
    ) -> None:
        settings = settings or CoreSettings()
        self.options = options or SoapOptions()
        api = contract["api"]
        self.title = api.get("title") or api.get("name") or "SOAP service"
        self.specs = {spec["id"]: spec for spec in contract["operations"]}
        self.outputs = SoapOutputs(
            frozenset(
                (spec["id"], output["key"])
                for spec in contract["operations"]
                for output in spec["outputs"]
                if output.get("is_error")
            )
        )
        self.service = MockService(
            directory,
            engine_operations(contract, self.outputs),  # type: ignore[arg-type]
            {},
            encoder=_encode,
            settings=settings,
            protocol=PROTOCOL,
            name=api.get("name") or "api",
            hooks=dict(hooks or {}),
            outputs=self.outputs,
        )
        self.dispatcher = Dispatcher(contract["operations"])
        self._inputs = {spec["id"]: _Input.of(spec) for spec in contract["operations"]}
        self._outputs: dict[tuple[str, str], _Output] = {}
        """What an answer of each (operation, output key) is made of, found once."""
        soap = contract["soap"]
        self.wsdl = WsdlFiles(
            directory,
            soap["wsdl"],
            soap["files"],
            {
                port["address"]: port["wsdl"]
                for spec in contract["operations"]
                for port in spec["binding"]["ports"]
                if port.get("wsdl")
            },
            soap.get("addresses"),
        )
        self.admin = AdminApp(self.service, title=self.title)
        self._journal = EntryBuilder(PROTOCOL, self.service.settings)
        self._health = Health()
        self._seed = settings.seed
        self.schemas: dict[str, WsdlSchemas] = {}
        """The schemas of each operation (by id), when requests are checked."""
        if self.options.validate:
            self.schemas = self._load_schemas(directory, contract)
        self._header_fakes: dict[tuple[str, str], dict[str, Any]] = {}
        self._verdicts: dict[bytes, list[str]] = {}
        """Problems of recent answers, by their bytes."""
        self._envelopes: dict[tuple[str, bytes], bytes] = {}
        """Recent answer envelopes without header blocks, by SOAP version and
        the body element's bytes (answers repeat: mocks and fakes are cached)."""

    def _load_schemas(self, directory: Path, contract: Mapping[str, Any]) -> dict[str, WsdlSchemas]:
        """Each WSDL's schemas (read once), by the ids of its operations."""
        default = contract["soap"]["wsdl"]
        loaded: dict[str, WsdlSchemas | None] = {}
        found: dict[str, WsdlSchemas] = {}
        for spec in contract["operations"]:
            ports = spec["binding"]["ports"]
            wsdl = (ports[0].get("wsdl") if ports else None) or default
            if not wsdl:
                continue
            if wsdl not in loaded:
                try:
                    loaded[wsdl] = load_schemas(directory / wsdl)
                except SchemaLoadError as exc:
                    loaded[wsdl] = None
                    self.service.load_problems.append(
                        MockProblem(wsdl, 0, 0, str(exc), level=WARNING)
                    )
            schemas = loaded[wsdl]
            if schemas is not None:
                found[spec["id"]] = schemas
        return found

    @property
    def operation_count(self) -> int:
        return len(self.specs)

    def close(self) -> None:
        self.service.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            await lifespan(receive, send)
            return
        if kind != "http":
            return
        path: str = scope["path"]
        if path.startswith(ADMIN_PREFIX) or path == METRICS_PATH:
            await self.admin(scope, receive, send)
        elif path == HEALTH_PATH:
            await send_response(
                send, 200, _JSON, self._health.body(), head=scope["method"] == "HEAD"
            )
        elif self.dispatcher.serves(path):
            await self._soap(scope, receive, send, path)
        else:
            await send_response(send, 404, b"text/plain", f"no SOAP port at {path}\n".encode())

    async def _soap(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        method: str = scope["method"]
        query = scope.get("query_string", b"").decode("latin-1")
        headers = request_headers(scope)
        if method in ("GET", "HEAD"):
            wsdl = None
            endpoint = _base_url(scope, headers) + path
            parameters = parse_qs(query, keep_blank_values=True)
            if query.lower() in ("wsdl", "singlewsdl"):
                wsdl = self.wsdl.served(None, endpoint, path)
            elif "xsd" in parameters:
                wsdl = self.wsdl.served(parameters["xsd"][0], endpoint)
            if wsdl is None:
                await send_response(send, 404, b"text/plain", b"GET serves ?wsdl and ?xsd=\n")
            else:
                await send_response(
                    send, 200, b"text/xml; charset=utf-8", wsdl, head=method == "HEAD"
                )
            return
        if method != "POST":
            await send_response(send, 405, b"text/plain", b"use POST\n", [(b"allow", b"GET, POST")])
            return
        started, arrived = time.perf_counter(), time.time()
        content_type = headers.get("content-type", "")
        version = version_of(content_type)
        raw = b""
        request: Request | None = None
        reply: Reply | None = None
        refused, refused_operation = CLIENT, None
        answer_problems: list[str] = []
        try:
            try:
                raw = await read_body(
                    receive, self.options.max_body_bytes, headers.get("content-length")
                )
            except Problem as problem:
                raise _ClientFault(version, problem.detail or "request body too large") from None
            request, entry, fixed = self._request(raw, content_type, headers, path, version)
            try:
                if fixed is not None:
                    reply = self.service.finish(request, fixed)
                else:
                    reply = self.service.handle(request)
            except PreferenceError as error:
                raise _ClientFault(version, str(error), operation=request.operation_id) from None
            status, content, answer_problems = self._answer(entry, request, reply, version)
        except _ClientFault as fault:
            version, refused, refused_operation = fault.version, fault.kind, fault.operation
            status, content = _fault(
                version, fault.kind, fault.reason, None, None, fault.not_understood
            )
        except HeaderError as exc:
            status, content = _fault(version, SERVER, str(exc), None, None)
        except Exception:
            logger.exception("unexpected error on POST %s", path)
            status, content = _fault(
                version, SERVER, "unexpected error; see the server log", None, None
            )
        media_type = _MEDIA_TYPES[version]
        sent_headers = (
            [(ANSWER_PROBLEM_HEADER.encode(), _header_safe(answer_problems))]
            if answer_problems
            else None
        )
        try:
            if reply is not None and reply.delay_ms > 0:
                await delay(reply.delay_ms)
            if reply is not None and reply.fault is not None:
                await send_fault(send, reply.fault, status, media_type, content)
            elif status == 202:
                await send_response(send, 202, None, None)
            else:
                await send_response(send, status, media_type, content, sent_headers)
        finally:
            self.service.record(
                self._journal.entry(
                    time=arrived,
                    duration_ms=(time.perf_counter() - started) * 1000.0,
                    method="POST",
                    target=path,
                    operation=request.operation_id if request is not None else refused_operation,
                    status=str(reply.status) if reply is not None else f"fault:{refused}",
                    source=reply.source if reply is not None else "adapter",
                    matched=matched_of(reply, request),
                    request_headers=headers,  # nothing changes them
                    request_body=raw,
                    response_headers=(
                        {ANSWER_PROBLEM_HEADER: _header_safe(answer_problems).decode("latin-1")}
                        if answer_problems
                        else None
                    ),
                    response_body=content,
                )
            )

    def _request(
        self, raw: bytes, content_type: str, headers: dict[str, str], path: str, version: str
    ) -> tuple[Request, PortEntry, Reply | None]:
        """The request (checked), its port entry and, when every request of its
        operation gets the same reply (:meth:`.Engine.fixed_reply`: no hook, a
        static mock matching all, no reaction), that reply: then the body's and
        header blocks' data, which nothing would read, are not decoded."""
        soap_type = content_type
        utf8 = False  # a multipart body: its envelope part may be in any encoding
        try:
            if is_xop(content_type):
                document, soap_type = read_xop(raw, content_type)
            else:
                document, utf8 = parse_request(raw)
            envelope = read_envelope(document)
        except (UnsafeXml, EnvelopeError) as exc:
            raise _ClientFault(version, str(exc)) from None
        version = envelope.version
        actions = (
            content_type_action(soap_type),
            headers.get("soapaction", "").strip().strip('"'),
            envelope.addressing_action,
        )
        body_name = envelope.body.tag if envelope.body is not None else ""
        entry = self.dispatcher.find(path, version, actions, str(body_name))
        if entry is None:
            raise _ClientFault(
                version, f"no operation at {path} for action {actions} and body element {body_name}"
            )
        plan = self._inputs[entry.operation_id]
        refused = (
            not_understood(envelope.headers, version, plan.declared_names)
            # no block says mustUnderstand when a UTF-8 envelope does not hold the name
            if not utf8 or _MUST_UNDERSTAND in raw
            else None
        )
        if refused:
            names = tuple(str(block.tag) for block in refused)
            raise _ClientFault(
                version,
                "header not understood: " + ", ".join(names),
                MUST_UNDERSTAND,
                names,
            )
        schema, encoded = plan.schema, plan.encoded
        schemas = self.schemas.get(entry.operation_id)
        if schemas is not None:
            declares = schemas.declares_name
            checked = [
                *(
                    _header_content(block, version)
                    for block, tag in zip(envelope.headers, envelope.header_tags, strict=True)
                    if declares(tag)
                ),
                *([envelope.body] if envelope.body is not None and not encoded else []),
            ]
            problems = [problem for element in checked for problem in schemas.problems(element)]
            if problems:
                raise _ClientFault(
                    version,
                    "invalid request: " + "; ".join(problems[:MAX_PROBLEMS]),
                    operation=entry.operation_id,
                )
        prefer = headers.get("prefer")
        fixed = None if prefer else self.service.engine.fixed_reply(entry.operation_id)
        if fixed is not None and fixed.triggers:  # a reaction's mocks may read the request
            fixed = None
        body: dict[str, Any] = {}
        if envelope.body is not None and encoded:  # read even when fixed: reading checks it
            assert schema is not None
            body[local_name(envelope.body.tag)] = self._read_encoded(
                envelope.body, schema, version, entry.operation_id
            )
        elif envelope.body is not None and fixed is None:
            body[local_name(envelope.body.tag)] = read_element(envelope.body, schema)
        request = Request(
            operation_id=entry.operation_id,
            headers=(
                {**headers, **read_headers(envelope.headers, plan.declared)}
                if fixed is None
                else headers
            ),
            body=body,
            raw_body=raw,
            media_type=content_type.split(";")[0].strip() or None,
        )
        if prefer:  # Prefer: code=<fault name>, example=..., dynamic=true
            request.prefer = parse_prefer(prefer)
        return request, entry, fixed

    def _read_encoded(
        self, element: etree._Element, schema: dict[str, Any], version: str, operation_id: str
    ) -> Any:
        """An rpc/encoded body's data; a Client fault when a reference cannot
        be followed or (when requests are checked) a part is missing or not
        of its type."""
        try:
            data, problems = read_encoded(element, schema)
        except EncodingError as exc:
            raise _ClientFault(version, str(exc), operation=operation_id) from None
        if problems and self.options.validate:
            raise _ClientFault(
                version,
                "invalid request: " + "; ".join(problems[:MAX_PROBLEMS]),
                operation=operation_id,
            )
        return data

    def _answer(
        self, entry: PortEntry, request: Request, reply: Reply, version: str
    ) -> tuple[int, bytes, list[str]]:
        """The answer's status and envelope, and what is wrong with its XML."""
        key = str(reply.status)
        plan = self._outputs.get((entry.operation_id, key))
        if plan is None:
            plan = self._output(entry.operation_id, key)
        if plan.one_way:
            return 202, b"", []
        output, schema = plan.output, plan.schema
        if plan.fault:
            reason = _carried_reason(reply) or reason_of(_data(reply), key)
            status, content = _fault(version, plan.fault_kind, reason, schema, reply)
            return status, content, self._answer_problems(entry.operation_id, content)
        assert output is not None
        header_specs = plan.header_specs
        remembered = (version, reply.content) if not header_specs and reply.content else None
        known = self._envelopes.get(remembered) if remembered else None
        if known is not None:
            content = known
        else:
            envelope, body = success_envelope(version)
            if header_specs:
                fakes = self._fake_headers(entry.operation_id, key, header_specs)
                write_headers(add_header(version, envelope), header_specs, reply.headers, fakes)
            _append_answer(body, schema, reply)
            content = serialise(envelope)
            if remembered:
                if len(self._envelopes) >= _VERDICTS_KEPT:
                    self._envelopes.clear()
                self._envelopes[remembered] = content
        return 200, content, self._answer_problems(entry.operation_id, content, plan.encoded)

    def _output(self, operation_id: str, key: str) -> _Output:
        spec = self.specs[operation_id]
        output = next((o for o in spec["outputs"] if o["key"] == key), None)
        one_way = output is None and not spec["outputs"] and key == self.outputs.empty_status
        fault = output is None or self.outputs.is_fault(operation_id, key)
        schema = _schema(output["contents"]) if output is not None else None
        plan = _Output(
            output=output,
            one_way=one_way,
            fault=fault,
            fault_kind=self.outputs.fault_kind(key) if fault else "",
            schema=schema,
            encoded=schema if schema is not None and is_encoded(schema) and not fault else None,
            header_specs=(output.get("soap_headers") or []) if output is not None else [],
        )
        if len(self._outputs) < _VERDICTS_KEPT:  # keys a hook makes up are not all kept
            self._outputs[(operation_id, key)] = plan
        return plan

    def _answer_problems(
        self, operation_id: str, answer: bytes, encoded: dict[str, Any] | None = None
    ) -> list[str]:
        """What the WSDL's schemas find wrong in an answer's header, body or
        fault detail elements (logged; the answer is sent as it is); an
        rpc/encoded body (``encoded``: its schema) is checked by the rules of
        :mod:`.encoding`. Answers repeat (mocks and fakes are cached): the
        verdict of the same bytes is remembered."""
        schemas = self.schemas.get(operation_id)
        if schemas is None:
            return []
        known = self._verdicts.get(answer)
        if known is not None:
            return known
        envelope = etree.fromstring(answer, _FRAGMENT_PARSER)
        problems = [
            problem
            for element in _answer_elements(envelope)
            for problem in _element_problems(element, schemas, encoded)
        ][:MAX_PROBLEMS]
        if len(self._verdicts) >= _VERDICTS_KEPT:
            self._verdicts.clear()
        self._verdicts[answer] = problems
        if problems:
            logger.warning(
                "answer of %s does not match the WSDL's schemas: %s",
                operation_id,
                "; ".join(problems),
            )
        return problems

    def _fake_headers(
        self, operation_id: str, key: str, specs: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Fake values of an output's header elements (made once, by the seed)."""
        found = self._header_fakes.get((operation_id, key))
        if found is None:
            from ..fake import FakeData

            fake = FakeData({}, seed=self._seed)
            found = {
                spec["name"]: fake.generate(
                    spec.get("schema") or {}, key=f"{operation_id}/{key}/header/{spec['name']}"
                )
                for spec in specs
            }
            self._header_fakes[(operation_id, key)] = found
        return found


def _element_problems(
    element: etree._Element, schemas: WsdlSchemas, encoded: dict[str, Any] | None
) -> list[str]:
    """What is wrong with an answer's element: by the schemas, or for a
    SOAP-encoded body element (``encoded``: its schema) by section 5 rules."""
    parent = element.getparent()
    if encoded is None or parent is None or local_name(parent.tag) != "Body":
        return schemas.problems(element)
    try:
        return read_encoded(element, encoded)[1]
    except EncodingError as exc:
        return [str(exc)]


def _header_content(block: etree._Element, version: str) -> etree._Element:
    """A header block without the envelope's attributes (``mustUnderstand``,
    ``actor``/``role``…), which its own schema does not declare."""
    namespace = f"{{{ENVELOPE_NS[version]}}}"
    if not any(str(name).startswith(namespace) for name in block.attrib):
        return block
    copy = deepcopy(block)
    for name in list(copy.attrib):
        if str(name).startswith(namespace):
            del copy.attrib[name]
    return copy


def _answer_elements(envelope: etree._Element) -> list[etree._Element]:
    """The header blocks, the body element and any fault detail elements."""
    found: list[etree._Element] = []
    for part in envelope:
        for child in part:
            if not isinstance(child.tag, str):
                continue
            if etree.QName(child).localname == "Fault":
                for detail in child:
                    if etree.QName(detail).localname in ("detail", "Detail"):
                        found.extend(item for item in detail if isinstance(item.tag, str))
            else:
                found.append(child)
    return found


def _header_safe(problems: list[str]) -> bytes:
    """Problems as one HTTP header value (ASCII, one line)."""
    text = "; ".join(problems)
    return " ".join(text.split()).encode("ascii", "backslashreplace")[:1024]


def _data(reply: Reply) -> Any:
    """The reply's data: its body, or its content when that is JSON."""
    if reply.body is not None or reply.content is None:
        return reply.body
    try:
        return json.loads(reply.content)
    except ValueError:
        return None


def _schema(contents: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not contents:
        return None
    first = next(iter(contents.values()))
    schema = first.get("schema")
    return schema if isinstance(schema, dict) and schema else None


def _fault(
    version: str,
    kind: str,
    reason: str,
    detail: dict[str, Any] | None,
    reply: Reply | None,
    not_understood: tuple[str, ...] = (),
) -> tuple[int, bytes]:
    envelope, fault = fault_envelope(version, kind, reason)
    if detail is not None and fault is not None and reply is not None:
        _append_answer(add_detail(version, fault), detail, reply)
    if not_understood and version == "1.2":  # SOAP 1.2 names them in NotUnderstood blocks
        header = add_header(version, envelope)
        for tag in not_understood:
            qname = etree.QName(tag)
            block = etree.SubElement(
                header, f"{{{ENVELOPE_NS['1.2']}}}NotUnderstood", nsmap={"h": qname.namespace}
            )
            block.set("qname", f"h:{qname.localname}" if qname.namespace else qname.localname)
    return fault_status(version, kind), serialise(envelope)


def _base_url(scope: Scope, headers: Mapping[str, str]) -> str:
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"
