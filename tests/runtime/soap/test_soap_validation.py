"""Requests and answers checked against the WSDL's schemas (libxml2, or
xmlschema where libxml2 cannot compile them): an
invalid request is a Client/Sender fault naming what is wrong, an invalid
answer is sent but reported (header, journal, log); the schemas are read
without DTDs, entities, files outside the WSDL's folder or the network."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zeep
from lxml import etree

from mockc.runtime.soap.validation import (
    LibxmlSchemas,
    SchemaLoadError,
    XmlschemaSchemas,
    load_schemas,
)
from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, generate

BAD_ANSWER = """\
id: bad-answer
operation: CalculatorSoap_Add
priority: 10
match:
  when: request.body.Add.intA == 7
response:
  status: AddResponse
  body: {AddResult: "not a number"}
"""
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = generate(
        CORPUS / "dneonline-calculator" / "calculator.wsdl", tmp_path_factory.mktemp("calc")
    )
    (out / "mocks" / "bad-answer.yaml").write_text(BAD_ANSWER, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[ServerProcess]:
    with ServerProcess([sys.executable, "server.py"], generated) as process:
        yield process


def _add(namespace: str, inner: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{namespace}"><s:Body><Add xmlns="http://tempuri.org/">{inner}'
        "</Add></s:Body></s:Envelope>"
    ).encode()


def _post(server: ServerProcess, body: bytes, version: str = "1.1") -> httpx.Response:
    headers = (
        {"content-type": "text/xml", "soapaction": '"http://tempuri.org/Add"'}
        if version == "1.1"
        else {"content-type": 'application/soap+xml; action="http://tempuri.org/Add"'}
    )
    return httpx.post(server.url + "/calculator.asmx", content=body, headers=headers)


def _last(server: ServerProcess) -> dict[str, object]:
    entry: dict[str, object] = httpx.get(
        server.url + "/__mockc/journal", params={"limit": 1}
    ).json()["entries"][0]
    return entry


def test_an_invalid_request_is_a_client_fault_naming_what_is_wrong(
    server: ServerProcess,
) -> None:
    answer = _post(server, _add(SOAP11, "<intA>x3</intA><intC>1</intC>"))
    assert answer.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in answer.content
    assert (
        b"invalid request: /Add/intA (line 1): 'x3' is not a valid value of the atomic type"
        in answer.content
    )
    assert b"intC" in answer.content
    entry = _last(server)
    assert (entry["status"], entry["operation"], entry["source"]) == (
        "fault:Client",
        "CalculatorSoap_Add",
        "adapter",
    )
    soap12 = _post(server, _add(SOAP12, "<intA>1</intA>"), "1.2")
    assert soap12.status_code == 400
    assert b"env:Sender</env:Value>" in soap12.content
    assert b"intB" in soap12.content  # the missing element is named


def test_valid_requests_answer_and_generated_answers_are_valid(server: ServerProcess) -> None:
    client = zeep.Client(f"{server.url}/calculator.asmx?wsdl")
    assert isinstance(client.service.Add(1, 2), int)
    for name in ("Subtract", "Multiply", "Divide"):
        getattr(client.service, name)(1, 2)
        response = _last(server)["response"]
        assert isinstance(response, dict)
        assert "x-mockc-answer-problem" not in (response.get("headers") or {})


def test_an_answer_that_does_not_match_the_schema_is_sent_and_reported(
    server: ServerProcess,
) -> None:
    answer = _post(server, _add(SOAP11, "<intA>7</intA><intB>1</intB>"))
    assert answer.status_code == 200
    assert b"not a number" in answer.content
    problem = answer.headers["x-mockc-answer-problem"]
    assert "AddResult" in problem and "not a number" in problem
    entry = _last(server)
    assert entry["source"] == "mock:bad-answer"
    assert entry["response"]["headers"]["x-mockc-answer-problem"] == problem  # type: ignore[index]


def test_validation_off_lets_invalid_requests_through(generated: Path) -> None:
    env = {**os.environ, "MOCKC_VALIDATE": "0"}
    with ServerProcess([sys.executable, "server.py"], generated, env=env) as server:
        answer = _post(server, _add(SOAP11, "<intA>1</intA><intC>1</intC>"))
        assert answer.status_code == 200
        assert b"AddResponse" in answer.content


WSDL = """<?xml version="1.0"?>
DOCTYPE
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <types><xsd:schema targetNamespace="urn:t" elementFormDefault="qualified">IMPORT
    <xsd:element name="Ping"><xsd:complexType><xsd:sequence>
      <xsd:element name="n" type="xsd:int"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:schema></types>
