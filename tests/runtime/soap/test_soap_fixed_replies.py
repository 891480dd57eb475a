"""Operations whose generated mock answers every request alike: requests are
still checked (schemas, mustUnderstand) and journaled in full, and a mock
added later that reads header blocks or the body sees them."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, generate

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
WSA = "http://www.w3.org/2005/08/addressing"
READS_REQUEST = {
    "id": "reads-request",
    "operation": "CalculatorSoap_Add",
    "priority": 10,
    "match": {"when": 'request.headers.messageid == "urn:uuid:reader"'},
    "response": {
        "status": "AddResponse",
        "body": {"AddResult": "{{ request.body.Add.intA }}{{ request.body.Add.intB }}"},
    },
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(
        CORPUS / "dneonline-calculator" / "calculator.wsdl", tmp_path_factory.mktemp("fixed")
    )
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def _add(inner: str, header: str = "") -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:wsa="{WSA}"><s:Header>{header}</s:Header>'
        f'<s:Body><Add xmlns="http://tempuri.org/">{inner}</Add></s:Body></s:Envelope>'
    ).encode()


def _post(server: ServerProcess, body: bytes) -> httpx.Response:
    headers = {"content-type": "text/xml", "soapaction": '"http://tempuri.org/Add"'}
    return httpx.post(server.url + "/calculator.asmx", content=body, headers=headers)


def _last(server: ServerProcess) -> dict[str, object]:
    entry: dict[str, object] = httpx.get(
        server.url + "/__mockc/journal", params={"limit": 1}
    ).json()["entries"][0]
    return entry


def test_requests_to_a_static_mock_are_checked_and_journaled(server: ServerProcess) -> None:
    valid = _add("<intA>2</intA><intB>3</intB>")
    answer = _post(server, valid)
    assert answer.status_code == 200
    assert b"AddResult>32</" in answer.content
    entry = _last(server)
    assert (entry["source"], entry["matched"], entry["status"]) == (
        "mock:CalculatorSoap_Add",
        True,
        "AddResponse",
    )
    request = entry["request"]
    assert isinstance(request, dict)
    assert request["body"]["data"] == valid.decode()
    assert request["headers"]["soapaction"] == '"http://tempuri.org/Add"'
    invalid = _post(server, _add("<intA>x</intA><intB>3</intB>"))
    assert invalid.status_code == 500
    assert b"soap:Client" in invalid.content and b"/Add/intA" in invalid.content
    unknown = '<x:Secret xmlns:x="urn:x" s:mustUnderstand="1">s</x:Secret>'
    refused = _post(server, _add("<intA>2</intA><intB>3</intB>", unknown))
    assert refused.status_code == 500
    assert b"soap:MustUnderstand" in refused.content
    utf16 = _add("<intA>2</intA><intB>3</intB>", unknown).decode().encode("utf-16")
    assert b"mustUnderstand" not in utf16  # checked all the same
    refused = _post(server, utf16)
    assert refused.status_code == 500
    assert b"soap:MustUnderstand" in refused.content


def test_a_mock_added_later_sees_the_header_blocks_and_the_body(server: ServerProcess) -> None:
    created = httpx.post(f"{server.url}/__mockc/mocks", json=READS_REQUEST)
    assert created.status_code in (200, 201), created.text
    try:
        reader = "<wsa:MessageID>urn:uuid:reader</wsa:MessageID>"
        answer = _post(server, _add("<intA>4</intA><intB>5</intB>", reader))
        assert b"AddResult>45</" in answer.content
        assert _last(server)["source"] == "mock:reads-request"
        other = "<wsa:MessageID>urn:uuid:other</wsa:MessageID>"
        _post(server, _add("<intA>4</intA><intB>5</intB>", other))
        assert _last(server)["source"] == "mock:CalculatorSoap_Add"
    finally:
        httpx.delete(f"{server.url}/__mockc/mocks/reads-request")
    _post(server, _add("<intA>4</intA><intB>5</intB>", reader))
    assert _last(server)["source"] == "mock:CalculatorSoap_Add"
