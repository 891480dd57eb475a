"""The one contract format: typed bindings, engine operations, the adapter's policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockc.runtime.contract import (
    CONTRACT_FORMAT,
    ContractError,
    engine_operations,
    graphql_binding,
    grpc_binding,
    http_binding,
    load_contract,
    output_policy,
)
from mockc.runtime.engine import KEYED_OUTPUTS
from mockc.runtime.grpc.outputs import OUTPUTS as GRPC_OUTPUTS
from mockc.runtime.http.outputs import OUTPUTS as HTTP_OUTPUTS
from tests.support.petstore import petstore_contract


def _output(key: str) -> dict[str, Any]:
    return {"key": key, "description": "", "headers": [], "contents": {}}


GRPC_CONTRACT: Any = {
    "format": CONTRACT_FORMAT,
    "generated_by": "tests",
    "protocol": "grpc",
    "api": {"name": "g", "title": "G", "version": ""},
    "defs": {},
    "operations": [
        {
            "id": "Greeter_SayHello",
            "shape": "unary",
            "input": None,
            "outputs": [_output("NOT_FOUND"), _output("OK")],
            "binding": {
                "kind": "grpc",
                "full_method": "/hello.Greeter/SayHello",
                "service": "hello.Greeter",
                "method": "SayHello",
                "input_type": "hello.HelloRequest",
                "output_type": "hello.HelloReply",
            },
        }
    ],
}


def test_engine_operations_read_outputs_and_http_parameters() -> None:
    contract: Any = petstore_contract()
    operations = {op.id: op for op in engine_operations(contract, HTTP_OUTPUTS)}
    get_pet = operations["getPet"]
    assert [output.status for output in get_pet.outputs] == ["200", "404", "default"]
    assert get_pet.path == ("petId",)
    assert [name for name, _ in operations["listPets"].query] == [
        "limit",
        "tags",
        "status",
        "filter",
    ]
    assert get_pet.output_for("418") is get_pet.outputs[2]  # HTTP: then default
    assert operations["login"].answered_status("2XX") == "200"


def test_each_protocol_reads_keys_with_its_adapters_policy() -> None:
    assert output_policy(GRPC_CONTRACT) is GRPC_OUTPUTS
    assert output_policy({**GRPC_CONTRACT, "protocol": "carrier-pigeon"}) is KEYED_OUTPUTS
    assert output_policy({**GRPC_CONTRACT, "protocol": "os.path"}) is KEYED_OUTPUTS
    (hello,) = engine_operations(GRPC_CONTRACT, GRPC_OUTPUTS)
    assert hello.default_output is hello.outputs[1]
    assert hello.path == () and hello.query == ()
    (neutral,) = engine_operations(GRPC_CONTRACT)
    assert neutral.default_output is neutral.outputs[0]


def test_typed_bindings_refuse_another_protocols_operation() -> None:
    (spec,) = GRPC_CONTRACT["operations"]
    assert grpc_binding(spec)["full_method"] == "/hello.Greeter/SayHello"
    with pytest.raises(ContractError, match="has a 'grpc' binding, not 'http'"):
        http_binding(spec)
    with pytest.raises(ContractError, match="not 'graphql'"):
        graphql_binding(spec)


def test_a_format_1_contract_asks_to_regenerate(tmp_path: Path) -> None:
    (tmp_path / "contract.json").write_text(json.dumps({"format": 1, "operations": []}))
    with pytest.raises(ContractError, match="format 1 is not 2; regenerate the server"):
        load_contract(tmp_path)
    (tmp_path / "contract.json").write_text(json.dumps(GRPC_CONTRACT))
    assert load_contract(tmp_path)["protocol"] == "grpc"
