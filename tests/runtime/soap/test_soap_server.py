"""Generated SOAP servers, started as real processes on real ports, called by
zeep (a real SOAP client) through the WSDL they serve at ``?wsdl``."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zeep
from zeep.exceptions import Fault

from tests.support.servers import ServerProcess

from .soap_kit import (
    CORPUS,
    WORKING,
    binding_operations,
    enumerations,
    generate,
    minimal_arguments,
    operations,
    working_wsdl,
)

ADD_MOCKS = {
    "subtract-literal-xml": """\
id: subtract-literal-xml
operation: CalculatorSoap_Subtract
priority: 10
response:
  status: SubtractResponse
  body: '<SubtractResponse xmlns="http://tempuri.org/"><SubtractResult>-7</SubtractResult></SubtractResponse>'
""",
    "add-two-and-two": """\
id: add-two-and-two
operation: CalculatorSoap_Add
priority: 10
match:
  when: request.body.Add.intA == 2 and request.body.Add.intB == 2
response:
  status: AddResponse
  body: {AddResult: 4}
""",
    "add-bad-input": """\
id: add-bad-input
operation: CalculatorSoap_Add
priority: 10
match:
  when: request.body.Add.intA == 13
response:
  status: Client
  body: {faultstring: "unlucky number"}
""",
}


def _serve(folder: str, tmp_path: Path) -> ServerProcess:
    out = generate(working_wsdl(folder), tmp_path / folder)
    return ServerProcess([sys.executable, "server.py"], out).start()


def _address(server: ServerProcess, folder: str) -> str:
    client = httpx.get(server.url + "/__mockc/journal")  # warm: the server answers
    assert client.status_code == 200
    wsdl = working_wsdl(folder)
    from mockc.compiler.frontends.wsdl import load

    api = load(wsdl)
    return api.operations[0].binding.address  # type: ignore[union-attr]


@pytest.mark.parametrize("folder", sorted(WORKING))
def test_every_operation_answers_zeep_through_the_served_wsdl(folder: str, tmp_path: Path) -> None:
    with _serve(folder, tmp_path) as server:
        address = _address(server, folder)
        client = zeep.Client(f"{server.url}{address}?wsdl")
        choices = enumerations(working_wsdl(folder))
        names: list[str] = []
        twins: dict[str, set[str]] = {}
        for service, port, name in operations(client):
            proxy = client.bind(service, port)
            binding_operation = client.wsdl.services[service].ports[port].binding._operations[name]
            result = getattr(proxy, name)(**minimal_arguments(binding_operation, choices))
            if binding_operation.output is not None and binding_operation.output.body.type:
                assert result is not None or not binding_operation.output.body.type.elements, (
                    service,
                    port,
                    name,
                )
            names.append(name)
            twins[name] = {
                other
                for other, candidate in binding_operations(client, service, port).items()
                if candidate.soapaction == binding_operation.soapaction
                and candidate.input.body.qname == binding_operation.input.body.qname
            }
        assert names
        journal = httpx.get(server.url + "/__mockc/journal", params={"limit": 1000}).json()
        entries = list(reversed(journal["entries"]))
        assert len(entries) == len(names)
        for entry, name in zip(entries, names, strict=True):
            # a WSDL may give two operations one soapAction and one body
            # element (zeep-tests/soap.wsdl): either may answer
            assert entry["operation"].rsplit("_", 1)[-1] in twins[name], (entry, name)
        assert all(entry["protocol"] == "soap" for entry in entries)
        assert all(entry["source"].startswith("mock:") for entry in entries)
        # the generated mocks' answers are valid against the WSDL's schemas
        problems = {
            entry["operation"]: entry["response"]["headers"]["x-mockc-answer-problem"]
            for entry in entries
            if "x-mockc-answer-problem" in (entry["response"].get("headers") or {})
        }
        assert not problems


@pytest.fixture
def calculator(tmp_path: Path) -> Iterator[tuple[ServerProcess, zeep.Client, zeep.Client]]:
    out = generate(CORPUS / "dneonline-calculator" / "calculator.wsdl", tmp_path / "calc")
    for name, text in ADD_MOCKS.items():
        (out / "mocks" / f"{name}.yaml").write_text(text, encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as server:
        wsdl = f"{server.url}/calculator.asmx?wsdl"
        soap11 = zeep.Client(wsdl, service_name="Calculator", port_name="CalculatorSoap")
        soap12 = zeep.Client(wsdl, service_name="Calculator", port_name="CalculatorSoap12")
        yield server, soap11, soap12
        assert server.terminate() == 0  # SIGTERM: a clean exit


def test_a_mock_matching_on_an_element_value_picks_the_answer(
    calculator: tuple[ServerProcess, zeep.Client, zeep.Client],
) -> None:
    server, soap11, soap12 = calculator
    assert soap11.service.Add(2, 2) == 4
    assert soap12.service.Add(2, 2) == 4
    assert soap11.service.Add(5, 6) == 32  # the generated mock's example
    journal = httpx.get(server.url + "/__mockc/journal").json()["entries"]
    sources = [entry["source"] for entry in reversed(journal)]
    assert sources == ["mock:add-two-and-two", "mock:add-two-and-two", "mock:CalculatorSoap_Add"]
    assert soap12.service.Subtract(1, 8) == -7  # a literal XML body, as written
    metrics = httpx.get(server.url + "/metrics").text
    assert (
        'mockc_requests_total{operation="CalculatorSoap_Add",protocol="soap",status="AddResponse"}'
        " 3.0" in metrics
    )


def test_faults_of_both_versions_parse_as_zeep_faults(
    calculator: tuple[ServerProcess, zeep.Client, zeep.Client],
) -> None:
    _, soap11, soap12 = calculator
    with pytest.raises(Fault) as first:
        soap11.service.Add(13, 1)
    assert first.value.message == "unlucky number"
    assert first.value.code == "soap:Client"
    with pytest.raises(Fault) as second:
        soap12.service.Add(13, 1)
    assert second.value.message == "unlucky number"
    assert second.value.code == "env:Sender"


def test_dispatch_by_body_element_when_no_action_is_sent(
    calculator: tuple[ServerProcess, zeep.Client, zeep.Client],
) -> None:
    server, _, _ = calculator
    envelope = (
        b'<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
        b'<s:Body><Subtract xmlns="http://tempuri.org/"><intA>3</intA><intB>1</intB></Subtract>'
        b"</s:Body></s:Envelope>"
    )
    answer = httpx.post(
        server.url + "/calculator.asmx",
        content=envelope,
        headers={"content-type": "text/xml", "soapaction": '""'},
    )
    assert answer.status_code == 200
    assert b"SubtractResponse" in answer.content
    assert b"SubtractResult" in answer.content


HOSTILE = {
    "xxe": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<Add xmlns="http://tempuri.org/"><intA>&x;</intA></Add></s:Body></s:Envelope>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)
    )
    + b']><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&j;'
    b"</s:Body></s:Envelope>",
    "deep": b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    + b"<a>" * 10_000
    + b"</a>" * 10_000
    + b"</s:Body></s:Envelope>",
    "oversized": b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><a>'
    + b"x" * (50 * 1024 * 1024)
    + b"</a></s:Body></s:Envelope>",
}


def test_hostile_xml_is_refused_quickly_with_a_client_fault(
    calculator: tuple[ServerProcess, zeep.Client, zeep.Client],
) -> None:
    server, _, _ = calculator
    for name, body in HOSTILE.items():
        started = time.monotonic()
        answer = httpx.post(
            server.url + "/calculator.asmx",
            content=body,
            headers={"content-type": "text/xml", "soapaction": '"http://tempuri.org/Add"'},
            timeout=10,
        )
        elapsed = time.monotonic() - started
        assert answer.status_code == 500, name
        assert b"<faultcode>soap:Client</faultcode>" in answer.content, name
        assert b"root:" not in answer.content, name
        # a guard against blow-ups (an expanded entity takes minutes), not a speed
        # target: the server shares a busy machine with the other test workers
        assert elapsed < 5.0 + (1.0 if name == "oversized" else 0.0), (name, elapsed)
    assert httpx.get(server.url + "/health").status_code == 200


def test_the_served_wsdl_points_at_this_server(
    calculator: tuple[ServerProcess, zeep.Client, zeep.Client],
) -> None:
    server, soap11, _ = calculator
    wsdl = httpx.get(server.url + "/calculator.asmx?wsdl")
    assert wsdl.status_code == 200
    assert f'location="{server.url}/calculator.asmx"'.encode() in wsdl.content
    assert b"dneonline.com" not in wsdl.content
    assert soap11.service._binding_options["address"] == f"{server.url}/calculator.asmx"
