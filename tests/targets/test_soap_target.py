"""The SOAP target: the files of a generated server, from the IR alone."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.soap.generator import SoapServer
from tests.support.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
CALCULATOR = CORPUS / "wsdl" / "dneonline-calculator" / "calculator.wsdl"
PTZ = CORPUS / "wsdl" / "onvif" / "ptz.wsdl"


def _files(path: Path) -> dict[str, bytes]:
    planned = plan_files(compile_specs([path]), GenerateOptions())
    return {file.path: file.content for file in planned}


def test_the_server_files_and_the_wsdl_copied_beside_them() -> None:
    files = _files(CALCULATOR)
    generated = sorted(name for name in files if not name.startswith(("_vendor/", "mocks/")))
    assert "wsdl/calculator.wsdl" in generated
    assert {"contract.json", "server.py", "handlers.py", "README.md", "requirements.txt"} <= set(
        generated
    )
    assert files["wsdl/calculator.wsdl"] == CALCULATOR.read_bytes()
    assert "_vendor/mockc_runtime/soap/server.py" in files
    assert sorted(name for name in files if name.startswith("mocks/")) == [
        "mocks/CalculatorSoap_Add.yaml",
        "mocks/CalculatorSoap_Divide.yaml",
        "mocks/CalculatorSoap_Multiply.yaml",
        "mocks/CalculatorSoap_Subtract.yaml",
    ]


def test_the_contract_lists_every_port_of_an_operation() -> None:
    contract = json.loads(_files(CALCULATOR)["contract.json"])
    assert contract["format"] == CONTRACT_FORMAT
    assert contract["protocol"] == "soap"
    assert contract["soap"] == {
        "wsdl": "wsdl/calculator.wsdl",
        "files": ["wsdl/calculator.wsdl"],
        "addresses": {
            "wsdl/calculator.wsdl": [
                ["Calculator", "CalculatorSoap", "/calculator.asmx"],
                ["Calculator", "CalculatorSoap12", "/calculator.asmx"],
            ]
        },
    }
    add = next(spec for spec in contract["operations"] if spec["id"] == "CalculatorSoap_Add")
    assert [(port["port"], port["soap_version"]) for port in add["binding"]["ports"]] == [
        ("CalculatorSoap", "1.1"),
        ("CalculatorSoap12", "1.2"),
    ]
    assert add["binding"]["ports"][0]["soap_action"] == "http://tempuri.org/Add"
    assert add["binding"]["ports"][0]["address"] == "/calculator.asmx"
    assert [output["key"] for output in add["outputs"]] == ["AddResponse"]


def test_imported_files_are_copied_with_their_relative_paths() -> None:
    files = _files(PTZ)
    contract = json.loads(files["contract.json"])
    assert contract["soap"]["wsdl"] == "wsdl/ptz.wsdl"
    assert "wsdl/onvif.xsd" in contract["soap"]["files"]
    for name in contract["soap"]["files"]:
        assert name in files


def test_readme_and_handlers() -> None:
    files = _files(CALCULATOR)
    readme = files["README.md"].decode()
    assert (
        "| `CalculatorSoap_Add` | Add | `/calculator.asmx` (SOAP 1.1), "
        "`/calculator.asmx` (SOAP 1.2) | http://tempuri.org/Add |" in readme
    )
    assert "?wsdl" in readme
    handlers = files["handlers.py"].decode()
    tree = ast.parse(handlers)
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert {"CalculatorSoap_Add", "CalculatorSoap_Divide"} <= set(names)


def test_an_rpc_encoded_service_says_so_in_contract_and_readme() -> None:
    files = _files(CORPUS / "wsdl" / "nws-ndfd-rpc-encoded" / "ndfdXML.wsdl")
    contract = json.loads(files["contract.json"])
    assert {spec["binding"]["use"] for spec in contract["operations"]} == {"encoded"}
    [corner] = [spec for spec in contract["operations"] if spec["id"].endswith("_CornerPoints")]
    schema = corner["input"]["contents"]["text/xml"]["schema"]
    assert schema["x-soap-encoding"] == "http://schemas.xmlsoap.org/soap/encoding/"
    assert "rpc/encoded operations (SOAP 1.1 section 5)" in files["README.md"].decode()
    calculator = _files(CALCULATOR)
    assert "rpc/encoded" not in calculator["README.md"].decode()
    assert {
        spec["binding"]["use"] for spec in json.loads(calculator["contract.json"])["operations"]
    } == {"literal"}


def test_requirements_are_pinned_as_in_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pinned = {line.split("==")[0]: line for line in pyproject["project"]["dependencies"]}
    for requirement in SoapServer.requirements:
        assert pinned[requirement.split("==")[0]] == requirement


def test_the_target_needs_only_the_ir() -> None:
    for path in (ROOT / "targets" / "soap").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("mockc.compiler.frontends", "zeep")), path
