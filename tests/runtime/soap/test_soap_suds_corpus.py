"""suds (suds-community), the second SOAP client beside zeep, against the
server generated from every working corpus WSDL: it reads the served
``?wsdl`` over HTTP, sees the ports and operations zeep sees, calls every
operation with minimal valid arguments built from its own view of the types
and parses each answer (valid against the WSDL's schemas, as the server
checks), and parses a refused request's fault as ``WebFault``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import zeep
from suds import WebFault
from suds.client import Client as SudsClient

from mockc.compiler.frontends.wsdl import load
from tests.support.servers import ServerProcess

from .soap_kit import WORKING, generate, operations, working_wsdl
from .suds_kit import minimal_suds_arguments

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
REFUSED_NAME = "mockc-no-such-output"
REFUSED = f"code={REFUSED_NAME}"
"""``Prefer`` naming an output no operation has: a Client/Sender fault."""
SOAP12_FAULTS = (
    "suds-community 1.2 reads only SOAP 1.1 faults (soap:Fault in the 1.1 envelope): "
    "a SOAP 1.2 env:Fault answered with HTTP 400 raises a plain Exception((400, ...)), "
    "not WebFault (and suds writes SOAP 1.1 envelopes on SOAP 1.2 bindings too)"
)
CANNOT_PARSE: dict[tuple[str, str], str] = {
    ("cxf-soap12", "SoapPort"): SOAP12_FAULTS,
    ("dataaccess-numberconversion", "NumberConversionSoap12"): SOAP12_FAULTS,
    ("dneonline-calculator", "CalculatorSoap12"): SOAP12_FAULTS,
    ("onvif", "PTZPort"): SOAP12_FAULTS,
    ("onvif/devicemgmt.wsdl", "DevicePort"): SOAP12_FAULTS,
    ("onvif/events.wsdl", "EventPortType"): SOAP12_FAULTS,
    ("onvif/events.wsdl", "PullPointSubscription"): SOAP12_FAULTS,
}
"""(corpus WSDL, port) whose SOAP 1.2 fault suds cannot parse, and why; the
test fails once suds parses one of them."""


@dataclass(frozen=True)
class Served:
    key: str
    server: ServerProcess
    wsdl_url: str


@pytest.fixture(scope="module", params=sorted(WORKING))
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    key: str = request.param
    wsdl = working_wsdl(key)
    out = generate(wsdl, tmp_path_factory.mktemp("suds") / "out")
    address = load(wsdl).operations[0].binding.address  # type: ignore[union-attr]
    with ServerProcess([sys.executable, "server.py"], out) as server:
        yield Served(key, server, f"{server.url}{address}?wsdl")


def _suds(served: Served) -> SudsClient:
    return SudsClient(served.wsdl_url, cache=None)


def _ports(client: SudsClient) -> list[tuple[str, str, list[str]]]:
    """(service, port, operations) of every port suds reads."""
    return [
        (service.name, port.name, list(port.methods))
        for service in client.wsdl.services
        for port in service.ports
    ]


def _last_entry(server: ServerProcess) -> dict[str, object]:
    journal = httpx.get(server.url + "/__mockc/journal", params={"limit": 1}).json()
    [entry] = journal["entries"]
    return entry  # type: ignore[no-any-return]


def test_suds_reads_the_served_wsdl_with_the_ports_zeep_reads(served: Served) -> None:
    seen_by_suds = {
        (service, port, name) for service, port, names in _ports(_suds(served)) for name in names
    }
    assert seen_by_suds == set(operations(zeep.Client(served.wsdl_url)))


def test_every_operation_answers_suds_with_minimal_arguments(served: Served) -> None:
    client = _suds(served)
    called = 0
    for service, port, names in _ports(client):
        client.set_options(service=service, port=port)
        for name in names:
            arguments = minimal_suds_arguments(_method(client, service, port, name))
            getattr(client.service, name)(**arguments)
            entry = _last_entry(served.server)
            assert entry["protocol"] == "soap", (port, name)
            assert str(entry["source"]).startswith("mock:"), (port, name, entry)
            headers = entry["response"].get("headers") or {}  # type: ignore[attr-defined]
            assert "x-mockc-answer-problem" not in headers, (port, name, headers)
            called += 1
    assert called


def _method(client: SudsClient, service: str, port: str, name: str) -> Any:
    [found] = [each.ports for each in client.wsdl.services if each.name == service]
    [chosen] = [each for each in found if each.name == port]
    return chosen.methods[name]


def _soap_versions(served: Served) -> dict[tuple[str, str], str]:
    """(service, port) → the SOAP version of its binding, as zeep reads it."""
    wsdl = zeep.Client(served.wsdl_url).wsdl
    return {
        (service.name, port.name): "1.2"
        if type(port.binding).__name__ == "Soap12Binding"
        else "1.1"
        for service in wsdl.services.values()
        for port in service.ports.values()
    }


def _soap12_reply(
    client: SudsClient, served: Served, method: Any, arguments: dict[str, Any]
) -> httpx.Response:
    """The server's answer to suds' request for ``method`` sent as SOAP 1.2
    (suds writes SOAP 1.1 envelopes only)."""
    client.set_options(nosend=True)
    try:
        context = getattr(client.service, method.name)(**arguments)
    finally:
        client.set_options(nosend=False)
    envelope = context.envelope.replace(SOAP11.encode(), SOAP12.encode())
    action = method.soap.action or '""'
    return httpx.post(
        served.wsdl_url.removesuffix("?wsdl"),
        content=envelope,
        headers={
            "content-type": f"application/soap+xml; charset=utf-8; action={action}",
            "prefer": REFUSED,
        },
    )


def test_a_refused_request_parses_as_a_fault_of_its_soap_version(served: Served) -> None:
    client = _suds(served)
    versions = _soap_versions(served)
    for service, port, names in _ports(client):
        name = names[0]
        client.set_options(service=service, port=port, headers={"Prefer": REFUSED})
        method = _method(client, service, port, name)
        arguments = minimal_suds_arguments(method)
        if versions[(service, port)] == "1.1":
            with pytest.raises(WebFault) as raised:
                getattr(client.service, name)(**arguments)
            fault = raised.value.fault
            assert (fault.faultcode, REFUSED_NAME in fault.faultstring) == ("soap:Client", True)
            continue
        reply = _soap12_reply(client, served, method, arguments)
        assert reply.status_code == 400, reply.text
        assert SOAP12 in reply.text and "<env:Value>env:Sender</env:Value>" in reply.text
        injected = {"__inject": {"reply": reply.content, "status": reply.status_code}}
        if (served.key, port) in CANNOT_PARSE:
            with pytest.raises(Exception) as refused:  # noqa: PT011
                getattr(client.service, name)(**arguments, **injected)
            assert not isinstance(refused.value, WebFault), (
                f"suds parses {served.key} {port}'s SOAP 1.2 fault now: drop it from CANNOT_PARSE"
            )
        else:
            with pytest.raises(WebFault):
                getattr(client.service, name)(**arguments, **injected)


def test_the_soap12_ports_are_the_excluded_ones(served: Served) -> None:
    soap12 = {port for (_, port), version in _soap_versions(served).items() if version == "1.2"}
    assert soap12 == {port for key, port in CANNOT_PARSE if key == served.key}
