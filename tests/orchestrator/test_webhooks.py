"""Webhooks: events of a namespace reach its subscribers, signed with HMAC-SHA256,
retried with backoff when the subscriber fails, with a delivery history."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.corpus import CORPUS

from .harness import Orchestrator

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"


class Receiver:
    """A real HTTP endpoint that records what it is sent; fails the first ``failures``."""

    def __init__(self, failures: int = 0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers["content-length"]))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(500)
                else:
                    receiver.received.append(
                        ({k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body in self.received]

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while event not in self.events():
            assert time.monotonic() < deadline, f"no {event}; got {self.events()}"
            time.sleep(0.05)


@pytest.fixture
def orch(tmp_path: Path) -> Iterator[Orchestrator]:
    with Orchestrator(tmp_path / "data", extra=("--webhook-backoff", "0.2")) as running:
        yield running


def test_events_are_delivered_signed_and_only_to_their_namespace(orch: Orchestrator) -> None:
    ours, theirs = Receiver(), Receiver()
    other = orch.create_token("--admin", "--namespace", "other")
    with orch.client(other) as client:
        assert client.post("/webhooks", json={"url": theirs.url}).status_code == 201
    with orch.client(orch.admin_token) as client:
        hook = client.post("/webhooks", json={"url": ours.url}).json()
        assert hook["secret"].startswith("whsec_")
        assert "secret" not in client.get(f"/webhooks/{hook['id']}").json()
        created = client.post(
            "/servers", json={"name": "pets", "files": {"p.yaml": PETSTORE.read_text()}}
        )
        assert created.status_code == 201, created.text
        ours.wait_for("server.started")
        mock = {"id": "mine", "operation": "findPets", "response": {"status": 200, "body": []}}
        assert client.post("/servers/pets/mocks", json=mock).status_code == 201
        ours.wait_for("mock.created")
        assert client.delete("/servers/pets/mocks/mine").status_code == 204
        ours.wait_for("mock.deleted")
        assert client.post("/servers/pets/stop").status_code == 200
        ours.wait_for("server.stopped")
        history = client.get(f"/webhooks/{hook['id']}/deliveries").json()["deliveries"]
    assert {d["status"] for d in history} == {"delivered"}
    assert theirs.received == []
    for headers, body in ours.received:
        expected = hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
        assert headers["x-mockc-signature"] == f"sha256={expected}"
        payload = json.loads(body)
        assert payload["event"] == headers["x-mockc-event"]
        assert payload["namespace"] == "default"
        assert payload["data"]["server"]["name"] == "pets"
    created_event = next(json.loads(b) for _, b in ours.received if b"mock.created" in b)
    assert created_event["data"]["mock"]["id"] == "mine"


def test_failed_deliveries_are_retried_with_backoff(orch: Orchestrator) -> None:
    flaky = Receiver(failures=2)
    with orch.client(orch.admin_token) as client:
        hook = client.post(
            "/webhooks", json={"url": flaky.url, "events": ["server.started"]}
        ).json()
        created = client.post(
            "/servers", json={"name": "pets", "files": {"p.yaml": PETSTORE.read_text()}}
        )
        assert created.status_code == 201
        flaky.wait_for("server.started")
        deadline = time.monotonic() + 10
        while True:
            (delivery,) = client.get(f"/webhooks/{hook['id']}/deliveries").json()["deliveries"]
            if delivery["status"] == "delivered" or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    assert delivery["status"] == "delivered"
    assert delivery["attempts"] == 3
    assert delivery["last_code"] == 204


def test_webhook_input_is_checked(orch: Orchestrator) -> None:
    with orch.client(orch.admin_token) as client:
        for body in (
            {"url": "ftp://x/y"},
            {"url": "http://x", "events": ["nope"]},
            {"url": "http://x", "events": []},
            {"url": 7},
            {"url": "http://x", "extra": 1},
            [],
        ):
            answer = client.post("/webhooks", json=body)
            assert answer.status_code == 400, (body, answer.text)
        assert client.get("/webhooks/whk_missing").status_code == 404


def test_unmatched_requests_are_events(orch: Orchestrator) -> None:
    receiver = Receiver()
    with orch.client(orch.admin_token) as client:
        client.post("/webhooks", json={"url": receiver.url, "events": ["request.unmatched"]})
        created = client.post(
            "/servers",
            json={
                "name": "strict",
                "files": {"p.yaml": PETSTORE.read_text()},
                "settings": {"MOCKC_UNMATCHED": "404"},
            },
        )
        assert created.status_code == 201, created.text
        mock = {
            "id": "findPets",
            "operation": "findPets",
            "match": {"query": {"tags": "dog"}},
            "response": {"status": 200, "body": []},
        }
        assert client.put("/servers/strict/mocks/findPets", json=mock).status_code == 200
        url = created.json()["url"]
        assert httpx.get(url + "/pets", params={"tags": "cat"}).status_code == 404
        receiver.wait_for("request.unmatched")
    (headers, body) = receiver.received[0]
    payload = json.loads(body)
    assert payload["data"]["server"]["name"] == "strict"
    assert payload["data"]["request"]["operation"] == "findPets"
    assert "tags=cat" in payload["data"]["request"]["target"]
    assert "headers" not in payload["data"]["request"]
