"""Helpers of the Kafka tests: generate a service, read the journal, produce and
consume with real clients (aiokafka, confluent-kafka)."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import jsonschema

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.servers import ServerProcess, free_port

SPECS = Path(__file__).parent / "specs"
CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "asyncapi"


def generated(spec: Path, out: Path) -> Path:
    generate([spec], out, GenerateOptions(link_runtime=True))
    return out


def contract(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "contract.json").read_text()))


def output_schema(out: Path, operation: str) -> Any:
    spec = next(op for op in contract(out)["operations"] if op["id"] == operation)
    content = next(iter(spec["outputs"][0]["contents"].values()))
    return {**content["schema"], "$defs": contract(out).get("defs", {})}


def validate(out: Path, operation: str, value: Any) -> None:
    schema = output_schema(out, operation)
    defs = schema.pop("$defs")
    text = json.dumps(schema).replace("#/components/schemas/", "#/$defs/")
    jsonschema.validate(value, {**json.loads(text), "$defs": defs})


def journal(server: ServerProcess, operation: str) -> list[dict[str, Any]]:
    answer = httpx.get(
        server.url + "/__mockc/journal", params={"operation": operation, "limit": 1000}
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["entries"])


def wait_for(check: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.2)


def produce(
    bootstrap: str,
    topic: str,
    value: bytes,
    *,
    key: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """One record, acknowledged by the broker (aiokafka)."""
    from aiokafka import AIOKafkaProducer

    async def send() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
        await producer.start()
        try:
            await producer.send_and_wait(
                topic,
                value,
                key=key,
                headers=[(name, text.encode()) for name, text in (headers or {}).items()],
            )
        finally:
            await producer.stop()

    asyncio.run(send())


def records(
    bootstrap: str, topic: str, *, until: Callable[[list[Any]], bool], timeout: float = 30.0
) -> list[Any]:
    """The records of ``topic`` from its start, read (without a group) until
    ``until(records)`` holds or ``timeout`` passes."""
    from aiokafka import AIOKafkaConsumer

    async def read() -> list[Any]:
        consumer = AIOKafkaConsumer(
            topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
        )
        await consumer.start()
        found: list[Any] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and not until(found):
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    found.extend(batch)
        finally:
            await consumer.stop()
        return found

    return asyncio.run(read())


def consumed(server: ServerProcess, operation: str, marker: str) -> dict[str, Any]:
    """The first journal entry of ``operation`` that received a message naming ``marker``."""

    def found() -> list[dict[str, Any]]:
        return [
            e
            for e in journal(server, operation)
            if e["method"] == "received" and marker in json.dumps(e)
        ]

    return dict(wait_for(found, timeout=40, what=f"{operation} to consume {marker}")[0])


def header(record: Any, name: str) -> str | None:
    return next((v.decode() for k, v in record.headers if k.lower() == name.lower()), None)


def kafka_service(
    out: Path, bootstrap: str, *, env: dict[str, str] | None = None, wait: bool = True
) -> ServerProcess:
    """The generated service in ``out`` as a process, its admin API on a free port
    (started and healthy when ``wait``)."""
    port = free_port()
    server = ServerProcess(
        [sys.executable, "server.py"],
        cwd=out,
        env={
            "MOCKC_KAFKA_BOOTSTRAP": bootstrap,
            "MOCKC_ADMIN_PORT": str(port),
            "MOCKC_SEED": "0",
            "MOCKC_KAFKA_FETCH_WAIT_MS": "20",
            **(env or {}),
        },
        port=port,
        start_timeout=30.0,
    )
    return server.start() if wait else server
