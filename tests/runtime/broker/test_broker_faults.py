"""The ``duplicate`` fault is the brokers' own: other protocols answer normally."""

from __future__ import annotations

from pathlib import Path

from mockc.runtime.broker.outputs import OUTPUTS as BROKER_OUTPUTS
from mockc.runtime.broker.outputs import encode_payload
from mockc.runtime.contract import Contract, engine_operations
from mockc.runtime.engine import KEYED_OUTPUTS, OutputPolicy, Request
from mockc.runtime.service import MockService
from mockc.runtime.settings import CoreSettings

CONTRACT: Contract = {  # type: ignore[typeddict-item]
    "format": 2,
    "generated_by": "test",
    "protocol": "mqtt",
    "api": {"name": "lamps", "title": "Lamps", "version": "1"},
    "defs": {},
    "operations": [
        {
            "id": "askLamp",
            "shape": "unary",
            "input": None,
            "outputs": [
                {
                    "key": "answer",
                    "description": "",
                    "headers": [],
                    "contents": {"application/json": {"schema": {}, "examples": {}}},
                }
            ],
            "binding": {
                "kind": "channel",
                "protocol": "mqtt",
                "channel": "lamps/ask",
                "path": "",
                "action": "receive",
                "parameters": [],
                "options": {},
            },
        }
    ],
}


def _fault(directory: Path, outputs: OutputPolicy) -> str | None:
    mocks = directory / "mocks"
    mocks.mkdir(parents=True)
    (mocks / "dup.yaml").write_text(
        "operation: askLamp\nresponse: {body: {ok: true}, fault: {kind: duplicate}}\n",
        encoding="utf-8",
    )
    service = MockService(
        directory,
        engine_operations(CONTRACT, outputs),
        {},
        encoder=encode_payload,
        settings=CoreSettings(journal="off"),
        protocol="mqtt",
        name="lamps",
        outputs=outputs,
    )
    try:
        return service.handle(Request("askLamp", body={}, method="message")).fault
    finally:
        service.close()


def test_a_broker_sends_twice_other_protocols_answer_normally(tmp_path: Path) -> None:
    assert _fault(tmp_path / "broker", BROKER_OUTPUTS) == "duplicate"
    assert _fault(tmp_path / "other", KEYED_OUTPUTS) is None
