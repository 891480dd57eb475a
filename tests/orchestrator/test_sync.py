"""Replicas synced from the orchestrator: three generated servers (each its own
process, the runtime vendored) pull the mocks and scenarios of a server the
orchestrator runs; a change made through the orchestrator is served by all three
within a second or so; with the orchestrator stopped they keep serving, also
after a restart of a replica."""

from __future__ import annotations

import signal
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from mockc.compiler.driver import GenerateOptions, generate
from tests.support.corpus import CORPUS
from tests.support.servers import ServerProcess

from .harness import Orchestrator

PETSTORE = CORPUS / "openapi/oai-petstore-expanded-v3/petstore-expanded.yaml"
SYNCED = [{"id": 99, "name": "synced"}]


def _all_serve(replicas: list[ServerProcess], body: object, timeout: float = 10) -> float:
    started = time.monotonic()
    while True:
        answers = [httpx.get(replica.url + "/pets", timeout=5).json() for replica in replicas]
        if all(answer == body for answer in answers):
            return time.monotonic() - started
        assert time.monotonic() - started < timeout, answers
        time.sleep(0.05)


def test_replicas_follow_the_orchestrator_and_keep_their_snapshot(tmp_path: Path) -> None:
    replica_dir = tmp_path / "replica"
    generate([PETSTORE], replica_dir, GenerateOptions())
    assert (replica_dir / "_vendor/mockc_runtime/sync/client.py").is_file()
    with Orchestrator(tmp_path / "data") as orch, orch.client(orch.admin_token) as client:
        created = client.post(
            "/servers", json={"name": "central", "files": {"p.yaml": PETSTORE.read_text()}}
        )
        assert created.status_code == 201, created.text
        token = client.post(
            "/tokens", json={"name": "replicas", "kind": "integration", "scope": "read"}
        ).json()["token"]
        assert token.startswith("mki_")
        env = {
            "MOCKC_SYNC_FROM": orch.url,
            "MOCKC_SYNC_TOKEN": token,
            "MOCKC_SYNC_SERVER": "central",
            "MOCKC_JOURNAL": "off",
        }
        with ExitStack() as stack:
            replicas = []
            for index in range(3):
                folder = tmp_path / f"replica-{index}"
                generate([PETSTORE], folder, GenerateOptions())
                replicas.append(
                    stack.enter_context(
                        ServerProcess([sys.executable, "server.py"], cwd=folder, env=env)
                    )
                )
            mock = {
                "id": "findPets",
                "operation": "findPets",
                "response": {"status": 200, "body": SYNCED},
            }
            assert client.put("/servers/central/mocks/findPets", json=mock).status_code == 200
            first = _all_serve(replicas, SYNCED)

            quiet = {
                "id": "findPets",
                "operation": "findPets",
                "response": {"status": 200, "body": []},
            }
            scenario = client.post(
                "/servers/central/scenarios", json={"name": "quiet", "mocks": [quiet]}
            )
            assert scenario.status_code == 201, scenario.text
            assert (
                client.put("/servers/central/scenarios/active", json={"name": "quiet"}).status_code
                == 200
            )
            second = _all_serve(replicas, [])
            assert (
                client.put("/servers/central/scenarios/active", json={"name": None}).status_code
                == 200
            )
            _all_serve(replicas, SYNCED)

            replicas_seen = client.get("/servers/central").json()["replicas"]
            assert len(replicas_seen) == 3
            assert all(seen["active_mocks"] > 0 and seen["problems"] == 0 for seen in replicas_seen)

            unchanged = client.get("/servers/central/sync")
            etag = unchanged.headers["etag"]
            assert (
                client.get("/servers/central/sync", headers={"if-none-match": etag}).status_code
                == 304
            )

            orch.stop(signal.SIGTERM)
            time.sleep(1.5)  # several polls fail
            assert _all_serve(replicas, SYNCED, timeout=0.5) >= 0
        with ServerProcess(
            [sys.executable, "server.py"], cwd=tmp_path / "replica-0", env=env
        ) as again:
            assert httpx.get(again.url + "/pets").json() == SYNCED
    print(f"sync: mock served by 3 replicas after {first:.2f} s, scenario after {second:.2f} s")
