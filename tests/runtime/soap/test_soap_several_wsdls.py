"""Several WSDLs served by one server (``mockc generate a.wsdl b.wsdl c.wsdl``):
cxf-soap12 and cxf-rpclit both declare sayHi and greetMe (in other namespaces)
at the same address; the second moves under /<its stem>, each address serves
its own WSDL, and zeep calls every operation of each."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zeep

from tests.support.servers import ServerProcess

from .soap_kit import CORPUS, MOCKC, minimal_arguments, operations

WSDLS = (
    CORPUS / "cxf-soap12" / "hello_world_soap12.wsdl",
    CORPUS / "cxf-rpclit" / "hello_world_RPCLit.wsdl",
    CORPUS / "dneonline-calculator" / "calculator.wsdl",
)
ADDRESSES = {
    "/SoapContext/SoapPort": "Greeter",
    "/hello_world_RPCLit/SoapContext/SoapPort": "GreeterRPCLit",
    "/calculator.asmx": "CalculatorSoap",
}


def _generate(out: Path) -> Path:
    done = subprocess.run(
        [str(MOCKC), "generate", *map(str, WSDLS), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = _generate(tmp_path_factory.mktemp("several") / "out")
    with ServerProcess([sys.executable, "server.py"], out) as process:
        yield process


def test_each_address_serves_its_own_wsdl_and_answers_its_operations(
    server: ServerProcess,
) -> None:
    for address, port_type in ADDRESSES.items():
        client = zeep.Client(f"{server.url}{address}?wsdl")
        for service, port, name in operations(client):
            proxy = client.bind(service, port)
            assert proxy._binding_options["address"] == f"{server.url}{address}"
            binding = client.wsdl.services[service].ports[port].binding._operations[name]
            getattr(proxy, name)(**minimal_arguments(binding))
            entry = httpx.get(server.url + "/__mockc/journal", params={"limit": 1}).json()[
                "entries"
            ][0]
            assert entry["operation"] == f"{port_type}_{name}", (address, name)
            assert entry["target"] == address


def test_the_second_wsdl_with_a_taken_address_moves_under_its_stem(tmp_path: Path) -> None:
    out = _generate(tmp_path / "out")
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "`/hello_world_RPCLit/SoapContext/SoapPort` (SOAP 1.1)" in readme
    assert sorted(p.relative_to(out).as_posix() for p in (out / "wsdl").rglob("*.wsdl")) == [
        "wsdl/calculator/calculator.wsdl",
        "wsdl/hello_world_RPCLit/hello_world_RPCLit.wsdl",
        "wsdl/hello_world_soap12/hello_world_soap12.wsdl",
    ]