</definitions>
"""
OUTSIDE = """<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o">
<xsd:element name="O" type="xsd:int"/></xsd:schema>"""


def _wsdl(tmp_path: Path, doctype: str = "", inner: str = "") -> Path:
    folder = tmp_path / "wsdl"
    folder.mkdir(parents=True)
    path = folder / "s.wsdl"
    path.write_text(WSDL.replace("DOCTYPE", doctype).replace("IMPORT", inner), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("doctype", "inner"),
    [
        (
            '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            "<xsd:annotation><xsd:documentation>&x;</xsd:documentation></xsd:annotation>",
        ),
        (
            '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
            )
            + "]>",
            "<xsd:annotation><xsd:documentation>&j;</xsd:documentation></xsd:annotation>",
        ),
    ],
    ids=["xxe", "billion-laughs"],
)
def test_schemas_with_a_dtd_or_entities_are_refused_quickly(
    tmp_path: Path, doctype: str, inner: str
) -> None:
    XmlschemaSchemas.load(_wsdl(tmp_path / "warm"))  # xmlschema's own schemas are read once
    for loader in (LibxmlSchemas.load, XmlschemaSchemas.load, load_schemas):
        started = time.process_time()  # CPU time: other processes on the machine do not count
        with pytest.raises(SchemaLoadError, match="(?i)entities are forbidden"):
            loader(_wsdl(tmp_path / loader.__qualname__, doctype, inner))
        assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    "location", ["../outside.xsd", "/etc/outside.xsd", "http://127.0.0.1:9/r.xsd"]
)
def test_imports_outside_the_wsdl_folder_or_remote_are_not_read(
    tmp_path: Path, location: str
) -> None:
    (tmp_path / "outside.xsd").write_text(OUTSIDE, encoding="utf-8")
    namespace = "urn:o"
    path = _wsdl(
        tmp_path, inner=f'<xsd:import namespace="{namespace}" schemaLocation="{location}"/>'
    )
    for schemas in (LibxmlSchemas.load(path), XmlschemaSchemas.load(path)):
        assert schemas.declares(etree.fromstring(b'<Ping xmlns="urn:t"><n>1</n></Ping>'))
        assert not schemas.declares(etree.fromstring(b'<O xmlns="urn:o">1</O>'))


def test_an_abstract_element_answers_a_concrete_member_of_its_substitution_group(
    tmp_path: Path,
) -> None:
    """shapes.wsdl (written for this test): GetShapeResponse holds the abstract
    Shape, which Circle substitutes. zeep and suds do not read substitution
    groups, so this is checked with the schemas alone."""
    out = generate(Path(__file__).with_name("shapes.wsdl"), tmp_path / "shapes")
    with ServerProcess([sys.executable, "server.py"], out) as server:
        answer = httpx.post(
            server.url + "/shapes",
            content=b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            b'<GetShape xmlns="urn:shapes"><id>1</id></GetShape></s:Body></s:Envelope>',
            headers={"content-type": "text/xml", "soapaction": '"urn:shapes/GetShape"'},
        )
    assert answer.status_code == 200, answer.text
    assert b"Circle" in answer.content and b"radius" in answer.content
    assert "x-mockc-answer-problem" not in answer.headers


CUSTOMER = (
    '<c:updateCustomer xmlns:c="http://customerservice.example.com/"><customer>{}</customer>'
    "</c:updateCustomer>"
)


@pytest.mark.parametrize(
    ("inner", "named"),
    [
        (
            "<customerId>seven</customerId><revenue>1</revenue>",
            "/updateCustomer/customer/customerId (line 1): 'seven' is not a valid value",
        ),
        (
            "<customerId>7</customerId><revenue>1</revenue><type>OTHER</type>",
            "/updateCustomer/customer/type (line 1): [facet 'enumeration'] The value 'OTHER'",
        ),
        (
            "<customerId>7</customerId>",
            "/updateCustomer/customer (line 1): Missing child element(s). Expected is one of"
            " ( name, address, numOrders, revenue )",
        ),
        (
            "<customerId>7</customerId><revenue>1</revenue><extra/>",
            "/updateCustomer/customer/extra (line 1): This element is not expected",
        ),
    ],
    ids=["bad-int", "bad-enum", "missing", "extra"],
)
def test_libxml2_names_the_failing_element_and_its_line(inner: str, named: str) -> None:
    """cxf-wsdl-first's updateCustomer, where zeep's own parsing accepts all four."""
    schemas = load_schemas(CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl")
    assert isinstance(schemas, LibxmlSchemas)
    problems = schemas.problems(etree.fromstring(CUSTOMER.format(inner)))
    assert len(problems) == 1 and problems[0].startswith(named), problems
    valid = "<customerId>7</customerId><revenue>1.5</revenue><type>PRIVATE</type>"
    assert schemas.problems(etree.fromstring(CUSTOMER.format(valid))) == []


def test_schemas_libxml2_cannot_compile_are_checked_by_xmlschema(tmp_path: Path) -> None:
    """A default value its type refuses: libxml2 will not compile the schema,
    xmlschema (which reads it without checking it) still checks requests."""
    path = _wsdl(tmp_path, inner='<xsd:element name="D" type="xsd:int" default="x"/>')
    with pytest.raises(etree.XMLSchemaParseError):
        LibxmlSchemas.load(path)
    schemas = load_schemas(path)
    assert isinstance(schemas, XmlschemaSchemas)
    assert schemas.problems(etree.fromstring(b'<Ping xmlns="urn:t"><n>x</n></Ping>'))
    assert schemas.problems(etree.fromstring(b'<Ping xmlns="urn:t"><n>1</n></Ping>')) == []
