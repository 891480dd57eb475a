"""The Kafka target: the files of a generated mock service, from the IR alone."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import yaml

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.compiler.errors import GenerationError
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common import TargetOptions
from mockc.targets.kafka import generate
from mockc.targets.kafka.generator import KafkaServer
from tests.support.corpus import CORPUS, ROOT

STREETLIGHTS = CORPUS / "asyncapi" / "streetlights-kafka" / "asyncapi-3.0.0.yml"
ORDERS = ROOT / "tests" / "runtime" / "kafka" / "specs" / "orders.yaml"


def _files(path: Path) -> dict[str, bytes]:
    planned = plan_files(compile_specs([path]), GenerateOptions())
    return {file.path: file.content for file in planned}


def test_the_service_files_mocks_and_pinned_requirements() -> None:
    files = _files(STREETLIGHTS)
    for name in ("contract.json", "server.py", "handlers.py", "README.md", "Dockerfile"):
        assert name in files
    assert "_vendor/mockc_runtime/kafka/client.py" in files
    assert "_vendor/mockc_runtime/broker/service.py" in files
    assert not any("/mqtt/" in name or "/grpc/" in name for name in files)
    assert sorted(name for name in files if name.startswith("mocks/")) == [
        "mocks/dimLight.yaml",
        "mocks/receiveLightMeasurement.yaml",
        "mocks/turnOff.yaml",
        "mocks/turnOn.yaml",
    ]
    requirements = files["requirements.txt"].decode().splitlines()[1:]
    assert requirements == list(KafkaServer.requirements)
    assert "aiokafka==0.14.0" in requirements
    pinned = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for requirement in requirements:
        assert f'"{requirement}"' in pinned
    ast.parse(files["server.py"])
    assert "mockc_runtime.kafka.server" in files["server.py"].decode()


def test_the_contract_keeps_the_topics_groups_partitions_and_reply() -> None:
    contract = json.loads(_files(ORDERS)["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "kafka")
    assert contract["broker"]["url"] == "kafka://127.0.0.1:9092"
    place = contract["operations"][0]
    assert place["binding"]["address"] == "orders.requests"
    assert place["binding"]["options"] == {
        "partitions": 3,
        "replicas": 1,
        "group_id": "orders-mock",
    }
    assert place["binding"]["reply"]["channel"] == "orders.replies"
    assert place["binding"]["correlation_id"] == "$message.header#/correlation_id"


def test_the_compose_file_runs_the_official_kafka_image_beside_the_mock() -> None:
    compose = yaml.safe_load(_files(ORDERS)["docker-compose.yml"])
    assert compose["services"]["kafka"]["image"].startswith("apache/kafka:")
    mock = next(s for name, s in compose["services"].items() if name != "kafka")
    assert mock["environment"]["MOCKC_KAFKA_BOOTSTRAP"] == "kafka:9092"
    assert "kafka" in mock["depends_on"]
    k8s = _files(ORDERS)["k8s.yaml"].decode()
    assert "MOCKC_KAFKA_BOOTSTRAP" in k8s and "tcpSocket" in k8s  # alive while the cluster is away


def test_the_readme_names_the_topics_groups_and_publish_path() -> None:
    readme = _files(ORDERS)["README.md"].decode()
    assert "`orders.requests`" in readme and "`orders.events`" in readme
    assert "| `placeOrder` | `orders.requests` | consumed, answered | `orders-mock` |" in readme
    assert "/__mockc/publish/orderAccepted" in readme
    assert "MOCKC_KAFKA_BOOTSTRAP=127.0.0.1:9092" in readme


def _api(protocol: str) -> ir.Api:
    return ir.Api(
        name="mixed",
        operations=(
            ir.Operation(
                id="ticks",
                shape=ir.Shape.SERVER_STREAM,
                binding=ir.ChannelBinding(protocol=protocol, channel="ticks", action="send"),
                outputs=(ir.Output(key="tick"),),
                source=ir.Source(file="k.yaml", pointer="/channels/ticks", line=4, column=5),
            ),
        ),
    )


def test_the_target_needs_only_the_ir() -> None:
    files = {f.path: f.content for f in generate(_api("kafka"), TargetOptions(version="0.1.0"))}
    assert json.loads(files["contract.json"])["operations"][0]["binding"]["address"] == "ticks"


def test_a_channel_of_another_protocol_is_a_located_error() -> None:
    with pytest.raises(GenerationError) as raised:
        generate(_api("mqtt"), TargetOptions(version="0.1.0"))
    diagnostic = raised.value.diagnostics[0]
    assert (diagnostic.file, diagnostic.line) == ("k.yaml", 4)
    assert "not served by the kafka target" in diagnostic.message


def test_a_channel_config_with_kafka_channels_becomes_a_kafka_service(tmp_path: Path) -> None:
    config = tmp_path / "ticks.json"
    config.write_text(
        json.dumps(
            {
                "mockc": "channels/1",
                "info": {"name": "ticks"},
                "channels": {
                    "ticks": {
                        "protocol": "kafka",
                        "address": "ticks.v1",
                        "kafka": {"partitions": 2, "group_id": "tick-readers"},
                        "server_sends": {
                            "tick": {
                                "payload": {"type": "object"},
                                "schedule": {"every_ms": 1000},
                            }
                        },
                    }
                },
            }
        )
    )
    contract = json.loads(_files(config)["contract.json"])
    assert contract["protocol"] == "kafka"
    (tick,) = contract["operations"]
    assert tick["binding"]["address"] == "ticks.v1"
    assert tick["binding"]["options"] == {"partitions": 2, "group_id": "tick-readers"}
    assert contract["broker"]["schedules"] == {tick["id"]: {"every_ms": 1000}}
