"""The generated mock of each declared ``wsdl:fault``: written off
(``enabled: false``), and once turned on it answers its operation with the
fault, which zeep raises as ``Fault`` carrying the declared detail element,
valid against the WSDL's schemas; suds raises it as ``WebFault``."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest
import yaml
import zeep
from suds import WebFault
from suds.client import Client as SudsClient
from zeep.exceptions import Fault

from mockc.compiler.frontends.wsdl import load
from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, enumerations, generate, minimal_arguments, operations

WITH_FAULTS = {
    "cxf-soap12": "hello_world_soap12.wsdl",
    "cxf-wsdl-first": "CustomerService.wsdl",
    "onvif": "events.wsdl",
    "zeep-tests": "soap.wsdl",
}
"""Corpus WSDLs that declare faults, whose every operation zeep calls."""


def _declared(wsdl: Path) -> dict[str, dict[str, str]]:
    """Operation id → fault name → the qualified name of its detail element."""
    return {
        operation.id: {
            output.key: output.fault.detail_element
            for output in operation.outputs
            if output.fault is not None
        }
        for operation in load(wsdl).operations
        if any(output.fault is not None for output in operation.outputs)
    }


@pytest.mark.parametrize("folder", sorted(WITH_FAULTS))
def test_each_declared_fault_has_a_mock_that_answers_it_once_turned_on(
    folder: str, tmp_path: Path
) -> None:
    wsdl = CORPUS / folder / WITH_FAULTS[folder]
    declared = _declared(wsdl)
    assert declared
    out = generate(wsdl, tmp_path / "out")
    fault_mocks: dict[str, list[str]] = {}
    for operation, faults in declared.items():
        for fault in faults:
            path = out / "mocks" / f"{operation}.{fault}.yaml"
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert (document["enabled"], document["response"]["status"]) == (False, fault)
            document["enabled"] = True
            path.write_text(yaml.safe_dump(document), encoding="utf-8")
            fault_mocks.setdefault(operation, []).append(document["id"])
    with ServerProcess([sys.executable, "server.py"], out) as server:
        address = load(wsdl).operations[0].binding.address  # type: ignore[union-attr]
        client = zeep.Client(f"{server.url}{address}?wsdl")
        choices = enumerations(wsdl)
        raised = 0
        for service, port, name in operations(client):
            proxy = client.bind(service, port)
            binding = client.wsdl.services[service].ports[port].binding._operations[name]
            try:
                getattr(proxy, name)(**minimal_arguments(binding, choices))
            except Fault as fault:
                entry = httpx.get(server.url + "/__mockc/journal", params={"limit": 1}).json()
                [last] = entry["entries"]
                operation = last["operation"]
                # equal priorities: the first by id answers
                assert last["source"] == f"mock:{min(fault_mocks[operation])}", last
                assert "x-mockc-answer-problem" not in (last["response"].get("headers") or {})
                detail_element = declared[operation][last["status"]]
                assert fault.detail is not None
                assert [child.tag for child in fault.detail] == [detail_element]
                raised += 1
        assert raised >= len(fault_mocks)


def test_fault_mocks_are_off_until_turned_on(tmp_path: Path) -> None:
    out = generate(CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl", tmp_path / "out")
    with ServerProcess([sys.executable, "server.py"], out) as server:
        client = zeep.Client(f"{server.url}/CustomerServicePort?wsdl")
        assert client.service.getCustomersByName(name="a") is not None
        listed = httpx.get(server.url + "/__mockc/mocks").json()
    text = repr(listed)
    assert "CustomerService_getCustomersByName.NoSuchCustomerException" in text


def test_suds_raises_a_turned_on_fault_mock_with_its_detail(tmp_path: Path) -> None:
    out = generate(CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl", tmp_path / "out")
    path = out / "mocks" / "CustomerService_getCustomersByName.NoSuchCustomerException.yaml"
    path.write_text(path.read_text("utf-8").replace("enabled: false", "enabled: true"), "utf-8")
    with ServerProcess([sys.executable, "server.py"], out) as server:
        client = SudsClient(f"{server.url}/CustomerServicePort?wsdl", cache=None)
        with pytest.raises(WebFault) as raised:
            client.service.getCustomersByName(name="a")
    fault = raised.value.fault
    assert fault.faultstring == "NoSuchCustomerException (a mock answer)"
    assert fault.detail.NoSuchCustomer.customerName
