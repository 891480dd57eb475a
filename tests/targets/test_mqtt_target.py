"""The MQTT target: the files of a generated MQTT mock service, from the IR alone."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from mockc.compiler import ir
from mockc.compiler.driver import GenerateOptions, compile_specs, plan_files
from mockc.compiler.errors import GenerationError
from mockc.runtime.contract import CONTRACT_FORMAT
from mockc.targets.common import TargetOptions
from mockc.targets.mqtt import generate
from mockc.targets.mqtt.generator import MqttServer
from tests.support.corpus import CORPUS, ROOT

STREETLIGHTS = CORPUS / "asyncapi" / "streetlights-mqtt" / "asyncapi-3.0.0.yml"
LAMP_RPC = ROOT / "tests" / "targets" / "mqtt" / "specs" / "lamp-rpc.yaml"


def _files(path: Path) -> dict[str, bytes]:
    planned = plan_files(compile_specs([path]), GenerateOptions())
    return {file.path: file.content for file in planned}


def test_the_service_files_and_pinned_requirements() -> None:
    files = _files(STREETLIGHTS)
    for name in ("contract.json", "server.py", "handlers.py", "README.md", "Dockerfile"):
        assert name in files
    assert "_vendor/mockc_runtime/mqtt/client.py" in files
    assert "_vendor/mockc_runtime/broker/service.py" in files
    assert not any("/websocket/" in name or "/grpc/" in name for name in files)
    requirements = files["requirements.txt"].decode().splitlines()[1:]
    assert requirements == list(MqttServer.requirements)
    pinned = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for requirement in requirements:
        assert f'"{requirement}"' in pinned
    ast.parse(files["server.py"])
    stubs = [
        node.name
        for node in ast.parse(files["handlers.py"]).body
        if isinstance(node, ast.FunctionDef)
    ]
    assert stubs == ["receiveLightMeasurement", "turnOn", "turnOff", "dimLight"]


def test_the_contract_has_broker_bindings_and_the_servers_url() -> None:
    contract = json.loads(_files(STREETLIGHTS)["contract.json"])
    assert (contract["format"], contract["protocol"]) == (CONTRACT_FORMAT, "mqtt")
    assert contract["broker"] == {"url": "mqtt://test.mosquitto.org:1883", "schedules": {}}
    measured = contract["operations"][0]
    binding = measured["binding"]
    assert binding["action"] == "receive"
    assert binding["address"].endswith("/event/{streetlightId}/lighting/measured")
    assert binding["options"] == {"qos": 1}
    assert [parameter["name"] for parameter in binding["parameters"]] == ["streetlightId"]
    assert binding["reply"] is None
    rpc = json.loads(_files(LAMP_RPC)["contract.json"])["operations"][0]["binding"]
    assert rpc["reply"]["channel"] == "mockc-test/lamps/{lampId}/answer"
    assert rpc["correlation_id"] == "$message.header#/requestId"


def test_compose_runs_mosquitto_beside_the_mock() -> None:
    files = _files(STREETLIGHTS)
    compose = yaml.safe_load(files["docker-compose.yml"])
    services = compose["services"]
    assert services["mosquitto"]["image"].startswith("eclipse-mosquitto:")
    mock = next(service for name, service in services.items() if name != "mosquitto")
    assert mock["environment"]["MOCKC_MQTT_URL"] == "mqtt://mosquitto:1883"
    assert mock["environment"]["MOCKC_ADMIN_PORT"] == "8081"
    assert "mosquitto" in mock["depends_on"]
    dockerfile = files["Dockerfile"].decode()
    assert "MOCKC_ADMIN_PORT=8081" in dockerfile and "EXPOSE 8081" in dockerfile
    readme = files["README.md"].decode()
    assert "__mockc/publish/turnOn" in readme


def test_a_channel_of_another_protocol_is_a_located_error() -> None:
    api = compile_specs([STREETLIGHTS]).api
    kafka = ir.ChannelBinding(protocol="kafka", channel="t", action="send")
    broken = dataclasses.replace(
        api, operations=(*api.operations, ir.Operation(id="other", binding=kafka))
    )
    with pytest.raises(GenerationError, match="is a kafka channel"):
        generate(broken, TargetOptions(version="0"))
