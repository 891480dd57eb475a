"""contract.json as every target writes it: the runtime's format, written fast and stably."""

from __future__ import annotations

import json
from pathlib import Path

from mockc.compiler.driver import compile_specs
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common.contract import contract_bytes
from mockc.targets.http.contract import build_contract

PETSTORE = Path(__file__).resolve().parents[2] / "examples" / "petstore" / "openapi.yaml"


def test_contracts_are_two_space_indented_utf8_in_insertion_order() -> None:
    data = {"b": "café", "a": [1, {"z": None, "y": 2.5}], "e": {}}
    written = contract_bytes(data)
    assert written == (
        b'{\n  "b": "caf\xc3\xa9",\n  "a": [\n    1,\n    {\n      "z": null,\n'
        b'      "y": 2.5\n    }\n  ],\n  "e": {}\n}\n'
    )
    assert json.loads(written) == data


def test_integers_past_64_bits_are_written_too() -> None:
    data = {"maximum": 2**70, "name": "é"}
    written = contract_bytes(data)
    assert json.loads(written) == data
    assert written.endswith(b"}\n") and b'\n  "maximum": ' in written


def test_the_http_contract_binds_each_operation() -> None:
    contract = build_contract(compile_specs([PETSTORE]).api, generated_by="tests")
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "http")
    show = next(op for op in contract["operations"] if op["id"] == "showPetById")
    assert show["shape"] == "unary" and show["input"] is None
    binding = show["binding"]
    assert (binding["kind"], binding["method"], binding["path"]) == ("http", "GET", "/pets/{petId}")
    assert [p["name"] for p in binding["parameters"]] == ["petId"]
    assert [output["key"] for output in show["outputs"]] == ["200", "404"]
    assert contract_bytes(contract) == contract_bytes(json.loads(contract_bytes(contract)))
