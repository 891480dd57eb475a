"""Declared faults (cxf-wsdl-first's NoSuchCustomerException) answered by a
mock, chosen with ``Prefer: code=<fault>`` or by a scenario; zeep raises
them as ``Fault`` with the detail element."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest
import zeep
from lxml import etree
from zeep.exceptions import Fault

from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, generate

NAMESPACE = "http://customerservice.example.com/"
FAULT_MOCK = """\
id: no-such-customer
operation: CustomerService_getCustomersByName
priority: 10
match:
  when: request.body.getCustomersByName.name == "nobody"
response:
  status: NoSuchCustomerException
  body: {faultstring: "no customer named {{ request.body.getCustomersByName.name }}",
         customerName: "{{ request.body.getCustomersByName.name }}"}
"""
OUTAGE = """\
id: outage
operation: CustomerService_getCustomersByName
response:
  status: Server
  body: {faultstring: "down for maintenance"}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = generate(
        CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl", tmp_path_factory.mktemp("customers")
    )
    (out / "mocks" / "no-such-customer.yaml").write_text(FAULT_MOCK, encoding="utf-8")
    (out / "scenarios" / "outage").mkdir(parents=True)
    (out / "scenarios" / "outage" / "outage.yaml").write_text(OUTAGE, encoding="utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def _client(server: ServerProcess, prefer: str | None = None) -> zeep.Client:
    client = zeep.Client(f"{server.url}/CustomerServicePort?wsdl")
    if prefer is not None:
        client.transport.session.headers["Prefer"] = prefer
    return client


def _detail(fault: Fault) -> etree._Element:
    assert fault.detail is not None
    [element] = list(fault.detail)
    assert element.tag == f"{{{NAMESPACE}}}NoSuchCustomer"
    return element


def test_a_mock_answers_a_declared_fault_with_its_detail(server: ServerProcess) -> None:
    with pytest.raises(Fault) as raised:
        _client(server).service.getCustomersByName(name="nobody")
    assert raised.value.code == "soap:Server"
    assert raised.value.message == "no customer named nobody"
    assert _detail(raised.value).findtext("customerName") == "nobody"
    entry = httpx.get(server.url + "/__mockc/journal", params={"limit": 1}).json()["entries"][0]
    assert (entry["status"], entry["source"]) == (
        "NoSuchCustomerException",
        "mock:no-such-customer",
    )
    assert "x-mockc-answer-problem" not in (entry["response"].get("headers") or {})
    assert _client(server).service.getCustomersByName(name="somebody") is not None


def test_prefer_chooses_a_declared_fault_with_a_generated_detail(server: ServerProcess) -> None:
    with pytest.raises(Fault) as raised:
        _client(server, "code=NoSuchCustomerException").service.getCustomersByName(name="a")
    assert raised.value.message == "NoSuchCustomerException"
    assert _detail(raised.value).find("customerName") is not None
    with pytest.raises(Fault) as unknown:
        _client(server, "code=NoSuchThing").service.getCustomersByName(name="a")
    assert unknown.value.code == "soap:Client"
    assert "NoSuchThing" in unknown.value.message


def test_a_scenario_switches_the_answers_to_faults(server: ServerProcess) -> None:
    switch = httpx.put(server.url + "/__mockc/scenarios/active", json={"name": "outage"})
    assert switch.status_code == 200, switch.text
    try:
        with pytest.raises(Fault) as raised:
            _client(server).service.getCustomersByName(name="somebody")
        assert (raised.value.code, raised.value.message) == ("soap:Server", "down for maintenance")
    finally:
        httpx.put(server.url + "/__mockc/scenarios/active", json={"name": None})
    assert _client(server).service.getCustomersByName(name="somebody") is not None
