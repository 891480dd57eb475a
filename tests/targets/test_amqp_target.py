"""The RabbitMQ target: the files of a generated AMQP mock service, from the IR
alone (AsyncAPI documents of the corpus and a channel config)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import yaml

from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.amqp.generator import AmqpServer
from tests.support.corpus import CORPUS

RPC_SERVER = CORPUS / "asyncapi" / "rpc-server" / "asyncapi-3.0.0.yml"
ROOT = Path(__file__).resolve().parents[2]


def _files(path: Path) -> dict[str, bytes]:
    compiled = compile_specs([path])
    return {f.path: f.content for f in plan_files(compiled, GenerateOptions())}


def test_the_contract_has_amqp_channel_bindings_and_the_rpc_reply() -> None:
    contract = json.loads(_files(RPC_SERVER)["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "amqp")
    assert contract["broker"] == {"url": "amqp://rabbitmq.example.org", "schedules": {}}
    by_id = {operation["id"]: operation for operation in contract["operations"]}
    request = by_id["sum"]["binding"]
    assert (request["protocol"], request["address"], request["action"]) == (
        "amqp",
        "rpc_queue",
        "receive",
    )
    assert request["options"] == {"queue": "rpc_queue", "durable": False}
    assert request["reply"] == {"channel": "", "address_location": "", "operation": "sendSumResult"}
    assert request["correlation_id"] == "$message.header#/correlation_id"
    assert [output["key"] for output in by_id["sum"]["outputs"]] == ["sendSumResult"]
    reply = by_id["sendSumResult"]["binding"]
    assert (reply["address"], reply["action"]) == ("{queue}", "send")
    assert reply["options"] == {"queue": "{queue}", "exclusive": True, "ack": True}


def test_readme_handlers_compose_and_requirements() -> None:
    files = _files(RPC_SERVER)
    readme = files["README.md"].decode()
    assert (
        "| `sum` | `rpc_queue` | queue `rpc_queue` | consumed, answered on `reply_to` |" in readme
    )
    assert "MOCKC_AMQP_URL=amqp://rabbitmq.example.org" in readme
    assert "/__mockc/publish/sendSumResult" in readme
    handlers = ast.parse(files["handlers.py"])
    stubs = [f.name for f in handlers.body if isinstance(f, ast.FunctionDef)]
    assert sorted(stubs) == ["sendSumResult", "sum"]
    assert "from mockc_runtime.amqp.server import main" in files["server.py"].decode()
    assert "_vendor/mockc_runtime/amqp/client.py" in files
    assert "_vendor/mockc_runtime/broker/service.py" in files
    assert not any("/mqtt/" in name or "/websocket/" in name for name in files)
    compose = yaml.safe_load(files["docker-compose.yml"])
    assert compose["services"]["rabbitmq"]["image"].startswith("rabbitmq:")
    mock_env = next(s for name, s in compose["services"].items() if name != "rabbitmq")
    assert mock_env["environment"]["MOCKC_AMQP_URL"] == "amqp://guest:guest@rabbitmq:5672/"
    mock = yaml.safe_load(files["mocks/sum.yaml"])
    assert mock["response"]["status"] == "sendSumResult"
    pinned = files["requirements.txt"].decode().split()
    assert set(AmqpServer.requirements) <= set(pinned)
    pyproject = (ROOT / "pyproject.toml").read_text()
    for requirement in AmqpServer.requirements:
        assert f'"{requirement}"' in pyproject


def test_a_channel_config_rabbitmq_channel_is_served(tmp_path: Path) -> None:
    config = tmp_path / "jobs.json"
    config.write_text(
        json.dumps(
            {
                "mockc": "channels/1",
                "info": {"name": "jobs", "title": "Jobs", "version": "1.0.0"},
                "channels": {
                    "jobs": {
                        "protocol": "rabbitmq",
                        "address": "jobs.{kind}",
                        "rabbitmq": {"exchange": "work", "exchange_type": "direct"},
                        "client_sends": {"job": {"payload": {"type": "object"}}},
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    contract = json.loads(_files(config)["contract.json"])
    (operation,) = contract["operations"]
    assert operation["binding"]["protocol"] == "amqp"
    assert operation["binding"]["options"] == {"exchange": "work", "exchange_type": "direct"}


def test_the_target_needs_only_the_ir() -> None:
    for path in (ROOT / "targets" / "amqp").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {
            node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 0
        }
        assert all(not name.startswith("mockc.compiler.frontends") for name in imported), path
