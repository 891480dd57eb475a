"""SOAP header blocks (cxf-soap-header): zeep sends declared headers, mocks
match and template on them, answers carry the output's declared headers, and
an undeclared ``mustUnderstand`` block is a MustUnderstand fault."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest
import zeep
from zeep.exceptions import Fault

from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, generate

ECHO_MOCK = """\
id: echo-header
operation: headerTester_inoutHeader
priority: 10
match:
  when: request.headers.soapheaderinfo.originator == "alice"
response:
  status: inoutHeaderResponse
  headers:
    SOAPHeaderInfo: '{"originator":"server",
      "message":"hello {{ request.headers.soapheaderinfo.originator }}"}'
  body:
    responseType: "seen {{ request.headers.soapheaderinfo.message }}"
"""
LITERAL_MOCK = """\
id: literal-header
operation: headerTester_outHeader
priority: 10
match:
  when: request.body.outHeader.requestType == "literal"
response:
  status: outHeaderResponse
  headers:
    SOAPHeaderInfo: '<h:SOAPHeaderInfo xmlns:h="http://apache.org/headers">
      <originator>as written</originator><message>m</message></h:SOAPHeaderInfo>'
  body:
    responseType: ok
"""
BROKEN_MOCK = """\
id: broken-header
operation: headerTester_outHeader
priority: 10
match:
  when: request.body.outHeader.requestType == "broken"
response:
  status: outHeaderResponse
  headers:
    SOAPHeaderInfo: '<h:SOAPHeaderInfo'
  body:
    responseType: ok
"""
HOSTILE_MOCK = """\
id: hostile-header
operation: headerTester_outHeader
priority: 10
match:
  when: request.body.outHeader.requestType == "xxe"
response:
  status: outHeaderResponse
  headers:
    SOAPHeaderInfo: '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <h:SOAPHeaderInfo xmlns:h="http://apache.org/headers"><originator>&x;</originator>
      <message>m</message></h:SOAPHeaderInfo>'
  body:
    responseType: ok
"""
NAMESPACE = "http://apache.org/headers"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(
        CORPUS / "cxf-soap-header" / "soap_header.wsdl", tmp_path_factory.mktemp("headers")
    )
    for name, text in (
        ("echo", ECHO_MOCK),
        ("literal", LITERAL_MOCK),
        ("broken", BROKEN_MOCK),
        ("hostile", HOSTILE_MOCK),
    ):
        (out / "mocks" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


@pytest.fixture(scope="module")
def client(server: ServerProcess) -> zeep.Client:
    return zeep.Client(f"{server.url}/headers?wsdl")


def _last(server: ServerProcess) -> dict[str, object]:
    entry: dict[str, object] = httpx.get(
        server.url + "/__mockc/journal", params={"limit": 1}
    ).json()["entries"][0]
    return entry


def test_a_mock_matches_and_templates_on_input_headers_and_answers_headers(
    server: ServerProcess, client: zeep.Client
) -> None:
    info = client.get_element(f"{{{NAMESPACE}}}SOAPHeaderInfo")
    result = client.service.inoutHeader(
        requestType="x", _soapheaders=[info(originator="alice", message="hi")]
    )
    assert result.body.responseType == "seen hi"
    assert result.header.header_info.originator == "server"
    assert result.header.header_info.message == "hello alice"
    assert _last(server)["source"] == "mock:echo-header"
    other = client.service.inoutHeader(
        requestType="x", _soapheaders=[info(originator="bob", message="hi")]
    )
    assert other.header.header_info.originator  # the generated mock's header
    assert _last(server)["source"] == "mock:headerTester_inoutHeader"


def test_an_output_header_is_answered_from_json_or_literal_xml(
    server: ServerProcess, client: zeep.Client
) -> None:
    generated = client.service.outHeader(requestType="x")
    assert generated.header.header_info.message
    literal = client.service.outHeader(requestType="literal")
    assert literal.header.header_info.originator == "as written"
    with pytest.raises(Fault) as broken:
        client.service.outHeader(requestType="broken")
    assert broken.value.code == "soap:Server"
    assert "SOAPHeaderInfo" in broken.value.message
    with pytest.raises(Fault) as hostile:  # a DTD in a mock's header is not read
        client.service.outHeader(requestType="xxe")
    assert hostile.value.code == "soap:Server"
    assert "document type declarations" in hostile.value.message
    assert "root:" not in hostile.value.message


def _envelope(version: str, header: str) -> bytes:
    namespace = {
        "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
        "1.2": "http://www.w3.org/2003/05/soap-envelope",
    }[version]
    return (
        f'<s:Envelope xmlns:s="{namespace}"><s:Header>{header}</s:Header><s:Body>'
        f'<h:inHeader xmlns:h="{NAMESPACE}"><requestType>r</requestType></h:inHeader>'
        "</s:Body></s:Envelope>"
    ).encode()


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_an_undeclared_must_understand_header_is_a_must_understand_fault(
    server: ServerProcess, version: str
) -> None:
    content_type = "text/xml" if version == "1.1" else "application/soap+xml"
    answer = httpx.post(
        server.url + "/headers",
        content=_envelope(version, '<x:Foo xmlns:x="urn:x" s:mustUnderstand="1">a</x:Foo>'),
        headers={"content-type": content_type},
    )
    assert answer.status_code == 500
    if version == "1.1":
        assert b"<faultcode>soap:MustUnderstand</faultcode>" in answer.content
    else:
        assert b"env:MustUnderstand</env:Value>" in answer.content
        assert b"NotUnderstood" in answer.content and b':Foo"' in answer.content
    assert b"{urn:x}Foo" in answer.content
    assert _last(server)["status"] == "fault:MustUnderstand"


@pytest.mark.parametrize(
    "header",
    [
        # declared by the operation: understood
        f'<h:SOAPHeaderInfo xmlns:h="{NAMESPACE}" s:mustUnderstand="1">'
        "<originator>o</originator><message>m</message></h:SOAPHeaderInfo>",
        # not must-understand
        '<x:Foo xmlns:x="urn:x" s:mustUnderstand="0">a</x:Foo>',
        # addressed to another node
        '<x:Foo xmlns:x="urn:x" s:mustUnderstand="1" s:actor="urn:elsewhere">a</x:Foo>',
        # WS-Addressing is understood
        '<a:To xmlns:a="http://www.w3.org/2005/08/addressing" s:mustUnderstand="1">u</a:To>',
    ],
)
def test_understood_or_foreign_headers_are_accepted(server: ServerProcess, header: str) -> None:
    answer = httpx.post(
        server.url + "/headers",
        content=_envelope("1.1", header),
        headers={"content-type": "text/xml"},
    )
    assert answer.status_code == 200, answer.text
    assert b"inHeaderResponse" in answer.content


def test_a_declared_header_block_is_checked_against_its_schema(server: ServerProcess) -> None:
    answer = httpx.post(
        server.url + "/headers",
        content=_envelope(
            "1.1",
            f'<h:SOAPHeaderInfo xmlns:h="{NAMESPACE}" s:mustUnderstand="1">'
            "<originator>o</originator></h:SOAPHeaderInfo>",
        ),
        headers={"content-type": "text/xml"},
    )
    assert answer.status_code == 500
    assert b"<faultcode>soap:Client</faultcode>" in answer.content
    assert b"invalid request: /SOAPHeaderInfo (line 1): Missing child" in answer.content
    assert b"message" in answer.content
