"""A third SOAP client: node-soap (the npm package ``soap``, on a pinned
Node.js 22 installed at test time, see tests/support/npm_tools.py) reads the
served ``?wsdl`` of five corpus WSDLs served by one server and calls every
operation of every port, SOAP 1.1 and 1.2, with minimal valid arguments
(fake data of the input schema, required members only); every answer parses
and passes the server's answer check; a declared fault of each version is
read by node-soap as a SOAP fault."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mockc.runtime.fake import FakeData
from tests.support.npm_tools import Installed, NpmTool, Unavailable, install
from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, MOCKC

SOAP = NpmTool("soap-client", ("soap@1.13.0",))
"""node-soap, pinned."""
SCRIPT = Path(__file__).with_name("soap_node_client.cjs")
WSDLS = (
    CORPUS / "dneonline-calculator" / "calculator.wsdl",
    CORPUS / "oorsprong-countryinfo" / "CountryInfoService.wsdl",
    CORPUS / "cxf-soap12" / "hello_world_soap12.wsdl",
    CORPUS / "cxf-rpclit" / "hello_world_RPCLit.wsdl",
    CORPUS / "cxf-wsdl-first" / "CustomerService.wsdl",
)
"""Document/literal (calculator and countryinfo with SOAP 1.1 and 1.2 ports),
SOAP 1.2 only (cxf-soap12), rpc/literal (cxf-rpclit), declared faults
(cxf-wsdl-first, cxf-soap12)."""


@pytest.fixture(scope="module")
def node_soap() -> Installed:
    try:
        return install(SOAP)
    except Unavailable as why:
        pytest.skip(f"node-soap is not available: {why}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Any]]:
    out = tmp_path_factory.mktemp("node-soap")
    done = subprocess.run(
        [str(MOCKC), "generate", *map(str, WSDLS), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    contract = json.loads((out / "contract.json").read_text("utf-8"))
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process, contract


def _node_arguments(schema: dict[str, Any], value: Any) -> Any:
    """``value`` as node-soap takes it: attributes under ``attributes``,
    simple content as ``$value``, required members only."""
    if isinstance(value, list):
        return [_node_arguments(schema.get("items") or {}, item) for item in value]
    if not isinstance(value, dict):
        return value
    properties = dict(schema.get("properties") or {})
    required = list(schema.get("required") or [])
    for branch in schema.get("anyOf") or ():  # an XSD choice: the option the value holds
        if set(branch.get("required") or ()) <= value.keys():
            properties.update(branch.get("properties") or {})
            required.extend(branch.get("required") or ())
            break
    out: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, member in value.items():
        if name not in required:
            continue
        member_schema = properties.get(name) or {}
        xml = member_schema.get("xml") or {}
        if xml.get("attribute"):
            attributes[name] = member
        elif xml.get("text"):
            out["$value"] = member
        else:
            out[name] = _node_arguments(member_schema, member)
    if attributes:
        out["attributes"] = attributes
    return out


def _calls(server: ServerProcess, contract: Any) -> list[dict[str, Any]]:
    fake = FakeData({}, seed=0)
    calls = []
    for operation in contract["operations"]:
        contents = (operation.get("input") or {}).get("contents") or {}
        schema = next(iter(contents.values()))["schema"] if contents else {}
        value = fake.generate(schema, key=operation["id"]) if schema else {}
        for port in operation["binding"]["ports"]:
            arguments = _node_arguments(schema, value)
            if port["style"] == "rpc" and not schema.get("properties"):
                arguments = None  # node-soap's way to send an rpc call without parts
            calls.append(
                {
                    "wsdl": f"{server.url}{port['address']}?wsdl",
                    "soap12": port["soap_version"] == "1.2",
                    "service": port["service"],
                    "port": port["port"],
                    "operation": operation["binding"]["operation"],
                    "args": arguments,
                    "id": operation["id"],
                    "one_way": not any(not o["is_error"] for o in operation["outputs"]),
                    "answer": _answer_names(operation),
                }
            )
    return calls


def _answer_names(operation: dict[str, Any]) -> list[str]:
    """The required child elements of the operation's answer."""
    for output in operation["outputs"]:
        if not output["is_error"]:
            schema = next(iter(output["contents"].values()))["schema"]
            properties = schema.get("properties") or {}
            return [
                name
                for name in schema.get("required") or ()
                if not (properties.get(name, {}).get("xml") or {}).get("attribute")
            ]
    return []


def _run(node_soap: Installed, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [str(node_soap.node), str(node_soap.script(SCRIPT))],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=node_soap.folder,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    assert len(results) == len(calls)
    return results


def _journal(server: ServerProcess, limit: int) -> list[dict[str, Any]]:
    """The last ``limit`` calls of operations the server journaled, newest first."""
    entries: list[dict[str, Any]] = httpx.get(
        server.url + "/__mockc/journal", params={"limit": limit}
    ).json()["entries"]
    return entries


def test_node_soap_calls_every_operation_of_every_port(
    node_soap: Installed, served: tuple[ServerProcess, Any]
) -> None:
    server, contract = served
    calls = _calls(server, contract)
    assert {call["soap12"] for call in calls} == {False, True}
    assert len(calls) == 38  # 34 operations, the calculator's on two ports
    results = _run(node_soap, calls)
    for call, result in zip(calls, results, strict=True):
        assert "result" in result, (call, result)
        answer = result["result"]
        if call["one_way"]:
            assert answer is None, (call, result)
        elif call["answer"]:
            assert isinstance(answer, dict) and set(call["answer"]) <= answer.keys(), (call, result)
    entries = _journal(server, len(calls))
    assert [entry["operation"] for entry in reversed(entries)] == [call["id"] for call in calls]
    for call, entry in zip(calls, reversed(entries), strict=True):
        assert entry["protocol"] == "soap" and str(entry["source"]).startswith("mock:"), entry
        sent = (entry["request"].get("headers") or {}).get("content-type", "")
        assert sent.startswith("application/soap+xml" if call["soap12"] else "text/xml"), entry
        headers = entry["response"].get("headers") or {}
        assert "x-mockc-answer-problem" not in headers, entry


def test_node_soap_reads_declared_faults_of_both_versions(
    node_soap: Installed, served: tuple[ServerProcess, Any]
) -> None:
    server, _contract = served
    faults = [
        {
            "wsdl": f"{server.url}/CustomerServicePort?wsdl",
            "soap12": False,
            "service": "CustomerServiceService",
            "port": "CustomerServicePort",
            "operation": "getCustomersByName",
            "args": {"name": "x"},
            "headers": {"Prefer": "code=NoSuchCustomerException"},
        },
        {
            "wsdl": f"{server.url}/SoapContext/SoapPort?wsdl",
            "soap12": True,
            "service": "SOAPService",
            "port": "SoapPort",
            "operation": "pingMe",
            "args": {},
            "headers": {"Prefer": "code=pingMeFault"},
        },
    ]
    soap11, soap12 = (result["fault"] for result in _run(node_soap, faults))
    assert (soap11["code"], soap11["status"]) == ("soap:Server", 500)
    assert soap11["string"] == "NoSuchCustomerException"
    assert set(soap11["detail"]["NoSuchCustomer"]) == {"customerName"}
    assert (soap12["code"], soap12["status"]) == ("env:Receiver", 500)
    assert soap12["string"] == "pingMeFault"
    assert set(soap12["detail"]["faultDetail"]) == {"minor", "major"}
